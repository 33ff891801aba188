"""Logging in and out in the browser: Dutch texts, errors at the form, lockout."""

import re

from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.e2e.conftest import assert_accessible, expect_logged_error, login


def submit_login(page, username: str, password: str) -> None:
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen", exact=True).click()


def test_login_page_is_dutch_and_accessible(page, live_server):
    page.goto(f"{live_server.url}/inloggen/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page).to_have_title(re.compile(r"^Inloggen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    expect(page.get_by_label("Gebruikersnaam")).to_be_focused()
    expect(page.get_by_label("Wachtwoord")).to_be_visible()
    assert_accessible(page)


def test_wrong_password_shows_the_dutch_error_at_the_form(page, live_server, user_for):
    user = user_for("Frontoffice")
    page.goto(f"{live_server.url}/inloggen/")
    submit_login(page, user.username, "niet-het-goede-wachtwoord")

    assert page.url.endswith("/inloggen/")
    error = page.get_by_role("alert")
    expect(error).to_contain_text("Deze combinatie van gebruikersnaam en wachtwoord kennen we niet")
    # The message stands right above the form it is about.
    form_box = page.locator("main form").bounding_box()
    error_box = error.bounding_box()
    assert 0 <= form_box["y"] - (error_box["y"] + error_box["height"]) < 100
    # The user name stays filled in; the password does not.
    expect(page.get_by_label("Gebruikersnaam")).to_have_value(user.username)
    expect(page.get_by_label("Wachtwoord")).to_have_value("")
    assert_accessible(page)


def test_five_wrong_passwords_lock_the_account(page, live_server, user_for, browser_errors):
    user = user_for("Frontoffice")
    page.goto(f"{live_server.url}/inloggen/")
    for _attempt in range(4):
        submit_login(page, user.username, "niet-het-goede-wachtwoord")
        expect(page.get_by_role("alert")).to_be_visible()
    submit_login(page, user.username, "niet-het-goede-wachtwoord")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen tijdelijk geblokkeerd")
    assert_accessible(page)

    # Locked means locked: the right password does not help either.
    page.goto(f"{live_server.url}/inloggen/")
    submit_login(page, user.username, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen tijdelijk geblokkeerd")
    # The lockout page comes with an error status, which Chromium logs.
    expect_logged_error(browser_errors, r"status of (403|429)")


def test_logout_ends_the_session(page, live_server, user_for):
    login(page, live_server, user_for("Consulent"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")

    with page.expect_navigation():
        page.get_by_role("button", name="Uitloggen").click()
    assert page.url.endswith("/inloggen/")

    page.goto(f"{live_server.url}/deelnemers/")
    assert re.search(r"/inloggen/\?next=/deelnemers/$", page.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")


def test_login_fields_are_nl_design_system_textboxes(page, live_server):
    page.goto(f"{live_server.url}/inloggen/")
    for label in ("Gebruikersnaam", "Wachtwoord"):
        field = page.get_by_label(label)
        expect(field).to_have_class(re.compile(r"\butrecht-textbox\b"), timeout=1000)
        # Large enough to hit (the theme's pointer target: 3rem).
        assert field.bounding_box()["height"] >= 44
