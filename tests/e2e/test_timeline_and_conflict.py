"""The resident's timeline, the work list and two employees editing one question, in the browser.

The pictures for the user documentation (docs/user/img/timeline.png, werklijst.png) are only
written with SCHAKELPUNT_SCREENSHOTS=1.
"""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from schakelpunt.contacts.models import Contact, FollowUp, LifeDomain, Question
from schakelpunt.residents.models import Representation
from tests.contacts.factories import ContactFactory, FollowUpFactory, QuestionFactory
from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.organisations.factories import DistrictFactory, LocationFactory, OrganisationFactory
from tests.residents.factories import BSNS, ConsentFactory, ResidentFactory


@dataclass
class Scene:
    fatima: object
    sander: object
    resident: object
    open_question: Question


def domains(*codes):
    return list(LifeDomain.objects.filter(code__in=codes))


def add_question(contact, text, *, codes=(), created=None, **kwargs) -> Question:
    question = QuestionFactory(contact=contact, question_text=text, **kwargs)
    question.domains.set(domains(*codes))
    Question.objects.filter(pk=question.pk).update(created_at=created or contact.started_at)
    return question


# The rest of Fatima's work list: days ago, resident, question, life domains, follow-up a week later.
OTHER_QUESTIONS = [
    (
        15,
        "Henk",
        "Smit",
        "Mijn buurman maakt elke nacht lawaai, wat kan ik doen?",
        ("wonen", "veiligheid"),
        "Nagaan of buurtbemiddeling contact heeft gehad",
    ),
    (
        8,
        "Aylin",
        "Yılmaz",
        "Ik zoek een plek voor dagbesteding voor mijn vader.",
        ("dagbesteding", "zorg"),
        "Adressen van dagbesteding in de wijk doorgeven",
    ),
    (
        4,
        "Peter",
        "Mulder",
        "Kan ik met de regiotaxi naar het ziekenhuis?",
        ("vervoer",),
        "Vragen of de Wmo-vervoerspas is aangekomen",
    ),
    (
        1,
        "Wilma",
        "Kuipers",
        "Ik zorg voor mijn man en ben zelf op.",
        ("mantelzorg",),
        "Vragen of de respijtzorg geregeld is",
    ),
]


