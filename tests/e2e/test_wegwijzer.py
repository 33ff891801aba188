"""The public guide (wegwijzer): browse by category, search, a service's page; with and without JavaScript."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, screenshot
from tests.e2e.directory_data import social_map


@pytest.fixture
def services(transactional_db):
    return social_map()


def test_browse_to_a_service(page, live_server, services):
    response = page.goto(f"{live_server.url}/wegwijzer/")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Wegwijzer wonen, zorg en welzijn")
    tiles = page.locator(".sp-tile")
    expect(tiles).to_have_count(3)
    expect(tiles.filter(has_text="Geld en schulden")).to_contain_text("2 diensten")
    expect(tiles.filter(has_text="Zorg")).to_contain_text("1 dienst")
    assert_accessible(page)
    screenshot(page, "wegwijzer.png")

    with page.expect_navigation():
        page.get_by_role("link", name="Geld en schulden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Geld en schulden")
    expect(page.locator(".sp-tile")).to_have_count(2)
    expect(page.locator(".sp-result")).to_have_count(2)
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Schuldhulpverlening Enschede").click()
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("Schuldhulpverlening Enschede")
    for text in ("Hengelosestraat 51", "ma–vr 09:00–17:00", "Bel 14 053", "Gratis", "Rolstoeltoegankelijk"):
        expect(main).to_contain_text(text)
    expect(main).not_to_contain_text("te controleren")
    assert_accessible(page)
    screenshot(page, "wegwijzer-dienst.png")

    # On paper: no menu, no search, no footer.
    page.emulate_media(media="print")
    expect(page.locator(".sp-footer")).to_be_hidden()
    expect(page.locator(".sp-breadcrumb")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_search_as_you_type_shows_only_public_services(page, live_server, services):
    page.goto(f"{live_server.url}/wegwijzer/")
    page.get_by_label("Zoeken in de sociale kaart").press_sequentially("mantelzorg", delay=40)
    results = page.locator("#results .sp-result")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Tijdelijk gesloten")
    expect(results.first).to_contain_text("tot 1 maart gesloten")
    page.wait_for_url("**/wegwijzer/?q=mantelzorg")
    assert_accessible(page)


def test_works_without_javascript(browser, live_server, services):
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/wegwijzer/")
        page.get_by_label("Zoeken in de sociale kaart").fill("schulden")
        with page.expect_navigation():
            page.get_by_role("button", name="Zoeken").click()
        assert "/wegwijzer/?q=schulden" in page.url
        expect(page.locator(".sp-result")).to_have_count(2)
        expect(page.locator("main")).not_to_contain_text("Oude schuldhulplijn")
        with page.expect_navigation():
            page.get_by_role("link", name="Thuisadministratie Humanitas").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thuisadministratie Humanitas")
    finally:
        context.close()
