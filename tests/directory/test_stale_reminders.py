# ruff: noqa: F811 - the fixtures imported from editing_fixtures are used as arguments
"""Services to be checked: the list, and the reminder e-mails (who, what, not too often)."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from schakelpunt.directory.models import Service, StaleReminder
from schakelpunt.directory.services import stale_reminders_send
from tests.directory.editing_fixtures import (  # noqa: F401 - fixtures, used as arguments
    admin_user,
    other_org,
    other_participant,
    own_org,
    own_participant,
    partner,
)
from tests.directory.factories import OrganizationFactory, ServiceFactory

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 6, 1, 7, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    """Run the reminders and send what they queue for after the commit."""

    def run(*command):
        with django_capture_on_commit_callbacks(execute=True):
            return call_command(*command) if command else stale_reminders_send()

    return run


def _service(organization, name, days_ago, **kwargs):
    assured = None if days_ago is None else TODAY - datetime.timedelta(days=days_ago)
    return ServiceFactory(organization=organization, name=name, assured_date=assured, **kwargs)


@pytest.fixture
def services(own_org, other_org):
    return {
        "fresh": _service(own_org, "Vers", 10),
        "limit": _service(own_org, "Precies op de grens", 183),
        "old": _service(own_org, "Oud", 200),
        "older": _service(own_org, "Ouder", 400),
        "never": _service(own_org, "Nooit bevestigd", None),
        "defunct": _service(own_org, "Opgeheven", 400, status=Service.Status.DEFUNCT),
        "elsewhere": _service(other_org, "Van een ander", 300),
    }


@time_machine.travel(NOW, tick=False)
def test_stale_list_shows_own_unconfirmed_services_oldest_first(client, partner, services, settings):
    settings.DIRECTORY_STALE_AFTER_DAYS = 183
    client.force_login(partner)
    response = client.get(reverse("directory:manage"), {"lijst": "te-controleren"})
    names = [service.name for service in response.context["page"].object_list]
    assert names == ["Nooit bevestigd", "Ouder", "Oud"]
    tabs = {tab["slug"]: tab["count"] for tab in response.context["tabs"]}
    assert tabs == {"alle": 6, "te-controleren": 3}


@time_machine.travel(NOW, tick=False)
def test_stale_period_is_a_setting(client, partner, services, settings):
    settings.DIRECTORY_STALE_AFTER_DAYS = 30
    client.force_login(partner)
    response = client.get(reverse("directory:manage"), {"lijst": "te-controleren"})
    assert [s.name for s in response.context["page"].object_list] == [
        "Nooit bevestigd",
        "Ouder",
        "Oud",
        "Precies op de grens",
    ]


@time_machine.travel(NOW, tick=False)
def test_reminders_go_to_the_partner_users_of_each_organisation(
    remind, user_for, partner, own_participant, other_org, services, settings
):
    settings.DIRECTORY_STALE_AFTER_DAYS = 183
    colleague = user_for("Partner", organisation=own_participant, email="collega@thuiszorg.example")
    user_for("Partner", organisation=own_participant, email="weg@thuiszorg.example", is_active=False)
    user_for("Frontoffice", organisation=own_participant, email="balie@thuiszorg.example")
    user_for("Partner", organisation=own_participant, email="")
    OrganizationFactory(name="Zonder diensten", email="leeg@example.org")
    counts = remind()
    assert counts == {"mailed": 2, "skipped": 0, "no_address": 0}
    by_recipients = {tuple(message.to): message for message in mail.outbox}
    own = by_recipients[("collega@thuiszorg.example", "partner@thuiszorg.example")]
    assert colleague.email in own.to
    assert own.subject == "Sociale kaart: 3 diensten van Thuiszorg Testland te controleren"
    assert own.body.index("- Nooit bevestigd (") < own.body.index("- Ouder (") < own.body.index("- Oud (")
    assert "Vers" not in own.body and "Opgeheven" not in own.body and "Van een ander" not in own.body
    assert "laatst bevestigd op 27 april 2025" in own.body
    assert "http://testserver" not in own.body
    assert f"{settings.SITE_URL}/sociale-kaart/beheer/?lijst=te-controleren" in own.body
    assert f"{settings.SITE_URL}/sociale-kaart/beheer/diensten/{services['old'].pk}/bewerken/" in own.body
    # No partner users at the other organisation: its own address.
    other = by_recipients[("info@elders.example",)]
    assert other.subject == "Sociale kaart: 1 dienst van Welzijn Elders te controleren"
    reminder = StaleReminder.objects.get(organization=services["old"].organization)
    assert reminder.services_count == 3 and reminder.sent_at == NOW


def test_not_twice_within_the_interval(remind, partner, services, settings):
    settings.DIRECTORY_STALE_AFTER_DAYS = 183
    settings.DIRECTORY_REMINDER_INTERVAL_DAYS = 30
    with time_machine.travel(NOW, tick=False):
        remind()
    assert len(mail.outbox) == 2
    with time_machine.travel(NOW + datetime.timedelta(days=29), tick=False):
        assert remind() == {"mailed": 0, "skipped": 2, "no_address": 0}
    assert len(mail.outbox) == 2
    with time_machine.travel(NOW + datetime.timedelta(days=31), tick=False):
        assert remind()["mailed"] == 2
    assert len(mail.outbox) == 4


@time_machine.travel(NOW, tick=False)
def test_organisation_without_any_address_is_counted_not_mailed(remind, settings):
    settings.DIRECTORY_STALE_AFTER_DAYS = 183
    _service(OrganizationFactory(email=""), "Zonder adres", 400)
    assert remind() == {"mailed": 0, "skipped": 0, "no_address": 1}
    assert not mail.outbox and not StaleReminder.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_confirmed_services_drop_off(remind, client, partner, services, settings):
    settings.DIRECTORY_STALE_AFTER_DAYS = 183
    client.force_login(partner)
    for key in ("old", "older", "never"):
        client.post(reverse("directory:service-confirm", args=[services[key].pk]))
    remind()
    assert [message.to for message in mail.outbox] == [["info@elders.example"]]


@time_machine.travel(NOW, tick=False)
def test_command_and_task(remind, services, settings, capsys):
    settings.DIRECTORY_STALE_AFTER_DAYS = 183
    remind("directory_remind_stale")
    assert "Herinnerd: 2 organisatie(s)" in capsys.readouterr().out
    assert len(mail.outbox) == 2
    call_command("directory_remind_stale", "--enqueue")
    assert "Taak in de wachtrij" in capsys.readouterr().out
