"""The access log as the privacy officer sees it in the browser."""

import pytest
from playwright.sync_api import expect

from schakelpunt.audit.models import AccessLog
from schakelpunt.audit.services import Action, Result, access_log_record
from tests.e2e.conftest import assert_accessible, login


@pytest.fixture
def log_rows(user_for):
    frontoffice = user_for("Frontoffice", username="f.elamrani")
    consulent = user_for("Consulent", username="s.devries")
    for number in range(3):
        access_log_record(
            acting_user=frontoffice,
            action=Action.READ,
            object_type="organisations.desk",
            object_id=number + 1,
            purpose="intake",
        )
    access_log_record(
        acting_user=consulent,
        action=Action.READ,
        object_type="view",
        object_id="audit:log",
        result=Result.REFUSED,
    )
    return frontoffice, consulent


def user_column(page):
    return page.locator("main table tbody tr td:nth-child(2)")


def test_privacy_officer_filters_the_access_log(page, live_server, user_for, log_rows):
    frontoffice, consulent = log_rows
    privacy = user_for("Privacyfunctionaris")
    login(page, live_server, privacy)

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Toegangslog").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Toegangslog")
    users = user_column(page)
    expect(users.first).to_be_visible()
    seen = set(users.all_inner_texts())
    assert {frontoffice.username, consulent.username} <= seen
    expect(page.locator("main tbody tr", has_text=consulent.username)).to_contain_text("Geweigerd")
    expect(page.get_by_role("link", name="Exporteren als CSV")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Gebruikersnaam").fill(frontoffice.username)
    with page.expect_navigation():
        page.get_by_role("button", name="Filteren").click()
    assert f"username={frontoffice.username}" in page.url
    expect(page.get_by_label("Gebruikersnaam")).to_have_value(frontoffice.username)
    expect(users).to_have_text([frontoffice.username] * 3)
    assert_accessible(page)

    # A filter without matches says so.
    page.get_by_label("Gebruikersnaam").fill("niemand")
    with page.expect_navigation():
        page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_text("Geen regels gevonden met deze filters.")).to_be_visible()
    assert_accessible(page)

    # Each look at the log is itself logged, as a search by the privacy officer.
    assert AccessLog.objects.filter(username=privacy.username, action=Action.SEARCH).count() == 3


def test_invalid_filter_shows_the_error_at_the_field(page, live_server, user_for, log_rows):
    login(page, live_server, user_for("Privacyfunctionaris"))
    page.goto(f"{live_server.url}/toegangslog/?date_from=2026-03-10&date_to=2026-03-01")
    expect(page.get_by_role("alert")).to_be_visible()
    field = page.get_by_label("Tot en met datum")
    expect(field).to_have_accessible_description("De einddatum ligt vóór de begindatum.")
    assert_accessible(page)
