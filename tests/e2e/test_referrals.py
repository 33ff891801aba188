"""A referral in the browser, closed loop: the front office refers a question with consent; the
partner logs in, accepts and completes it with an outcome; the desk sees it closed and has the
follow-up to check with the resident.

Screenshots (docs/user/img/referral*.png) only with SCHAKELPUNT_SCREENSHOTS=1.
"""

import pytest
from playwright.sync_api import expect

from schakelpunt.contacts.models import FollowUp
from schakelpunt.referrals.models import Referral
from tests.contacts.factories import ContactFactory, QuestionFactory
from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.organisations.factories import OrganisationFactory
from tests.residents.factories import ConsentFactory, ResidentFactory


@pytest.fixture
def setting(desk, user_for):
    partner_org = OrganisationFactory(name="Thuiszorg Tukkerland", type="care_provider")
    employee = user_for("Frontoffice", first_name="Fatima", last_name="El Amrani")
    partner = user_for("Partner", organisation=partner_org, desks=[], first_name="Mehmet", last_name="Yilmaz")
    resident = ResidentFactory(
        registered_desk=desk, given_names="Johanna", surname="Jansen", phone="053 123 45 67"
    )
    question = QuestionFactory(
        contact=ContactFactory(desk=desk, resident=resident, handled_by=employee),
        question_text="Ik red het huishouden niet meer sinds mijn heupoperatie.",
        assigned_to=employee,
    )
    ConsentFactory(
        resident=resident, organisation=partner_org, purpose="Doorverwijzing thuiszorg", recorded_by=employee
    )
    return {"employee": employee, "partner": partner, "question": question, "org": partner_org}


def test_refer_accept_complete_and_close_the_loop(page, live_server, browser, setting):
    question = setting["question"]
    login(page, live_server, setting["employee"])
    page.goto(f"{live_server.url}/vragen/{question.pk}/")
    page.get_by_role("link", name="Doorverwijzen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Doorverwijzen")
    page.get_by_label("Naar organisatie").select_option(label="Thuiszorg Tukkerland")
    page.get_by_label("Reden van verwijzing").fill("Hulp bij het huishouden, twee uur per week.")
    page.get_by_label("Toestemming van de inwoner").select_option(index=1)
    assert_accessible(page)
    screenshot(page, "referral-create.png")
    page.get_by_role("button", name="Verwijzing versturen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verwijzing")
    expect(page.get_by_text("Verstuurd").first).to_be_visible()
    referral = Referral.objects.get()

    partner_page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL").new_page()
    login(partner_page, live_server, setting["partner"])
    partner_page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Verwijzingen aan ons"
    ).click()
    expect(partner_page.get_by_role("cell", name="Johanna Jansen")).to_be_visible()
    assert_accessible(partner_page)
    screenshot(partner_page, "referral-inbox.png")
    partner_page.get_by_role("link", name=f"Verwijzing {referral.pk}").click()
    expect(partner_page.get_by_text("053 123 45 67")).to_be_visible()
    partner_page.get_by_text("Accepteren", exact=True).first.click()
    partner_page.get_by_role("button", name="Accepteren").click()
    expect(partner_page.get_by_text("De verwijzing staat nu op: Geaccepteerd.")).to_be_visible()
    partner_page.get_by_text("Afronden met resultaat", exact=True).first.click()
    # Completing without an outcome is refused, next to the field.
    partner_page.get_by_role("button", name="Afronden met resultaat").click()
    expect(partner_page.get_by_text("Beschrijf het resultaat")).to_be_visible()
    partner_page.get_by_label("Resultaat: wat is er voor de inwoner gedaan?").fill(
        "Huishoudelijke hulp gestart."
    )
    assert_accessible(partner_page)
    screenshot(partner_page, "referral-partner.png")
    partner_page.get_by_role("button", name="Afronden met resultaat").click()
    expect(partner_page.get_by_text("De verwijzing staat nu op: Afgerond.")).to_be_visible()
    partner_page.context.close()

    page.goto(f"{live_server.url}/vragen/{question.pk}/")
    expect(
        page.get_by_role("region", name="Doorverwijzingen").get_by_text("Afgerond", exact=True)
    ).to_be_visible()
    page.goto(f"{live_server.url}/werklijst/?lijst=mijn-opvolgingen")
    expect(page.get_by_text(f"Verwijzing {referral.pk} is afgerond: is de hulp aangekomen?")).to_be_visible()
    assert FollowUp.objects.get(question=question).kind == FollowUp.Kind.CHECK_IN
