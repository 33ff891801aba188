"""The API documentation (drf-spectacular's Swagger UI, served from our own static files)."""

from playwright.sync_api import expect

from tests.e2e.conftest import login


def test_api_docs_load_for_a_logged_in_user(page, live_server, user_for):
    login(page, live_server, user_for("Partner"))
    requests = []
    page.on("request", lambda request: requests.append(request.url))

    response = page.goto(f"{live_server.url}/api/docs/")
    assert response.status == 200
    # The global policy, not a weakened one.
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    # Swagger UI fetched the schema and rendered it.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Schakelpunt API")
    page.wait_for_load_state("networkidle")
    # Everything came from our own server: no CDN.
    assert requests
    assert all(url.startswith(live_server.url) for url in requests), requests
    # (the page fixture fails the test on any console or CSP error: there is none)


def test_api_docs_send_an_anonymous_visitor_to_the_login_page(page, live_server):
    page.goto(f"{live_server.url}/api/docs/")
    assert page.url == f"{live_server.url}/inloggen/?next=/api/docs/"
    expect(page.locator(".swagger-ui")).to_have_count(0)
