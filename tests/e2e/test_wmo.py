"""A Wmo report in the browser, from the desk to the decision: the front office registers a
question with the outcome "Wmo-melding" in intake and makes the report (the client-support
question must be answered); a consultant picks it up from the work list, records the
conversation, the application and the decision; the resident's timeline shows the whole chain.
A second test pictures the work list's colours and the coordinator's overview.

Screenshots (docs/user/img/wmo-*.png) only with SCHAKELPUNT_SCREENSHOTS=1.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from schakelpunt.contacts.models import Question
from schakelpunt.wmo.models import SupportTrajectory, WmoReport
from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.residents.factories import ResidentFactory
from tests.wmo.factories import WmoReportFactory

S = WmoReport.Status


@pytest.fixture
def johanna(desk):
    return ResidentFactory(
        registered_desk=desk,
        given_names="Johanna",
        surname="Jansen",
        birth_date=datetime.date(1944, 5, 2),
        street="Marktstraat",
        house_number=12,
    )


def new_page(browser, browser_errors):
    """A second user's page, whose errors fail the test as the first page's do."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on(
        "console",
        lambda message: message.type == "error" and browser_errors.append(f"console: {message.text}"),
    )
    page.on("pageerror", lambda error: browser_errors.append(f"pageerror: {error}"))
    return page


def open_step(page, label: str):
    """Open the handling step ``label`` (a details element) and return its form."""
    page.locator("summary", has_text=re.compile(f"^{re.escape(label)}$")).click()
    return page.locator("details[open] form")


