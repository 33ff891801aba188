import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


def log_in(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_page_is_dutch_by_default_even_for_an_english_browser(client):
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "nl"
    assert "Gebruikersnaam" in response.content.decode()


def test_login_gives_a_new_session_id(client, user_for):
    user = user_for("Frontoffice")
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    response = log_in(client, user.username)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.session.session_key != before


def test_wrong_password_gets_a_clear_dutch_message(client, user_for):
    user = user_for("Frontoffice")
    response = log_in(client, user.username, "wrong")
    assert response.status_code == 200
    assert "Deze combinatie van gebruikersnaam en wachtwoord kennen we niet." in response.content.decode()


def test_account_locks_after_repeated_failures(client, user_for):
    user = user_for("Frontoffice")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, user.username, "wrong")
    response = log_in(client, user.username)  # even the right password is refused now
    assert response.status_code == 429
    assert "Inloggen tijdelijk geblokkeerd" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_session_expires_when_idle(client, user_for):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_RENEW_AFTER == 60  # a request renews the idle timeout once a minute
    client.force_login(user_for("Frontoffice"))
    start = datetime.datetime.now(tz=datetime.UTC)
    with time_machine.travel(start + datetime.timedelta(minutes=20)):
        assert client.get(reverse("core:home")).status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=49)):
        assert client.get(reverse("core:home")).status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=80)):
        response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def session_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_session_is_written_at_most_once_per_renewal_interval(client, user_for):
    user = user_for("Frontoffice")
    start = datetime.datetime.now(tz=datetime.UTC)
    with time_machine.travel(start, tick=False):
        client.force_login(user)  # the login saves the session and notes its time
    renewed = session_expiry(client)
    assert renewed == start + datetime.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT)
    with (
        time_machine.travel(start + datetime.timedelta(seconds=59), tick=False),
        CaptureQueriesContext(connection) as queries,
    ):
        assert client.get(reverse("core:home")).status_code == 200
    assert session_expiry(client) == renewed  # not written: renewed less than a minute ago
    assert not [q for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]
    with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
        assert client.get(reverse("core:home")).status_code == 200
    assert session_expiry(client) == renewed + datetime.timedelta(seconds=61)


def test_session_without_renewal_still_ends_within_the_idle_timeout(client, user_for):
    """Requests less than a minute apart do not move the expiry; it never lies beyond the timeout."""
    user = user_for("Frontoffice")
    start = datetime.datetime.now(tz=datetime.UTC)
    with time_machine.travel(start, tick=False):
        client.force_login(user)
    last = start + datetime.timedelta(seconds=50)
    with time_machine.travel(last, tick=False):
        assert client.get(reverse("core:home")).status_code == 200
    # Idle for the timeout after the last request: logged out (at most a minute early, never late).
    with time_machine.travel(last + datetime.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT), tick=False):
        response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_session_ends_after_twelve_hours_however_active(client, user_for):
    client.force_login(user_for("Frontoffice"))
    start = datetime.datetime.now(tz=datetime.UTC)
    for minutes in range(0, 12 * 60, 25):
        with time_machine.travel(start + datetime.timedelta(minutes=minutes)):
            assert client.get(reverse("core:home")).status_code == 200
    with time_machine.travel(start + datetime.timedelta(hours=12, minutes=5)):
        response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_ends_the_session(client, user_for):
    client.force_login(user_for("Frontoffice"))
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 302


def test_admin_login_hands_over_to_the_one_login_page(client):
    response = client.get("/beheer/login/?next=/beheer/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/beheer/"


def test_a_logged_in_user_who_is_not_staff_is_refused_by_the_admin_site_without_a_loop(client, user_for):
    client.force_login(user_for("Frontoffice"))
    response = client.get("/beheer/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1  # /beheer/ → /beheer/login/, refused there
