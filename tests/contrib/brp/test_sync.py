"""The sync against the simulator: follow indications, changes, rules, the run record and summary."""

import datetime
import logging

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from schakelpunt.contacts.models import FollowUp, Question
from schakelpunt.contrib.brp.models import RegisterChange, RegisterLink, SyncRun
from schakelpunt.contrib.brp.services import brp_sync
from schakelpunt.contrib.brp.tasks import brp_sync_task
from schakelpunt.referrals.models import Referral
from schakelpunt.residents.models import Resident
from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory, FollowUpFactory, QuestionFactory
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate().isoformat()


def test_scenario_a_resident_dies_and_one_sync_does_everything(
    simulator, resident_for, django_capture_on_commit_callbacks
):
    resident = resident_for()
    question = QuestionFactory(contact=ContactFactory(resident=resident, desk=resident.registered_desk))
    follow_up = FollowUpFactory(question=question, due_date=timezone.localdate() + datetime.timedelta(days=3))
    referral = ReferralFactory(question=question, accepted=True, organisation__email="team@partner.example")
    simulator.state.apply({"soort": "overlijden", "bsn": "999993653", "datum": today()})

    with django_capture_on_commit_callbacks(execute=True):
        run = brp_sync()

    resident.refresh_from_db()
    question.refresh_from_db()
    follow_up.refresh_from_db()
    referral.refresh_from_db()
    assert run.status == SyncRun.Status.DONE
    assert (resident.status, resident.status_date) == (Resident.Status.DECEASED, timezone.localdate())
    assert not resident.may_be_contacted
    assert (question.status, question.outcome) == (Question.Status.CLOSED, Question.Outcome.DECEASED)
    assert follow_up.status == FollowUp.Status.CANCELLED
    assert (referral.status, referral.close_reason) == (Referral.Status.CANCELLED, "deceased")
    assert any(
        "ingetrokken" in message.subject and message.to == ["team@partner.example"] for message in mail.outbox
    )
    assert run.counts["deceased"] == 1 and run.counts["questions_closed"] == 1
    # The follow indication was placed, and ended because the resident is no longer active.
    link = RegisterLink.objects.get(resident=resident)
    assert not link.following and link.follow_ended_on == timezone.localdate()
    assert simulator.state.active_follows() == {}

    changes = RegisterChange.objects.count()
    again = brp_sync()
    assert again.status == SyncRun.Status.DONE
    assert RegisterChange.objects.count() == changes
    assert again.counts.get("deceased", 0) == 0
    assert referral.status_history.filter(to_status=Referral.Status.CANCELLED).count() == 1


def test_first_sync_follows_active_residents_and_compares_them(simulator, resident_for):
    resident_for()
    resident_for(
        bsn="999990147",
        surname="Buidel",
        given_names="Margriet",
        street="François Nivardstraat",
        house_number=51,
        postcode="3065 PE",
        birth_date=datetime.date(1948, 1, 17),
    )
    resident_for(bsn="", surname="Zonder")
    run = brp_sync()
    assert run.counts["follow_started"] == 2
    # Margriet Buidel died in 2018 according to the test set: processed on the first comparison.
    assert Resident.objects.get(bsn="999990147").status == Resident.Status.DECEASED
    assert run.counts["deceased"] == 1 and run.counts["follow_ended"] == 1
    assert set(simulator.state.active_follows()) == {"999993653"}


def test_a_move_within_the_region_reported_by_the_register(simulator, resident_for, region):
    resident = resident_for(postcode="3011 KD", street="Goudsesingel")
    brp_sync()
    simulator.state.apply(
        {
            "soort": "verhuizing",
            "bsn": "999993653",
            "datum": today(),
            "straat": "Boterdiep",
            "huisnummer": 40,
            "postcode": "3077AX",
            "woonplaats": "Rotterdam",
            "gemeente": "0599",
        }
    )
    run = brp_sync()
    resident.refresh_from_db()
    assert (resident.house_number, resident.district) == (40, region["district"])
    assert run.counts["moved"] == 1


def test_emigrated_official_test_person(simulator, resident_for):
    resident = resident_for(
        bsn="999993422",
        given_names="Marcelius Gerardus Franciscus Michaelis Vincentius",
        surname_prefix="van",
        surname="Brest naar Kempen",
        birth_date=datetime.date(1954, 4, 21),
    )
    run = brp_sync()
    resident.refresh_from_db()
    assert resident.status == Resident.Status.MOVED_AWAY
    assert run.counts["emigrated"] == 1


def test_unknown_bsn_is_ignored_and_counted(simulator, resident_for):
    resident_for()
    simulator.state.follow("999990019", None)  # followed by someone, not a resident of ours
    simulator.state.apply({"soort": "geheimhouding", "bsn": "999990019", "datum": today(), "waarde": True})
    run = brp_sync()
    assert run.counts["unknown"] == 1


def test_malformed_answer_is_never_half_applied_and_logged_masked(simulator, resident_for, caplog):
    resident = resident_for()
    brp_sync()
    simulator.state.apply(
        {
            "soort": "ruw",
            "bsn": "999993653",
            "datum": today(),
            "persoon": {
                "burgerservicenummer": "999993653",
                "naam": {"geslachtsnaam": "Anders"},
                "geboorte": {"datum": {"type": "Datum", "datum": "1985-13-01"}},
                "overlijden": {"datum": {"type": "Datum", "datum": "2026-01-01"}},
            },
        }
    )
    with caplog.at_level(logging.WARNING):
        run = brp_sync()
    resident.refresh_from_db()
    assert (resident.surname, resident.status) == ("Moulin", Resident.Status.ACTIVE)
    assert run.status == SyncRun.Status.PARTIAL and run.counts["malformed"] == 1
    assert "*****3653" in caplog.text and "999993653" not in caplog.text


def test_register_down_fails_the_run_and_changes_nothing(settings, resident_for, db):
    settings.BRP_API_URL = settings.BRP_UPDATE_API_URL = "http://127.0.0.1:9/brp"
    settings.BRP_RETRIES = 0
    resident_for()
    run = brp_sync()
    assert run.status == SyncRun.Status.FAILED and "BrpUnavailable" in run.errors[0]
    assert not RegisterLink.objects.filter(following=True).exists()


def test_summary_mail_to_who_may_see_the_runs(simulator, resident_for):
    coordinator = UserFactory(email="coordinator@example.org")
    coordinator.user_permissions.add(Permission.objects.get(codename="view_syncrun"))
    resident_for()
    brp_sync()
    assert mail.outbox[-1].to == ["coordinator@example.org"]
    assert "Volgindicaties geplaatst: 1" in mail.outbox[-1].body


def test_command_and_task(simulator, resident_for):
    resident_for()
    call_command("brp_sync", "--no-mail")
    result = brp_sync_task.enqueue()
    assert SyncRun.objects.filter(pk=result.return_value).exists()


def test_the_command_can_hand_the_sync_to_the_task_worker(settings):
    from io import StringIO

    from django.tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    out = StringIO()
    call_command("brp_sync", "--enqueue", stdout=out)
    assert "Taak in de wachtrij" in out.getvalue()
    assert [result.task.name for result in default_task_backend.results] == ["brp_sync_task"]
    assert not SyncRun.objects.exists()  # queued, not run