def test_from_the_desk_to_the_decision(page, live_server, browser, browser_errors, desk, user_for, johanna):
    front_office = user_for("Frontoffice", first_name="Fatima", last_name="El Amrani")
    consultant = user_for("Consulent", first_name="Sanne", last_name="Bakker")

    # The front office registers the question; its outcome is a Wmo report.
    login(page, live_server, front_office)
    page.goto(f"{live_server.url}/intake/?inwoner={johanna.pk}")
    page.get_by_label("Vraag", exact=True).fill("Ik red het huishouden niet meer sinds mijn heupoperatie.")
    page.get_by_label("Vraag achter de vraag").fill("Woont alleen; dochter komt één keer per week.")
    page.get_by_label("Status").select_option(label="Afgesloten")
    page.get_by_label("Uitkomst").select_option(label="Wmo-melding")
    page.get_by_label("Antwoord of advies").fill("Wmo-melding gedaan voor hulp bij het huishouden.")
    with page.expect_navigation():
        page.get_by_role("button", name="Opslaan").click()

    # ... and goes on with the report's form, filled in from the question.
    expect(page.get_by_role("heading", level=1)).to_have_text("Wmo-melding maken")
    expect(page.get_by_text("Contact opgeslagen. Leg nu de Wmo-melding vast.")).to_be_visible()
    expect(page.get_by_label("Waar heeft de inwoner ondersteuning bij nodig?")).to_have_value(
        re.compile("Ik red het huishouden niet meer")
    )
    page.get_by_role("checkbox", name="Hulp bij het huishouden").check()
    page.get_by_label("Toelichting bij hulp bij het huishouden").fill("Schoonmaken, twee uur per week")
    # Saving without the answer on client support is refused, next to the question.
    with page.expect_navigation():
        page.get_by_role("button", name="Melding opslaan").click()
    offered = page.get_by_role("group", name="Is gratis onafhankelijke cliëntondersteuning aangeboden?")
    expect(offered).to_have_accessible_description(re.compile("zonder dit antwoord kan de melding niet"))
    assert not WmoReport.objects.exists()
    # What was typed stays.
    expect(page.get_by_role("checkbox", name="Hulp bij het huishouden")).to_be_checked()
    assert_accessible(page)
    # Start afresh for the picture of the form as it is meant to be filled in.
    page.goto(page.url)
    page.get_by_role("checkbox", name="Hulp bij het huishouden").check()
    page.get_by_label("Toelichting bij hulp bij het huishouden").fill("Schoonmaken, twee uur per week")
    offered = page.get_by_role("group", name="Is gratis onafhankelijke cliëntondersteuning aangeboden?")
    offered.get_by_label("Ja").check()
    page.get_by_role("group", name="Wil de inwoner cliëntondersteuning?").get_by_label("Ja").check()
    assert_accessible(page)
    screenshot(page, "wmo-create.png")
    with page.expect_navigation():
        page.get_by_role("button", name="Melding opslaan").click()

    report = WmoReport.objects.get()
    question = Question.objects.get()
    assert report.question == question and report.client_support_offered and report.client_support_accepted
    assert SupportTrajectory.objects.filter(report=report).exists()
    # The front office sees the status page: phase, deadlines, no content.
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Wmo-melding {report.pk}")
    expect(page.get_by_text("De Wmo-melding is vastgelegd")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Onderzoek af")).to_be_visible()
    expect(page.get_by_text("Nog niet opgepakt")).to_be_visible()
    assert "Schoonmaken, twee uur per week" not in page.content()
    assert_accessible(page)
    screenshot(page, "wmo-status.png")

    # A consultant picks it up from the work list.
    work = new_page(browser, browser_errors)
    login(work, live_server, consultant)
    work.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Wmo-meldingen").click()
    expect(work.get_by_role("heading", level=1)).to_have_text("Mijn Wmo-meldingen")
    expect(work.get_by_text("U heeft geen open Wmo-meldingen.")).to_be_visible()
    work.get_by_role("link", name="Op te pakken door het team (1)").click()
    expect(work.get_by_role("cell", name="Johanna Jansen")).to_be_visible()
    assert_accessible(work)
    with work.expect_navigation():
        work.get_by_role("button", name=f"Oppakken melding {report.pk}").click()
    expect(work.get_by_text("De melding is opgepakt: het onderzoek loopt.")).to_be_visible()
    expect(work.get_by_role("heading", level=1)).to_contain_text("In onderzoek")

    # The conversation: a future date is refused next to the field.
    form = open_step(work, "Gesprek en verslag vastleggen")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form.get_by_label("Datum van het gesprek").fill(f"{tomorrow:%d-%m-%Y}")
    form.get_by_label("Verslag van het gesprek").fill(
        "Keukentafelgesprek met mevrouw Jansen en haar dochter. Mevrouw kan na haar heupoperatie "
        "niet meer stofzuigen en dweilen. Afspraak: aanvraag voor hulp bij het huishouden."
    )
    with work.expect_navigation():
        form.get_by_role("button", name="Opslaan").click()
    form = work.locator("details[open] form")
    expect(form.get_by_label("Datum van het gesprek")).to_have_accessible_description(
        re.compile("Deze datum ligt in de toekomst")
    )
    form.get_by_label("Datum van het gesprek").fill(f"{timezone.localdate():%d-%m-%Y}")
    with work.expect_navigation():
        form.get_by_role("button", name="Opslaan").click()
    expect(work.get_by_text("Het onderzoek is bijgewerkt.")).to_be_visible()

    # The application, then the decision.
    form = open_step(work, "Aanvraag ontvangen")
    with work.expect_navigation():
        form.get_by_role("button", name="Aanvraag vastleggen").click()
    expect(work.get_by_text("De aanvraag is vastgelegd")).to_be_visible()
    expect(work.get_by_role("row", name=re.compile("^Besluit")).get_by_text("Loopt")).to_be_visible()

    form = open_step(work, "Besluit vastleggen")
    form.get_by_label("Besluit over hulp bij het huishouden").select_option(label="Toegekend")
    form.get_by_label("Wat is toegekend bij hulp bij het huishouden").fill("2 uur per week, 12 maanden")
    form.get_by_label("Wat is besloten").fill("Hulp bij het huishouden toegekend: 2 uur per week.")
    assert_accessible(work)
    screenshot(work, "wmo-decision.png")
    with work.expect_navigation():
        form.get_by_role("button", name="Besluit vastleggen").click()
    expect(work.get_by_text("Het besluit is vastgelegd.")).to_be_visible()
    expect(work.get_by_role("heading", level=1)).to_contain_text("Besluit genomen")
    report.refresh_from_db()
    assert report.status == S.DECIDED and report.decision == WmoReport.Decision.GRANTED
    assert_accessible(work)
    screenshot(work, "wmo-report.png")

    # The resident's timeline tells the whole story: question → report → investigation →
    # application → decision.
    work.get_by_role("navigation", name="Kruimelpad").get_by_role("link", name="Johanna Jansen").click()
    timeline = work.locator("#timeline")
    for text in (
        f"Wmo-melding {report.pk}: Besluit genomen",
        f"Wmo-melding {report.pk}: Aanvraag ontvangen",
        f"Wmo-melding {report.pk}: In onderzoek",
        f"Wmo-melding {report.pk} gedaan",
        "Hulpvraag",
    ):
        expect(timeline.get_by_role("heading", name=re.compile(re.escape(text)))).to_be_visible()
    expect(timeline.get_by_text("2 uur per week, 12 maanden")).to_be_visible()
    assert_accessible(work)
    screenshot(work, "wmo-timeline.png")
    work.context.close()

    # The front office sees the same chain on the timeline, without the content.
    page.goto(f"{live_server.url}/inwoners/{johanna.pk}/")
    timeline = page.locator("#timeline")
    expect(timeline.get_by_role("heading", name=re.compile("Besluit genomen"))).to_be_visible()
    expect(timeline.get_by_text("2 uur per week, 12 maanden")).to_have_count(0)


def test_work_list_colours_and_the_overview(page, live_server, browser, browser_errors, desk, user_for):
    consultant = user_for("Consulent", first_name="Sanne", last_name="Bakker")
    coordinator = user_for("Coördinator", first_name="Carla", last_name="de Jong")
    today = timezone.localdate()
    people = [("Hendrik", "de Boer"), ("Aaltje", "Visser"), ("Gerrit", "Mulder"), ("Wilma", "Smit")]
    residents = [ResidentFactory(registered_desk=desk, given_names=g, surname=s) for g, s in people]
    WmoReportFactory(
        desk=desk,
        resident=residents[0],
        investigation=True,
        consultant=consultant,
        reported_on=today - datetime.timedelta(days=50),
    )  # overdue
    WmoReportFactory(
        desk=desk,
        resident=residents[1],
        investigation=True,
        consultant=consultant,
        reported_on=today - datetime.timedelta(days=38),
        support_types=["aids", "transport"],
    )
    WmoReportFactory(
        desk=desk,
        resident=residents[2],
        investigation=True,
        consultant=consultant,
        reported_on=today - datetime.timedelta(days=3),
        support_types=["guidance"],
    )
    WmoReportFactory(
        desk=desk,
        resident=residents[3],
        reported_on=today - datetime.timedelta(days=1),
        support_types=["day_activities"],
    )

    login(page, live_server, consultant)
    page.goto(f"{live_server.url}/wmo/")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Te laat")
    expect(rows.nth(0)).to_contain_text("Hendrik de Boer")
    expect(rows.nth(1)).to_contain_text("Deze week")
    expect(rows.nth(2)).not_to_contain_text("Deze week")
    assert_accessible(page)
    screenshot(page, "wmo-work.png")

    overview = new_page(browser, browser_errors)
    login(overview, live_server, coordinator)
    overview.goto(f"{live_server.url}/wmo/")
    overview.get_by_role("link", name="Overzicht van alle open meldingen").click()
    expect(overview.get_by_role("heading", level=1)).to_have_text("Overzicht Wmo-meldingen")
    expect(overview.get_by_text("4 meldingen, de oudste bovenaan.")).to_be_visible()
    overview.get_by_label("Consulent").select_option(label="Nog niet opgepakt")
    with overview.expect_navigation():
        overview.get_by_role("button", name="Filteren").click()
    expect(overview.get_by_text("1 melding, de oudste bovenaan.")).to_be_visible()
    overview.get_by_role("link", name="Alle open meldingen").click()
    assert_accessible(overview)
    screenshot(overview, "wmo-overview.png")
    overview.context.close()
