"""The intake screen in the browser: register questions anonymously, for a new resident and for a
resident found by the as-you-type search; a volunteer sees no BSN; and everything with the keyboard
alone, well within a minute.

The screenshots in the user documentation (docs/user/img/intake*.png) are written only with
SCHAKELPUNT_SCREENSHOTS=1.
"""

import datetime
import re
import time

import pytest
from playwright.sync_api import expect

from schakelpunt.audit.models import AccessLog
from schakelpunt.contacts.models import Contact, Question
from schakelpunt.residents.models import Resident
from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.organisations.factories import LocationFactory
from tests.residents.factories import BSNS, ResidentFactory


@pytest.fixture
def johanna(desk):
    LocationFactory(desk=desk, name="Stadskantoor", town="Teststad")
    ResidentFactory(
        registered_desk=desk,
        given_names="Pieter",
        surname="Jansma",
        birth_date=datetime.date(1950, 6, 1),
        street="Kerkstraat",
        house_number=3,
    )
    return ResidentFactory(
        registered_desk=desk,
        given_names="Johanna",
        surname="Jansen",
        bsn=BSNS[0],
        street="Marktstraat",
        house_number=12,
        postcode="7511 AB",
        town="Enschede",
        phone="053 123 45 67",
    )


@pytest.fixture
def frontoffice(user_for):
    return user_for("Frontoffice", first_name="Fatima", last_name="El Amrani")


def open_intake(page, live_server, user) -> None:
    login(page, live_server, user)
    page.goto(f"{live_server.url}/intake/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw contact")