@pytest.fixture
def scene(desk, municipality_org, user_for) -> Scene:
    """A resident with a story of a few months, and a work list as on a normal Tuesday."""
    desk.name = "Zorgloket Enschede"
    desk.save(update_fields=["name"])
    desk.municipalities.update(name="Enschede")
    municipality_org.name = "Gemeente Enschede"
    municipality_org.save(update_fields=["name"])
    now = timezone.now()
    today = timezone.localdate()
    ago = lambda days, hour=10: (now - datetime.timedelta(days=days)).replace(hour=hour, minute=15)  # noqa: E731
    fatima = user_for("Frontoffice", first_name="Fatima", last_name="El Amrani", username="f.elamrani")
    sander = user_for("Frontoffice", first_name="Sander", last_name="de Vries", username="s.devries")
    wijkcentrum = LocationFactory(desk=desk, name="Wijkcentrum De Bolk")
    resident = ResidentFactory(
        registered_desk=desk,
        given_names="Johanna",
        surname_prefix="de",
        surname="Vries-Bakker",
        birth_date=datetime.date(1944, 5, 17),
        bsn=BSNS[1],
        street="Lasondersingel",
        house_number=112,
        postcode="7514 BP",
        town="Enschede",
        phone="053 431 22 87",
        email="",
        district=DistrictFactory(name="Lasonder-Zeggelt", municipality=desk.municipalities.first()),
    )
    Representation.objects.create(
        resident=resident,
        kind=Representation.Kind.INFORMAL_CARER,
        name="Ellen de Vries",
        phone="06 1234 5678",
    )

    first = ContactFactory(
        desk=desk,
        resident=resident,
        handled_by=sander,
        channel=Contact.Channel.PHONE,
        started_at=ago(24, 9),
        duration_minutes=15,
        asked_by=Contact.AskedBy.REPRESENTATIVE,
        asker_name="Ellen de Vries (dochter)",
    )
    traplift = add_question(
        first,
        "Mijn moeder kan de trap niet meer op. Kan zij een traplift krijgen?",
        codes=("wonen", "zorg"),
        clarification="Wil graag in haar eigen huis blijven wonen; slaapt nu beneden in de kamer.",
        health_notes="Artrose in beide knieën, loopt met rollator.",
        status=Question.Status.CLOSED,
        outcome=Question.Outcome.WMO_REPORT,
        closed_at=ago(24, 9),
        answer="Wmo-melding gedaan voor een woningaanpassing.",
    )
    FollowUp.objects.create(
        question=traplift,
        kind=FollowUp.Kind.CHECK_IN,
        due_date=(now - datetime.timedelta(days=10)).date(),
        assigned_to=sander,
        status=FollowUp.Status.DONE,
        result="Wmo-consulent is op huisbezoek geweest; aanvraag loopt.",
        done_at=ago(10, 11),
    )
    ConsentFactory(
        resident=resident,
        purpose="Doorverwijzing naar de Wmo-consulent",
        organisation=OrganisationFactory(name="Team Wmo-consulenten"),
        scope=["contact_details", "question", "clarification"],
        given_at=ago(24, 9),
        given_by="Ellen de Vries",
        recorded_by=sander,
    )
    second = ContactFactory(
        desk=desk,
        resident=resident,
        handled_by=fatima,
        channel=Contact.Channel.DESK,
        location=wijkcentrum,
        started_at=ago(9, 14),
        duration_minutes=25,
    )
    add_question(
        second,
        "Ik heb een brief over mijn huurtoeslag gekregen en begrijp niet wat ik moet doen.",
        codes=("financien",),
        status=Question.Status.CLOSED,
        outcome=Question.Outcome.ADVICE,
        closed_at=ago(9, 14),
        answer="Brief samen doorgenomen; wijziging inkomen doorgegeven via Mijn toeslagen.",
    )
    third = ContactFactory(
        desk=desk,
        resident=resident,
        handled_by=fatima,
        channel=Contact.Channel.HOME_VISIT,
        started_at=ago(2, 11),
        duration_minutes=45,
    )
    lonely = add_question(
        third,
        "Sinds mijn man is overleden zie ik bijna niemand meer.",
        codes=("welzijn", "sociale-contacten"),
        status=Question.Status.WAITING,
        clarification="Zoekt contact met leeftijdgenoten in de wijk; fietst niet meer.",
    )
    FollowUpFactory(
        question=lonely,
        due_date=today + datetime.timedelta(days=3),
        note="Vragen of ze naar de koffieochtend wil",
    )
    fourth = ContactFactory(
        desk=desk, resident=resident, handled_by=fatima, channel=Contact.Channel.PHONE, started_at=ago(0, 9)
    )
    open_question = add_question(
        fourth,
        "Kan ik hulp krijgen bij het schoonmaken van mijn huis?",
        codes=("huishouden",),
        health_notes="Heupoperatie gepland in maart; mag daarna zes weken niet bukken.",
        urgency=Question.Urgency.SOON,
    )

    for days, given, surname, text, codes, note in OTHER_QUESTIONS:
        person = ResidentFactory(registered_desk=desk, given_names=given, surname=surname)
        contact = ContactFactory(desk=desk, resident=person, handled_by=fatima, started_at=ago(days, 13))
        question = add_question(contact, text, codes=codes)
        FollowUpFactory(question=question, due_date=today + datetime.timedelta(days=7 - days), note=note)
    colleague_contact = ContactFactory(desk=desk, handled_by=sander, started_at=ago(20, 10))
    add_question(colleague_contact, "Anonieme vraag over schuldhulpverlening.", codes=("financien",))
    closed = ContactFactory(desk=desk, handled_by=fatima, started_at=ago(0, 8))
    add_question(
        closed,
        "Waar kan ik een rolstoel lenen voor een weekendje weg?",
        codes=("zorg",),
        status=Question.Status.CLOSED,
        outcome=Question.Outcome.SIGNPOSTED,
        closed_at=now,
    )
    return Scene(fatima, sander, resident, open_question)


def timeline_url(live_server, scene) -> str:
    return f"{live_server.url}/inwoners/{scene.resident.pk}/"


def test_resident_page_with_timeline_and_filter(page, live_server, scene):
    login(page, live_server, scene.fatima)
    page.goto(timeline_url(live_server, scene))
    expect(page.get_by_role("heading", level=1)).to_have_text("Johanna de Vries-Bakker")
    expect(page.get_by_text(BSNS[1])).to_be_visible()
    articles = page.locator("#timeline article")
    # 4 contacts, 4 questions, 2 follow-ups, 1 consent.
    expect(articles).to_have_count(11)
    expect(articles.first).to_contain_text("Vragen of ze naar de koffieochtend wil")
    expect(page.get_by_text("Heupoperatie gepland in maart")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "timeline.png")

    # The filter swaps only the timeline (the page is not reloaded) and keeps its state in the URL.
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Levensdomein").select_option(label="Zorg")
    page.get_by_role("button", name="Filteren").click()
    expect(page).to_have_url(re.compile(r"domein=zorg"))
    expect(articles).to_have_count(3)  # the traplift question, its contact and its follow-up
    expect(page.locator("#timeline")).to_contain_text("traplift")
    expect(page.get_by_role("status")).to_contain_text("levensdomein Zorg")
    assert page.evaluate("window.notReloaded") is True
    assert_accessible(page)

    # The address with the filter opens the same, filtered page.
    page.reload()
    expect(articles).to_have_count(3)
    expect(page.get_by_label("Levensdomein")).to_have_value("zorg")
    page.get_by_role("link", name="Toon alles").click()
    expect(articles).to_have_count(11)


