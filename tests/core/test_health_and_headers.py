import pytest
from django.db import connection
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_reports_the_database(client):
    response = client.get(reverse("core:health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_says_when_the_database_is_gone(client, monkeypatch):
    def broken(*args, **kwargs):
        raise connection.Database.OperationalError("gone")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get(reverse("core:health"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}


def test_security_headers(client):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_pages_carry_no_inline_script(client, user_for):
    client.force_login(user_for("Coördinator"))
    for url in (
        reverse("core:home"),
        reverse("accounts:login"),
        reverse("organisations:participants"),
    ):
        html = client.get(url).content.decode()
        assert "<script>" not in html and " onclick=" not in html
        assert html.count("<script") == html.count('<script src="')


def test_session_and_csrf_cookies_are_http_only(client, user_for):
    client.get(reverse("accounts:login"))
    assert client.cookies["schakelpunt_csrftoken"]["httponly"]


def test_favicon_points_at_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/schakelpunt.svg")
