"""Keyboard use and the language switch."""

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login


def test_skip_link_is_first_and_moves_focus_to_main(page, live_server, user_for):
    login(page, live_server, user_for("Frontoffice"))
    # Start from the top of a freshly loaded page, with nothing focused.
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Direct naar de inhoud")
    expect(skip).to_be_visible()  # visible on focus, hidden otherwise
    expect(skip).to_have_attribute("href", "#main")

    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab continues inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_language_switch_to_english_and_back(page, live_server, user_for):
    login(page, live_server, user_for("Consulent"))
    page.goto(f"{live_server.url}/deelnemers/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")

    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    # Back on the same page, now in English.
    assert page.url == f"{live_server.url}/deelnemers/"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Participants")
    expect(page.get_by_role("button", name="Nederlands")).to_be_visible()
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Deelnemers")
    expect(page.get_by_role("button", name="English")).to_be_visible()
