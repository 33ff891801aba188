"""The public pages: desks with their locations and opening hours, and the health check."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible
from tests.organisations.factories import LocationFactory, OpeningHoursFactory


@pytest.fixture
def desk_with_locations(desk):
    desk.description = "Voor al uw vragen over wonen, zorg en welzijn."
    desk.phone = "053 481 00 00"
    desk.save()
    main = LocationFactory(
        desk=desk,
        name="Stadskantoor",
        street="Hengelosestraat",
        house_number=51,
        postcode="7514 AD",
        accessibility="Rolstoeltoegankelijk",
    )
    OpeningHoursFactory(location=main, weekday=0)
    OpeningHoursFactory(location=main, weekday=3, note="Alleen op afspraak")
    LocationFactory(desk=desk, name="Wijkcentrum De Bron")
    return desk


def test_desk_list_is_public_and_accessible(page, live_server, desk_with_locations):
    response = page.goto(f"{live_server.url}/loketten/")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Loketten en openingstijden")
    card = page.locator("section.sp-card", has_text="Zorgloket Teststad")
    expect(card).to_contain_text("2 locaties")
    expect(card).to_contain_text("053 481 00 00")
    # Anonymous visitors get no menu and no logout button.
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_have_count(0)
    expect(page.get_by_role("button", name="Uitloggen")).to_have_count(0)
    assert_accessible(page)

    with page.expect_navigation():
        card.get_by_role("link", name="Zorgloket Teststad").click()
    assert page.url == f"{live_server.url}/loketten/zorgloket-teststad/"


def test_desk_detail_shows_locations_and_opening_hours(page, live_server, desk_with_locations):
    response = page.goto(f"{live_server.url}/loketten/{desk_with_locations.slug}/")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Zorgloket Teststad")
    expect(page.get_by_role("heading", level=3)).to_have_text(["Stadskantoor", "Wijkcentrum De Bron"])
    main = page.locator(".sp-location", has_text="Stadskantoor")
    expect(main).to_contain_text("Hengelosestraat 51")
    expect(main).to_contain_text("7514 AD")
    expect(main).to_contain_text("Rolstoeltoegankelijk")
    hours = main.get_by_role("table")
    expect(hours.get_by_role("row")).to_have_count(3)  # header and two days
    expect(hours.get_by_role("row").nth(1)).to_contain_text("Maandag")
    expect(hours.get_by_role("row").nth(1)).to_contain_text("09:00–17:00")
    expect(hours.get_by_role("row").nth(2)).to_contain_text("Donderdag")
    expect(hours.get_by_role("row").nth(2)).to_contain_text("Alleen op afspraak")
    other = page.locator(".sp-location", has_text="Wijkcentrum De Bron")
    expect(other).to_contain_text("Voor deze locatie zijn nog geen openingstijden bekend.")
    assert_accessible(page)


def test_unknown_desk_is_a_dutch_404(page, live_server, desk, browser_errors):
    from tests.e2e.conftest import expect_logged_error

    response = page.goto(f"{live_server.url}/loketten/bestaat-niet/")
    assert response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    assert_accessible(page)
    expect_logged_error(browser_errors, r"status of 404")


def test_health_reports_the_database(page, live_server):
    response = page.request.get(f"{live_server.url}/health/")
    assert response.status == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}
