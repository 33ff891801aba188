"""A signal in the browser: the front office raises it from a question without suitable supply
and links more unmet needs as evidence; the coordinator sends it to the municipality; the
policy officer sees only counts and follows it to new supply.

Screenshots (docs/user/img/signal*.png) only with SCHAKELPUNT_SCREENSHOTS=1.
"""

import pytest
from playwright.sync_api import expect

from schakelpunt.contacts.models import LifeDomain
from schakelpunt.signalling.models import Signal
from tests.contacts.factories import ContactFactory
from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.organisations.factories import DistrictFactory
from tests.residents.factories import ResidentFactory
from tests.signalling.factories import NoSupplyQuestionFactory, UnmetNeedFactory


@pytest.fixture
def setting(desk, user_for, municipality_org):
    district = DistrictFactory(name="Glanerbrug", municipality=desk.municipalities.first())
    safety = LifeDomain.objects.get(code="veiligheid")
    employee = user_for("Frontoffice", first_name="Fatima", last_name="El Amrani")
    questions = []
    for surname in ("Jansen", "Bakker", "Visser"):
        resident = ResidentFactory(
            registered_desk=desk, surname=surname, district=district, municipality=district.municipality
        )
        questions.append(
            NoSupplyQuestionFactory(
                contact=ContactFactory(desk=desk, resident=resident, handled_by=employee),
                question_text="Ik wil een alarmknop, maar ik heb niemand die kan komen als ik druk.",
                assigned_to=employee,
                domains=[safety],
            )
        )
    rejected = UnmetNeedFactory(referral__question=questions[1], referral__referring_desk=desk)
    return {
        "employee": employee,
        "coordinator": user_for("Coördinator", first_name="Anouk"),
        "policy": user_for("Beleidsmedewerker", desks=[], first_name="Jeroen"),
        "questions": questions,
        "rejected": rejected,
    }


def test_raise_send_and_follow_a_signal_to_new_supply(page, live_server, browser, setting):
    first, *others = setting["questions"]
    login(page, live_server, setting["employee"])
    page.goto(f"{live_server.url}/vragen/{first.pk}/")
    page.get_by_role("link", name="Signaleren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signaleren")
    page.get_by_label("Titel").fill("Geen personenalarmering voor inwoners zonder netwerk")
    page.get_by_label("Omschrijving").fill("Alarmopvolging vraagt drie contactpersonen in de buurt.")
    expect(page.get_by_label("Wijk")).to_have_value(str(first.resident.district_id))
    assert_accessible(page)
    screenshot(page, "signal-create.png")
    page.get_by_role("button", name="Signaal vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Geen personenalarmering")
    signal = Signal.objects.get()

    # More evidence: the other questions and the rejected referral of the same need.
    page.get_by_role("link", name="Bewijs toevoegen").click()
    # The rejected referral was for lack of capacity, not for missing supply: not offered as
    # matching this signal, but among all unmet needs of the desk.
    page.get_by_role("link", name="Alle onvervulde behoeften van mijn loket tonen").click()
    for question in others:
        page.get_by_label(f"Vraag {question.pk},").check()
    page.get_by_label(f"Verwijzing {setting['rejected'].referral_id} naar").check()
    assert_accessible(page)
    page.get_by_role("button", name="Koppelen").click()
    expect(page.get_by_text("Gekoppeld: 2 hulpvragen en 1 onvervulde behoeften.")).to_be_visible()
    evidence = page.get_by_role("region", name="Bewijs")
    expect(evidence.locator("[data-count=questions]")).to_have_text("3")
    expect(evidence.locator("[data-count=unmet-needs]")).to_have_text("1")
    page.context.close()

    coordinator = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL").new_page()
    login(coordinator, live_server, setting["coordinator"])
    coordinator.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Signalen").click()
    coordinator.get_by_role("link", name="Geen personenalarmering voor inwoners zonder netwerk").click()
    coordinator.get_by_text("Versturen", exact=True).first.click()
    coordinator.get_by_role("button", name="Versturen").click()
    expect(coordinator.get_by_text("Het signaal staat nu op: Verstuurd.")).to_be_visible()
    assert_accessible(coordinator)
    coordinator.context.close()

    policy = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL").new_page()
    login(policy, live_server, setting["policy"])
    policy.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Signalen").click()
    expect(policy.get_by_role("cell", name="< 5").first).to_be_visible()
    assert_accessible(policy)
    screenshot(policy, "signal-list-policy.png")
    policy.get_by_role("link", name="Geen personenalarmering voor inwoners zonder netwerk").click()
    # Counts only, suppressed under 5; no rows, no names.
    expect(policy.get_by_role("region", name="Bewijs").locator("[data-count=questions]")).to_have_text("< 5")
    expect(policy.get_by_text("Jansen")).to_have_count(0)
    expect(policy.get_by_role("link", name=f"Vraag {first.pk}")).to_have_count(0)
    policy.get_by_text("Erkennen", exact=True).first.click()
    policy.get_by_role("button", name="Erkennen").click()
    expect(policy.get_by_text("Het signaal staat nu op: Erkend.")).to_be_visible()
    policy.get_by_text("Actie gepland", exact=True).first.click()
    # A planned action needs its description, next to the field.
    policy.get_by_role("button", name="Actie gepland").click()
    expect(policy.get_by_text("Vul dit in.")).to_be_visible()
    policy.get_by_label("Welke actie is gepland, door wie en wanneer?").fill(
        "Inkoop van professionele alarmopvolging, start in het voorjaar."
    )
    assert_accessible(policy)
    policy.get_by_role("button", name="Actie gepland").click()
    expect(policy.get_by_text("Het signaal staat nu op: Actie gepland.")).to_be_visible()
    policy.get_by_text("Nieuw aanbod gerealiseerd", exact=True).first.click()
    policy.get_by_label("Welk aanbod is er gekomen?").fill("Professionele alarmopvolging per 1 april.")
    policy.get_by_role("button", name="Nieuw aanbod gerealiseerd").click()
    expect(policy.get_by_text("Het signaal staat nu op: Nieuw aanbod gerealiseerd.")).to_be_visible()
    screenshot(policy, "signal-policy.png")
    policy.context.close()

    signal.refresh_from_db()
    assert signal.status == Signal.Status.NEW_SUPPLY
    assert list(signal.status_history.values_list("to_status", flat=True)) == [
        "proposed",
        "sent",
        "acknowledged",
        "action_planned",
        "new_supply",
    ]
