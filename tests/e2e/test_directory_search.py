"""The social map at the desk: search as you type, a service's page, advice on a question."""

import pytest
from playwright.sync_api import expect

from schakelpunt.directory.models import ServiceAdvice
from tests.contacts.factories import ContactFactory, QuestionFactory
from tests.e2e.conftest import assert_accessible, login, screenshot
from tests.e2e.directory_data import social_map
from tests.residents.factories import ResidentFactory


@pytest.fixture
def services(transactional_db):
    return social_map()


@pytest.fixture
def frontoffice(user_for):
    return user_for("Frontoffice", first_name="Fatima", last_name="de Vries")


def test_search_as_you_type_with_capacity_and_freshness(page, live_server, frontoffice, services):
    login(page, live_server, frontoffice)
    page.goto(f"{live_server.url}/sociale-kaart/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sociale kaart")
    expect(page.locator(".sp-result")).to_have_count(4)  # every service but the defunct one

    page.get_by_label("Zoeken in de sociale kaart").press_sequentially("schuld", delay=40)
    results = page.locator("#results .sp-result")
    # The service itself, and one in the category "Geld en schulden".
    expect(results).to_have_count(2)
    expect(page.locator("#search-status")).to_have_text("2 diensten gevonden.")
    first = results.first
    expect(first).to_contain_text("Schuldhulpverlening Enschede")
    expect(first).to_contain_text("Wachtlijst: 2 tot 6 weken")
    expect(first).to_contain_text("gecontroleerd op")
    # The address is shareable: the words are in it, and it gives the same page.
    page.wait_for_url("**/sociale-kaart/?q=schuld")
    assert_accessible(page)

    page.get_by_label("Zoeken in de sociale kaart").fill("mantelzorg")
    page.get_by_role("button", name="Zoeken").click()
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Tijdelijk gesloten")
    expect(results.first).to_contain_text("te controleren")

    page.get_by_label("Zoeken in de sociale kaart").fill("")
    page.locator("summary", has_text="Filters").click()
    page.get_by_label("Plaats beschikbaar").check()
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Thuisadministratie Humanitas")
    screenshot(page, "sociale-kaart-zoeken.png")


def test_service_page(page, live_server, frontoffice, services):
    login(page, live_server, frontoffice)
    page.goto(f"{live_server.url}/sociale-kaart/?q=schulden")
    with page.expect_navigation():
        page.get_by_role("link", name="Schuldhulpverlening Enschede").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schuldhulpverlening Enschede")
    main = page.locator("main")
    expect(main).to_contain_text("ma–vr 09:00–17:00")
    expect(main).to_contain_text("1e donderdag van de maand 18:30–20:30 (avondspreekuur)")
    expect(main).to_contain_text("Hengelosestraat 51")
    expect(main).to_contain_text("Rolstoeltoegankelijk")
    expect(main).to_contain_text("vanaf 18 jaar")
    assert_accessible(page)
    screenshot(page, "sociale-kaart-dienst.png")


def test_advise_a_service_from_a_question(page, live_server, frontoffice, services, desk):
    question = QuestionFactory(
        contact=ContactFactory(desk=desk, resident=ResidentFactory(), handled_by=frontoffice),
        question_text="Ik krijg mijn rekeningen niet meer betaald en durf de post niet meer te openen.",
    )
    login(page, live_server, frontoffice)
    page.goto(f"{live_server.url}/vragen/{question.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Zoek in de sociale kaart").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Advies uit de sociale kaart")
    expect(page.locator("#advice-heading + p")).to_have_text(
        "Er is nog geen dienst geadviseerd voor deze vraag."
    )

    page.get_by_label("Zoeken in de sociale kaart").press_sequentially("administratie", delay=40)
    expect(page.locator("#results .sp-result")).to_have_count(1)
    with page.expect_navigation():
        page.get_by_role("button", name="Adviseer Thuisadministratie Humanitas").click()

    expect(page.get_by_role("status").first).to_contain_text("is als advies vastgelegd")
    expect(page.locator(".sp-advice")).to_contain_text("Thuisadministratie Humanitas")
    expect(page.locator("#results .sp-result").first).to_contain_text("Geadviseerd")
    assert ServiceAdvice.objects.filter(question=question, advised_by=frontoffice).count() == 1
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Terug naar de vraag").click()
    expect(page.locator("section", has=page.locator("#advice-heading"))).to_contain_text(
        "Thuisadministratie Humanitas"
    )