def test_filter_works_without_javascript(browser, live_server, scene):
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    try:
        login(page, live_server, scene.fatima)
        page.goto(timeline_url(live_server, scene))
        page.get_by_label("Status van de vraag").select_option(label="Wacht op iets of iemand")
        with page.expect_navigation():
            page.get_by_role("button", name="Filteren").click()
        assert "status=waiting" in page.url
        expect(page.locator("#timeline article[data-kind=question]")).to_have_count(1)
        expect(page.locator("#timeline")).to_contain_text("bijna niemand meer")
    finally:
        context.close()


def test_volunteer_sees_no_bsn_and_no_health_notes(page, live_server, scene, user_for):
    login(page, live_server, user_for("Vrijwilliger"))
    page.goto(timeline_url(live_server, scene))
    expect(page.locator("#timeline article")).to_have_count(11)
    content = page.content()
    assert BSNS[1] not in content and "Heupoperatie" not in content and "Artrose" not in content


def test_two_employees_edit_the_same_question(browser, page, live_server, scene, browser_errors):
    edit_url = f"{live_server.url}/vragen/{scene.open_question.pk}/bewerken/"
    other_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    other_context.set_default_timeout(10_000)
    other = other_context.new_page()
    other.on("console", lambda m: browser_errors.append(f"console: {m.text}") if m.type == "error" else None)
    other.on("pageerror", lambda error: browser_errors.append(f"pageerror: {error}"))
    try:
        login(page, live_server, scene.fatima)
        login(other, live_server, scene.sander)
        page.goto(edit_url)
        other.goto(edit_url)  # both open version 1
        assert_accessible(page)

        page.get_by_label("Antwoord of advies").fill("Aangemeld bij de huishoudelijke hulp van de Wmo.")
        with page.expect_navigation():
            page.get_by_role("button", name="Opslaan").click()
        expect(page.get_by_text("De wijzigingen zijn opgeslagen.")).to_be_visible()
        expect(page.get_by_role("heading", name="Geschiedenis")).to_be_visible()
        expect(page.locator("table").last).to_contain_text("Fatima El Amrani")

        other.get_by_label("Antwoord of advies").fill("Folder over schoonmaakhulp meegegeven.")
        with other.expect_navigation():
            other.get_by_role("button", name="Opslaan").click()
        alert = other.get_by_role("alert")
        expect(alert).to_contain_text("Iemand anders heeft dit intussen gewijzigd")
        expect(alert).to_contain_text("Laatst opgeslagen door Fatima El Amrani")
        expect(other.get_by_label("Antwoord of advies")).to_have_value(
            "Folder over schoonmaakhulp meegegeven."
        )
        assert_accessible(other)
    finally:
        other_context.close()

    scene.open_question.refresh_from_db()
    assert scene.open_question.answer == "Aangemeld bij de huishoudelijke hulp van de Wmo."
    assert scene.open_question.version == 2


def test_closing_without_outcome_shows_the_message_at_the_field(page, live_server, scene):
    login(page, live_server, scene.fatima)
    page.goto(f"{live_server.url}/vragen/{scene.open_question.pk}/bewerken/")
    page.get_by_label("Status", exact=True).select_option(label="Afgesloten")
    with page.expect_navigation():
        page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_label("Uitkomst", exact=False).first).to_have_accessible_description(
        re.compile("Kies een uitkomst: een vraag kan alleen worden afgesloten met een uitkomst.")
    )
    assert_accessible(page)


def test_work_list(page, live_server, scene):
    login(page, live_server, scene.fatima)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Werklijst").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Werklijst")
    expect(page.locator("main tbody tr")).to_have_count(6)
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("Mijn opvolgingen")).click()
    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.first).to_contain_text("Te laat: 8 dagen")
    expect(rows.first).to_contain_text("Henk Smit")
    assert_accessible(page)
    screenshot(page, "werklijst.png")

    rows.first.get_by_label("Resultaat").fill("Wijkagent ingeschakeld, buurtbemiddeling aangeboden.")
    with page.expect_navigation():
        rows.first.get_by_role("button", name="Afgerond").click()
    expect(page.get_by_text("De opvolging is afgerond.")).to_be_visible()
    expect(rows).to_have_count(4)
    assert page.url.endswith("?lijst=mijn-opvolgingen")

    for tab in ("Open vragen van het loket", "Vandaag afgesloten"):
        page.get_by_role("link", name=re.compile(tab)).click()
        expect(page.get_by_role("heading", level=2)).to_have_text(tab)
        assert_accessible(page)
    expect(rows).to_have_count(1)
