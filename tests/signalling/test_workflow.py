"""Scenario tests: the signal lifecycle walked through the services, happy and unhappy."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from schakelpunt.audit.models import AccessLog
from schakelpunt.core.exceptions import ConflictError
from schakelpunt.signalling import workflow
from schakelpunt.signalling.models import Signal
from schakelpunt.signalling.services import (
    signal_create,
    signal_link_evidence,
    signal_transition,
    signal_update,
)
from tests.contacts.factories import ContactFactory, QuestionFactory
from tests.organisations.factories import DeskFactory, DistrictFactory, OrganisationFactory
from tests.signalling.factories import SignalFactory, UnmetNeedFactory

pytestmark = pytest.mark.django_db
S = Signal.Status
TZ = datetime.timezone(datetime.timedelta(hours=1))


def _raise(employee, desk, municipality, **kwargs):
    kwargs.setdefault("title", "Geen personenalarmering voor inwoners zonder netwerk")
    kwargs.setdefault("description", "Wie geen contactpersonen in de buurt heeft, krijgt geen alarmknop.")
    return signal_create(acting_user=employee, desk=desk, municipality=municipality, **kwargs)


@time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=TZ), tick=False)
def test_a_signal_from_question_to_new_supply(
    employee,
    coordinator,
    policy,
    desk,
    municipality,
    municipality_org,
    district,
    safety,
    no_supply,
    django_capture_on_commit_callbacks,
):
    municipality_org.email = "wmo@gemeente.example"
    municipality_org.save()
    first = no_supply(started_at=datetime.datetime(2026, 1, 12, 9, 0, tzinfo=TZ))
    signal = _raise(
        employee,
        desk,
        municipality,
        life_domain=safety,
        district=district,
        unmet_reason="not_available",
        questions=[first],
    )
    assert (signal.status, signal.origin, signal.created_by) == (S.PROPOSED, "manual", employee)
    assert list(signal.questions.all()) == [first]
    # The evidence period is that of the evidence, unless given.
    assert (signal.period_start, signal.period_end) == (
        datetime.date(2026, 1, 12),
        datetime.date(2026, 1, 12),
    )
    assert AccessLog.objects.filter(object_type="signalling.signal", action="create").count() == 1

    # More evidence: another question and a rejected referral; the period grows.
    second = no_supply(started_at=datetime.datetime(2026, 2, 20, 14, 0, tzinfo=TZ))
    rejected = UnmetNeedFactory(referral__question=QuestionFactory(contact=ContactFactory(desk=desk)))
    added = signal_link_evidence(
        acting_user=employee, signal=signal, questions=[first, second], unmet_needs=[rejected]
    )
    assert added == (1, 1)  # the first question was linked already
    signal.refresh_from_db()
    assert (signal.period_start, signal.period_end) == (datetime.date(2026, 1, 12), datetime.date(2026, 3, 2))
    link = signal.question_links.get(question=second)
    assert link.linked_by == employee

    # The coordinator sends it: the policy officer and the municipality's address hear of it
    # once the transaction commits, and the mail holds no resident data.
    with django_capture_on_commit_callbacks(execute=True):
        signal = signal_transition(acting_user=coordinator, signal=signal, to_status=S.SENT)
    assert signal.sent_at is not None
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["beleid@gemeente.example", "wmo@gemeente.example"]
    assert signal.title in mail.outbox[0].subject
    assert first.resident.surname not in mail.outbox[0].body
    assert f"/signalen/{signal.pk}/" in mail.outbox[0].body

    # The policy officer answers, step by step; the employee and the coordinator hear each answer.
    for to_status, note in [
        (S.ACKNOWLEDGED, ""),
        (S.ACTION_PLANNED, "Aanbesteding professionele alarmopvolging in het voorjaar."),
        (S.NEW_SUPPLY, "Professionele alarmopvolging per 1 juni."),
    ]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            signal = signal_transition(acting_user=policy, signal=signal, to_status=to_status, note=note)
        assert signal.status == to_status
        assert sorted(mail.outbox[0].to) == ["coordinator@loket.example", "medewerker@loket.example"]
    assert signal.answer == "Professionele alarmopvolging per 1 juni."
    assert signal.closed_at is not None
    history = list(signal.status_history.values_list("from_status", "to_status", "changed_by"))
    assert history == [
        ("", S.PROPOSED, employee.pk),
        (S.PROPOSED, S.SENT, coordinator.pk),
        (S.SENT, S.ACKNOWLEDGED, policy.pk),
        (S.ACKNOWLEDGED, S.ACTION_PLANNED, policy.pk),
        (S.ACTION_PLANNED, S.NEW_SUPPLY, policy.pk),
    ]
    # Ended: nothing more, and no more evidence.
    with pytest.raises(ValidationError, match="kan niet naar"):
        signal_transition(acting_user=policy, signal=signal, to_status=S.DECLINED, note="Toch niet.")
    with pytest.raises(ValidationError, match="afgesloten"):
        signal_link_evidence(acting_user=employee, signal=signal, questions=[no_supply()])


# The side that makes each move in the table, and the note it needs.
EDGES = [(source, target) for source, targets in workflow.ALLOWED_TRANSITIONS.items() for target in targets]


@pytest.mark.parametrize(("source", "target"), EDGES)
def test_every_edge_of_the_table(source, target, desk, coordinator, policy):
    signal = SignalFactory(
        desk=desk, status=source, sent_at=None if source == S.PROPOSED else "2026-01-01T10:00Z"
    )
    actor = coordinator if target in workflow.DESK_MOVES else policy
    moved = signal_transition(
        acting_user=actor, signal=signal, to_status=target, note="Toelichting bij de stap."
    )
    assert moved.status == target
    assert moved.version == signal.version + 1
    assert list(moved.status_history.values_list("from_status", "to_status"))[-1] == (source, target)


NOT_EDGES = [
    (source, target)
    for source in S.values
    for target in S.values
    if target not in workflow.ALLOWED_TRANSITIONS[source]
]


@pytest.mark.parametrize(("source", "target"), NOT_EDGES)
def test_every_move_outside_the_table_is_refused_with_a_message(source, target, desk, coordinator, policy):
    signal = SignalFactory(desk=desk, status=source, sent_at="2026-01-01T10:00Z", decline_reason="x")
    for actor in (coordinator, policy):
        with pytest.raises(ValidationError) as refused:
            signal_transition(acting_user=actor, signal=signal, to_status=target, note="Waarom niet?")
        assert "kan niet naar" in refused.value.messages[0]
    signal.refresh_from_db()
    assert signal.status == source
    assert signal.status_history.count() == 1


def test_each_side_makes_only_its_own_moves(desk, employee, coordinator, policy, partner, partner_org):
    proposal = SignalFactory(desk=desk)
    # Raising signals is not sending them; the addressee does not see a proposal at all.
    for user in (employee, policy):
        with pytest.raises(PermissionDenied):
            signal_transition(acting_user=user, signal=proposal, to_status=S.SENT)
    sent = SignalFactory(desk=desk, sent=True)
    with pytest.raises(PermissionDenied):
        signal_transition(acting_user=coordinator, signal=sent, to_status=S.ACKNOWLEDGED)
    # A signal to a partner is the partner's to answer, not the municipality's.
    to_partner = SignalFactory(desk=desk, sent=True, addressed_to=partner_org)
    with pytest.raises(PermissionDenied):
        signal_transition(acting_user=policy, signal=to_partner, to_status=S.ACKNOWLEDGED)
    assert (
        signal_transition(acting_user=partner, signal=to_partner, to_status=S.ACKNOWLEDGED).status
        == S.ACKNOWLEDGED
    )
    with pytest.raises(PermissionDenied):
        signal_transition(acting_user=partner, signal=sent, to_status=S.ACKNOWLEDGED)


@pytest.mark.parametrize("target", [S.DISMISSED, S.DECLINED, S.ACTION_PLANNED, S.NEW_SUPPLY])
def test_moves_that_need_a_note(target, desk, coordinator, policy):
    source = next(state for state, targets in workflow.ALLOWED_TRANSITIONS.items() if target in targets)
    signal = SignalFactory(desk=desk, status=source, sent_at="2026-01-01T10:00Z")
    actor = coordinator if target in workflow.DESK_MOVES else policy
    with pytest.raises(ValidationError) as refused:
        signal_transition(acting_user=actor, signal=signal, to_status=target, note="   ")
    assert "note" in refused.value.message_dict
    moved = signal_transition(acting_user=actor, signal=signal, to_status=target, note="Omdat het zo is.")
    if target == S.DECLINED:
        assert moved.decline_reason == moved.answer == "Omdat het zo is."


def test_a_stale_form_changes_nothing(desk, coordinator):
    signal = SignalFactory(desk=desk)
    signal_update(acting_user=coordinator, signal=signal, title="Scherper geformuleerd")
    with pytest.raises(ConflictError):
        signal_transition(acting_user=coordinator, signal=signal, to_status=S.SENT, expected_version=1)
    signal.refresh_from_db()
    assert (signal.status, signal.title, signal.version) == (S.PROPOSED, "Scherper geformuleerd", 2)


def test_only_a_proposal_can_be_changed(desk, coordinator, user_for):
    signal = SignalFactory(desk=desk, sent=True)
    with pytest.raises(ValidationError, match="voorstel"):
        signal_update(acting_user=coordinator, signal=signal, title="Anders")
    other_desk = user_for("Coördinator", desks=[DeskFactory()])
    with pytest.raises(PermissionDenied):
        signal_update(acting_user=other_desk, signal=SignalFactory(desk=desk), title="Anders")


def test_what_a_signal_may_say_about_where_and_to_whom(
    employee, desk, municipality, municipality_org, user_for
):
    elsewhere = DistrictFactory()
    with pytest.raises(ValidationError) as refused:
        _raise(employee, desk, municipality, district=elsewhere, addressed_to=municipality_org)
    assert set(refused.value.message_dict) == {"district", "addressed_to"}
    with pytest.raises(ValidationError) as refused:
        _raise(employee, desk, elsewhere.municipality)
    assert set(refused.value.message_dict) == {"municipality"}
    inactive = OrganisationFactory(is_active=False)
    with pytest.raises(ValidationError):
        _raise(employee, desk, municipality, addressed_to=inactive)
    # Only at one's own desk, and only by staff who raise signals.
    with pytest.raises(PermissionDenied):
        _raise(employee, DeskFactory(), municipality)
    with pytest.raises(PermissionDenied):
        _raise(user_for("Vrijwilliger"), desk, municipality)
    assert not Signal.objects.exists()


def test_evidence_of_another_desk_is_refused(employee, desk, municipality, no_supply):
    other = no_supply(desk=DeskFactory())
    with pytest.raises(ValidationError, match="eigen loket"):
        _raise(employee, desk, municipality, questions=[other])
    signal = _raise(employee, desk, municipality)
    foreign_need = UnmetNeedFactory()
    with pytest.raises(ValidationError, match="eigen loket"):
        signal_link_evidence(acting_user=employee, signal=signal, unmet_needs=[foreign_need])
    assert not signal.unmet_needs.exists()


def test_a_rolled_back_send_sends_no_mail(desk, coordinator, policy, django_capture_on_commit_callbacks):
    signal = SignalFactory(desk=desk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        signal_transition(acting_user=coordinator, signal=signal, to_status=S.SENT)
    assert len(callbacks) == 1  # queued for after the commit, not sent inside the transaction
    assert mail.outbox == []
