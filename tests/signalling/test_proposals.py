"""Automatic proposals: where unmet needs with the same domain and reason pile up in a district."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from schakelpunt.contacts.models import LifeDomain
from schakelpunt.signalling.models import Signal
from schakelpunt.signalling.services import signal_transition, signals_propose
from tests.contacts.factories import ContactFactory, QuestionFactory
from tests.organisations.factories import DeskFactory, DistrictFactory
from tests.residents.factories import ResidentFactory
from tests.signalling.factories import SignalFactory, UnmetNeedFactory

pytestmark = pytest.mark.django_db
TZ = datetime.timezone(datetime.timedelta(hours=1))
TODAY = datetime.datetime(2026, 3, 2, 7, 0, tzinfo=TZ)


def days_ago(days: int) -> datetime.datetime:
    return TODAY.replace(hour=10) - datetime.timedelta(days=days)


@pytest.fixture(autouse=True)
def _frozen(settings):
    settings.SIGNALLING_PROPOSAL_THRESHOLD = 5
    settings.SIGNALLING_PROPOSAL_PERIOD_DAYS = 90
    with time_machine.travel(TODAY, tick=False):
        yield


def test_nothing_below_the_threshold(no_supply):
    for day in range(4):
        no_supply(started_at=days_ago(day))
    assert signals_propose() == []
    assert not Signal.objects.exists()


def test_a_pile_at_the_threshold_becomes_one_proposal(no_supply, desk, district, safety):
    questions = [no_supply(started_at=days_ago(day * 10)) for day in range(5)]
    [signal] = signals_propose()
    assert (signal.origin, signal.status, signal.created_by) == ("automatic", "proposed", None)
    assert (signal.desk, signal.district, signal.municipality) == (desk, district, district.municipality)
    assert (signal.life_domain, signal.unmet_reason, signal.kind) == (safety, "not_available", "gap")
    assert set(signal.questions.all()) == set(questions)
    assert signal.question_links.filter(linked_by__isnull=True).count() == 5
    # The period is that of the evidence, and the text says what was counted.
    assert (signal.period_start, signal.period_end) == (datetime.date(2026, 1, 21), datetime.date(2026, 3, 2))
    assert signal.title == "Geen passend aanbod voor veiligheid in Glanerbrug (aanbod bestaat niet)"
    assert "5 hulpvragen uit de wijk Glanerbrug" in signal.description
    assert list(signal.status_history.values_list("from_status", "to_status", "changed_by")) == [
        ("", "proposed", None)
    ]


def test_only_the_period_counts(no_supply, settings):
    for day in range(4):
        no_supply(started_at=days_ago(day))
    no_supply(started_at=days_ago(90))  # one day before the window of 90 days (today included)
    assert signals_propose() == []
    no_supply(started_at=days_ago(89))  # the first day of the window
    assert len(signals_propose()) == 1
    # A longer period, configured, reaches further back.
    settings.SIGNALLING_PROPOSAL_PERIOD_DAYS = 365
    settings.SIGNALLING_PROPOSAL_THRESHOLD = 1
    [late] = signals_propose()
    assert late.questions.get().contact.started_at == days_ago(90)


def test_the_threshold_is_configurable(no_supply, settings):
    settings.SIGNALLING_PROPOSAL_THRESHOLD = 3
    for day in range(3):
        no_supply(started_at=days_ago(day))
    assert len(signals_propose()) == 1


def test_piles_are_per_district_domain_reason_and_desk(no_supply, desk, district, safety, municipality):
    other_district = DistrictFactory(municipality=municipality)
    care = LifeDomain.objects.get(code="zorg")
    other_desk = DeskFactory(municipalities=[municipality])
    for day in range(4):
        no_supply(started_at=days_ago(day))
    no_supply(started_at=days_ago(1), district=other_district)
    no_supply(started_at=days_ago(1), domains=[care])
    no_supply(started_at=days_ago(1), reason="waiting_list")
    no_supply(started_at=days_ago(1), desk=other_desk)
    assert signals_propose() == []


def test_rejected_referrals_count_with_questions_and_a_question_counts_once(
    no_supply, desk, district, safety
):
    for day in range(3):
        no_supply(started_at=days_ago(day), reason="no_capacity")

    def rejected(question=None):
        if question is None:
            resident = ResidentFactory(
                registered_desk=desk, district=district, municipality=district.municipality
            )
            question = QuestionFactory(contact=ContactFactory(desk=desk, resident=resident))
            question.domains.set([safety])
        return UnmetNeedFactory(referral__question=question, referral__referring_desk=desk)

    # A question with "no suitable supply" whose referral was also rejected is one question.
    twice = rejected(no_supply(started_at=days_ago(4), reason="no_capacity"))
    assert signals_propose() == []  # 4 questions
    need = rejected()
    [signal] = signals_propose()
    assert signal.unmet_reason == "no_capacity"
    assert signal.questions.count() == 4
    assert set(signal.unmet_needs.all()) == {twice, need}


def test_running_twice_proposes_once(no_supply, django_capture_on_commit_callbacks):
    for day in range(6):
        no_supply(started_at=days_ago(day))
    with django_capture_on_commit_callbacks(execute=True):
        assert len(signals_propose()) == 1
        assert signals_propose() == []
    assert Signal.objects.count() == 1
    assert Signal.objects.get().questions.count() == 6


def test_a_dismissed_proposal_is_not_proposed_again(no_supply, coordinator):
    for day in range(5):
        no_supply(started_at=days_ago(day))
    [proposal] = signals_propose()
    signal_transition(acting_user=coordinator, signal=proposal, to_status="dismissed", note="Toeval.")
    assert signals_propose() == []
    # New unmet needs make a new pile: proposed again, with only the new evidence.
    fresh = [no_supply(started_at=days_ago(0)) for _ in range(5)]
    [again] = signals_propose()
    assert set(again.questions.all()) == set(fresh)


def test_evidence_a_signal_counts_already_is_not_counted_again(no_supply, desk):
    questions = [no_supply(started_at=days_ago(day)) for day in range(5)]
    SignalFactory(desk=desk, questions=questions[:1])
    assert signals_propose() == []


def test_a_question_in_two_domains_feeds_one_proposal(no_supply, safety):
    care = LifeDomain.objects.get(code="zorg")
    for day in range(5):
        no_supply(started_at=days_ago(day), domains=[safety, care])
    [signal] = signals_propose()
    assert signal.life_domain == care  # the first domain in the taxonomy's order
    assert signals_propose() == []


def test_anonymous_questions_and_questions_without_a_district_are_not_piled(no_supply, desk, safety):
    for day in range(5):
        question = QuestionFactory(
            contact=ContactFactory(desk=desk, started_at=days_ago(day)),
            status="closed",
            outcome="no_supply",
            unmet_reason="not_available",
        )
        question.domains.set([safety])
    assert signals_propose() == []


def test_coordinators_hear_of_new_proposals(
    no_supply, coordinator, employee, django_capture_on_commit_callbacks
):
    for day in range(5):
        no_supply(started_at=days_ago(day))
    with django_capture_on_commit_callbacks(execute=True):
        signals_propose()
    assert [message.to for message in mail.outbox] == [["coordinator@loket.example"]]
    assert "Geen passend aanbod voor veiligheid in Glanerbrug" in mail.outbox[0].body


def test_the_command(no_supply):
    for day in range(5):
        no_supply(started_at=days_ago(day))
    out = StringIO()
    call_command("signals_propose", stdout=out)
    assert "Nieuwe voorstellen: 1 (drempel 5 in 90 dagen)" in out.getvalue()
    out = StringIO()
    call_command("signals_propose", stdout=out)
    assert "Nieuwe voorstellen: 0" in out.getvalue()


def test_the_command_queues_a_task(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    out = StringIO()
    call_command("signals_propose", "--enqueue", stdout=out)
    assert "Taak in de wachtrij" in out.getvalue()