def save(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Contact opgeslagen")).to_be_visible()


def focused_matches(page, selector: str) -> bool:
    return page.evaluate("(selector) => document.activeElement.matches(selector)", selector)


def tab_to(page, selector: str, limit: int = 30) -> int:
    """Press Tab until the element matching ``selector`` has the focus; return how many presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if focused_matches(page, selector):
            return presses
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab")


def test_anonymous_phone_question(page, live_server, frontoffice, desk):
    open_intake(page, live_server, frontoffice)
    expect(page.get_by_label("Anoniem (zonder inwoner)")).to_be_checked()
    expect(page.get_by_label("Kanaal")).to_have_value("phone")
    # The new-resident fields are there only for a new resident.
    expect(page.get_by_role("group", name="Nieuwe inwoner")).to_be_hidden()
    page.get_by_label("Vraag", exact=True).fill("Waar kan ik een rollator lenen?")
    page.get_by_label("Status").select_option(label="Afgesloten")
    page.get_by_label("Uitkomst").select_option(label="Informatie gegeven")
    page.get_by_label("Antwoord of advies").fill("Bij de uitleenservice van de thuiszorgwinkel.")
    save(page)
    assert page.url == f"{live_server.url}/intake/"
    contact = Contact.objects.get()
    assert contact.resident is None and contact.channel == "phone" and contact.asked_by == "anonymous"
    assert contact.questions.get().outcome == Question.Outcome.INFORMATION


def test_new_resident_with_bsn(page, live_server, frontoffice, desk):
    open_intake(page, live_server, frontoffice)
    page.get_by_role("radio", name="Nieuwe inwoner").check()
    group = page.get_by_role("group", name="Nieuwe inwoner")
    expect(group).to_be_visible()
    group.get_by_label("BSN").fill("9999 93 653")
    group.get_by_label("Voornamen").fill("Johanna")
    group.get_by_label("Achternaam").fill("Jansen")
    group.get_by_label("Geboortedatum").fill("12-03-1948")
    group.get_by_label("Postcode").fill("7511ab")
    group.get_by_label(re.compile(r"^Huisnummer")).fill("12")
    page.get_by_label("Vraag", exact=True).fill("Ik kan de trap niet meer op.")
    page.get_by_label("Gezondheidsnotities").fill("Nieuwe heup sinds maart.")
    page.get_by_label("Wonen").check()
    save(page)
    resident = Resident.objects.get()
    assert (resident.bsn, resident.postcode, resident.birth_date) == (
        BSNS[0],
        "7511 AB",
        datetime.date(1948, 3, 12),
    )
    question = Question.objects.get()
    assert question.resident == resident and question.domains.get().code == "wonen"


def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(page, live_server, frontoffice, desk):
    open_intake(page, live_server, frontoffice)
    page.get_by_role("radio", name="Nieuwe inwoner").check()
    group = page.get_by_role("group", name="Nieuwe inwoner")
    group.get_by_label("BSN").fill("123456789")
    group.get_by_label("Achternaam").fill("Jansen")
    group.get_by_label("Geboortedatum").fill("31-02-1950")
    group.get_by_label("Postcode").fill("1234 A")
    page.get_by_label("Vraag", exact=True).fill("Hulp bij het huishouden")
    page.get_by_label("Status").select_option(label="Afgesloten")
    with page.expect_navigation():
        page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Er is niets opgeslagen")
    expect(page.get_by_role("alert")).to_be_focused()
    # The messages belong to their fields (aria-describedby), so a screen reader reads them there.
    # (scoped to the new resident: the register lookup on the same page has fields of its own)
    group = page.get_by_role("group", name="Nieuwe inwoner")
    expect(group.get_by_label("BSN")).to_have_accessible_description(re.compile("Dit is geen geldig BSN"))
    expect(group.get_by_label("Geboortedatum")).to_have_accessible_description(
        re.compile("Dit is geen bestaande datum")
    )
    expect(group.get_by_label("Postcode")).to_have_accessible_description(
        re.compile("Vul een postcode in als 1234 AB")
    )
    expect(page.get_by_label("Uitkomst")).to_have_accessible_description(re.compile("Kies een uitkomst"))
    # What was typed is still there.
    expect(page.get_by_label("Vraag", exact=True)).to_have_value("Hulp bij het huishouden")
    assert_accessible(page)
    assert not Contact.objects.exists() and not Resident.objects.exists()


def test_find_a_resident_by_partial_name_and_birth_date_and_add_a_question(
    page, live_server, frontoffice, johanna
):
    open_intake(page, live_server, frontoffice)
    page.get_by_label("Zoek inwoner").fill("jans 12-03-1948")
    results = page.locator("#search-results [data-search-result]")
    expect(results).to_have_count(1)
    expect(results).to_have_text("Johanna Jansen")
    expect(page.locator("#search-status")).to_have_text("1 inwoner gevonden.")
    expect(page.locator("#search-results")).to_contain_text("Marktstraat 12, 7511 AB Enschede")
    expect(page.locator("#search-results")).to_contain_text(BSNS[0])
    assert_accessible(page)
    # Listing is a search, not a read of each resident.
    assert list(AccessLog.objects.values_list("action", flat=True)) == ["search"]

    results.first.click()
    chosen = page.get_by_role("radio", name=re.compile("Johanna Jansen"))
    expect(chosen).to_be_checked()
    expect(chosen).to_be_focused()
    expect(page.locator("#search-results [data-search-result]")).to_have_count(0)
    expect(page.locator("#search-status")).to_have_text("Gekozen: Johanna Jansen")
    assert AccessLog.objects.filter(action="read", object_id=str(johanna.pk)).count() == 1

    page.get_by_label("Vraag", exact=True).fill("Kan ik hulp krijgen bij het invullen van de huurtoeslag?")
    page.get_by_label("Vraag achter de vraag").fill(
        "Haar man deed altijd de administratie; hij is overleden."
    )
    page.get_by_label("Financiën").check()
    page.get_by_label("Status").select_option(label="Wacht op iets of iemand")
    page.get_by_label("Terugbellen op").fill(f"{datetime.date.today() + datetime.timedelta(days=3):%d-%m-%Y}")
    page.get_by_label("Bestede tijd (minuten)").fill("10")
    assert_accessible(page)
    screenshot(page, "intake.png")
    save(page)
    question = Question.objects.get()
    assert question.resident == johanna and question.contact.resident == johanna
    assert question.follow_ups.count() == 1


def test_search_results_are_accessible_and_pictured(page, live_server, frontoffice, johanna):
    open_intake(page, live_server, frontoffice)
    page.get_by_label("Zoek inwoner").fill("jans")
    expect(page.locator("#search-results [data-search-result]")).to_have_count(2)
    expect(page.locator("#search-status")).to_have_text("2 inwoners gevonden.")
    assert_accessible(page)
    # Last: the screenshot leaves empty style attributes on the inputs (Playwright hides the
    # caret that way), which a later htmx swap would copy and the Content-Security-Policy refuse.
    screenshot(page, "intake-search.png")


def test_volunteer_does_not_see_the_bsn(page, live_server, user_for, johanna):
    open_intake(page, live_server, user_for("Vrijwilliger"))
    page.get_by_label("Zoek inwoner").fill(BSNS[0])
    expect(page.locator("#search-status")).to_contain_text("Zoeken op BSN kan alleen als u het BSN mag zien")
    expect(page.locator("#search-results [data-search-result]")).to_have_count(0)

    page.get_by_label("Zoek inwoner").fill("jansen")
    expect(page.locator("#search-results [data-search-result]")).to_have_count(1)
    expect(page.locator("#search-results")).not_to_contain_text("BSN")
    page.locator("#search-results [data-search-result]").first.click()
    expect(page.get_by_role("radio", name=re.compile("Johanna Jansen"))).to_be_checked()
    page.get_by_role("radio", name="Nieuwe inwoner").check()  # the new-resident fields have no BSN either
    expect(page.get_by_role("group", name="Nieuwe inwoner").get_by_label("Achternaam")).to_be_visible()
    expect(page.get_by_label("BSN")).to_have_count(0)
    expect(page.get_by_label("Gezondheidsnotities")).to_have_count(0)
    assert BSNS[0] not in page.content()
    assert_accessible(page)


def test_nog_een_vraag_adds_a_block_on_the_page(page, live_server, frontoffice, desk):
    open_intake(page, live_server, frontoffice)
    page.get_by_label("Vraag", exact=True).fill("Waar is het wijkcentrum?")
    page.get_by_role("button", name="Nog een vraag").click()
    second = page.locator("#id_vragen-1-question_text")
    expect(second).to_be_focused()
    expect(page.get_by_role("heading", name="Vraag 2")).to_be_visible()
    page.keyboard.type("En wanneer is het open?")
    save(page)
    assert sorted(Question.objects.values_list("question_text", flat=True)) == [
        "En wanneer is het open?",
        "Waar is het wijkcentrum?",
    ]


def test_keyboard_only_information_question_within_a_minute(page, live_server, frontoffice, johanna):
    login(page, live_server, frontoffice)
    page.goto(f"{live_server.url}/intake/")
    start = time.monotonic()

    # The cursor starts in the search field.
    expect(page.locator("#id_q")).to_be_focused()
    page.keyboard.type("jans 12-03-1948")
    expect(page.locator("#search-results [data-search-result]")).to_have_count(1)
    page.keyboard.press("ArrowDown")
    expect(page.locator(":focus")).to_have_text("Johanna Jansen")
    page.keyboard.press("Enter")
    expect(page.get_by_role("radio", name=re.compile("Johanna Jansen"))).to_be_focused()

    assert tab_to(page, "#id_vragen-0-question_text") <= 8
    page.keyboard.type("Waar kan ik een scootmobiel huren voor een dagje uit?")
    tab_to(page, "#id_vragen-0-status")
    page.keyboard.type("Afg")  # type-ahead in the list: Afgesloten
    expect(page.locator("#id_vragen-0-status")).to_have_value("closed")
    tab_to(page, "#id_vragen-0-outcome")
    page.keyboard.type("Inf")  # Informatie gegeven
    expect(page.locator("#id_vragen-0-outcome")).to_have_value("information")
    tab_to(page, "#id_vragen-0-answer")
    page.keyboard.type("Bij de scootmobielpool van de bibliotheek.")
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    expect(page.get_by_text("Contact opgeslagen")).to_be_visible()
    elapsed = time.monotonic() - start

    question = Question.objects.get()
    assert question.resident == johanna
    assert (question.status, question.outcome) == (Question.Status.CLOSED, Question.Outcome.INFORMATION)
    assert question.answer == "Bij de scootmobielpool van de bibliotheek."
    assert elapsed < 60, f"registering took {elapsed:.1f} s"


def test_alt_s_saves_too(page, live_server, frontoffice, desk):
    open_intake(page, live_server, frontoffice)
    page.get_by_label("Vraag", exact=True).fill("Waar vind ik de formulieren voor bijzondere bijstand?")
    with page.expect_navigation():
        page.keyboard.press("Alt+s")
    expect(page.get_by_text("Contact opgeslagen")).to_be_visible()
    assert Question.objects.count() == 1


def test_everything_works_without_javascript(browser, live_server, frontoffice, johanna):
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    try:
        open_intake(page, live_server, frontoffice)
        # The search is an ordinary form: it opens the search page with the results.
        page.get_by_label("Zoek inwoner").fill("jans 12-03-1948")
        with page.expect_navigation():
            page.get_by_role("button", name="Zoeken", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Inwoner zoeken")
        expect(page.get_by_role("status")).to_have_text("1 inwoner gevonden.")
        with page.expect_navigation():
            page.get_by_role("link", name="Johanna Jansen").click()
        assert page.url == f"{live_server.url}/intake/?inwoner={johanna.pk}"
        expect(page.get_by_role("radio", name=re.compile("Johanna Jansen"))).to_be_checked()
        # Without JavaScript the new-resident fields are always there, with a hint.
        expect(page.get_by_text("Alleen invullen als u hierboven ‘Nieuwe inwoner’ kiest.")).to_be_visible()

        page.get_by_label("Vraag", exact=True).fill("Waar is het wijkcentrum?")
        with page.expect_navigation():
            page.get_by_role("button", name="Nog een vraag").click()
        expect(page.get_by_role("heading", name="Vraag 2")).to_be_visible()
        expect(page.locator("#id_vragen-1-question_text")).to_be_focused()  # autofocus
        expect(page.get_by_label("Vraag", exact=True).first).to_have_value("Waar is het wijkcentrum?")
        expect(page.get_by_role("radio", name=re.compile("Johanna Jansen"))).to_be_checked()
        page.locator("#id_vragen-1-question_text").fill("En wanneer is het open?")
        save(page)
    finally:
        context.close()
    assert Question.objects.filter(resident=johanna).count() == 2
