import datetime

import pytest
import time_machine
from django.conf import settings
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
    assert settings.SESSION_SAVE_EVERY_REQUEST  # each request renews the idle timeout
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
