"""Browser tests: Playwright (sync API) drives Chromium against pytest-django's live server.

Every test under tests/e2e is marked ``e2e`` and skipped when Chromium is not installed.
A page fails its test when it logs a console error or a Content-Security-Policy violation
(Chromium reports both on the console) or throws an uncaught JavaScript error.
"""

import os
import re
from pathlib import Path

import pytest

from tests.accounts.factories import PASSWORD

# The live server runs in a thread next to Playwright's event loop; Django refuses database
# access from a thread with a running event loop unless told that this is safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
E2E_DIR = Path(__file__).parent

# Screenshots for the user documentation are only written on request, so that ordinary test
# runs never rewrite committed files.
SCREENSHOT_DIR = E2E_DIR.parent.parent / "docs" / "user" / "img"
WRITE_SCREENSHOTS = os.environ.get("SCHAKELPUNT_SCREENSHOTS") == "1"


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(
        reason=f"Chromium ({CHROMIUM}) ontbreekt: browsertests overgeslagen; "
        "installeer met apt-get install chromium"
    )
    for item in items:
        if E2E_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)
            if not CHROMIUM.exists():
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def browser_errors():
    """What the page logged as an error. A test that provokes one on purpose removes it."""
    return []


@pytest.fixture
def page(browser, browser_errors):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            browser_errors.append(f"console: {message.text} ({message.location.get('url')})")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: browser_errors.append(f"pageerror: {error}"))
    yield page
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail (not error) the test when its page logged an error the test did not expect."""
    result = yield
    funcargs = getattr(item, "funcargs", {})
    page = funcargs.get("page")
    if page is not None and not page.is_closed():
        # A round trip to the browser delivers console messages still under way.
        page.evaluate("0")
    errors = funcargs.get("browser_errors")
    if errors:
        raise AssertionError("The page logged errors:\n" + "\n".join(errors))
    return result


def expect_logged_error(browser_errors: list[str], pattern: str) -> None:
    """Take the expected error(s) matching ``pattern`` off the list; fail if there is none."""
    matching = [error for error in browser_errors if re.search(pattern, error)]
    assert matching, f"expected a logged error matching {pattern!r}, got {browser_errors}"
    for error in matching:
        browser_errors.remove(error)


def ignore_logged_errors(browser_errors: list[str], pattern: str) -> None:
    """Drop known errors matching ``pattern`` that are not ours to fix (present or not)."""
    browser_errors[:] = [error for error in browser_errors if not re.search(pattern, error)]


def login(page, live_server, user, password: str = PASSWORD) -> None:
    """Log in through the login form as ``user`` (a user or a user name)."""
    username = getattr(user, "username", user)
    page.goto(f"{live_server.url}/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen", exact=True).click()


def assert_accessible(page) -> None:
    """Run axe-core on the page; fail with axe's report on any violation.

    Axe is injected with ``page.evaluate``, which goes through the DevTools protocol and is
    not subject to the page's Content-Security-Policy: no ``bypass_csp`` is needed.
    """
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def screenshot(page, name: str) -> None:
    """Write a full-page PNG for the user documentation when SCHAKELPUNT_SCREENSHOTS=1."""
    if WRITE_SCREENSHOTS:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOT_DIR / name, full_page=True, animations="disabled", caret="initial")
