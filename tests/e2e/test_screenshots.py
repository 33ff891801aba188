"""The demo data in the browser: accessible with realistic content, and the pictures in the
user documentation (docs/user/img), which are only rewritten with SCHAKELPUNT_SCREENSHOTS=1:

    SCHAKELPUNT_SCREENSHOTS=1 DJANGO_ALLOW_ASYNC_UNSAFE=true pytest tests/e2e/test_screenshots.py
"""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from schakelpunt.accounts.demo import DEMO_PASSWORD
from tests.e2e.conftest import assert_accessible, login, screenshot


@pytest.fixture
def demo(live_server, transactional_db):
    call_command("demo_data", stdout=io.StringIO())


def logout(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Uitloggen").click()


def test_demo_pages_and_screenshots(page, live_server, demo):
    page.goto(f"{live_server.url}/inloggen/")
    assert_accessible(page)
    screenshot(page, "login.png")

    page.goto(f"{live_server.url}/loketten/zorgloket-enschede/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zorgloket Enschede")
    expect(page.get_by_role("table")).not_to_have_count(0)
    assert_accessible(page)
    screenshot(page, "loket.png")

    login(page, live_server, "frontoffice", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Fatima")
    assert_accessible(page)
    screenshot(page, "home-frontoffice.png")
    page.goto(f"{live_server.url}/deelnemers/")
    expect(page.locator("main tbody tr")).to_have_count(8)
    assert_accessible(page)
    logout(page)

    login(page, live_server, "privacy", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Ingrid")
    assert_accessible(page)
    screenshot(page, "home-privacy.png")
    page.goto(f"{live_server.url}/toegangslog/")
    page.reload()  # each look at the log is logged: the second shows the first
    expect(page.locator("main tbody tr")).not_to_have_count(0)
    assert_accessible(page)
