"""Scenario tests of the workflow table: every allowed move walked through the service, every
illegal one refused with a message and nothing changed, and every requirement of a move missing
in turn."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from schakelpunt.audit.models import AccessLog
from schakelpunt.core.exceptions import ConflictError
from schakelpunt.wmo import workflow
from schakelpunt.wmo.models import WmoReport, WmoStatusChange, WmoSuspension
from schakelpunt.wmo.services import (
    wmo_report_record_investigation,
    wmo_report_suspend,
    wmo_report_transition,
)
from tests.accounts.factories import UserFactory
from tests.wmo.factories import WmoReportFactory

pytestmark = pytest.mark.django_db
S = WmoReport.Status
ALL_STATUSES = list(S)


def report_in(status: str, **kwargs) -> WmoReport:
    """A report in ``status`` with what the moves out of it need."""
    today = timezone.localdate()
    traits = {
        S.REPORTED: {},
        S.INVESTIGATION: {"investigation": True, "conversation_on": today, "conversation_report": "Gesprek."},
        S.APPLICATION: {"application": True},
        S.DECIDED: {"decided": True},
        S.CIZ: {"ciz": True, "ciz_outcome": WmoReport.CizOutcome.GRANTED, "ciz_outcome_on": today},
        S.CLOSED: {"closed": True},
        S.WITHDRAWN: {"withdrawn": True},
    }[status]
    return WmoReportFactory(**{**traits, **kwargs})


def worker(report: WmoReport):
    return UserFactory(role="Consulent", desks=[report.desk])


def move_kwargs(to_status: str, report: WmoReport) -> dict:
    """Everything a move to ``to_status`` needs."""
    today = timezone.localdate()
    return {
        S.REPORTED: {},
        S.INVESTIGATION: {"consultant": report.consultant or worker(report)},
        S.APPLICATION: {"application_received_on": today},
        S.DECIDED: {
            "decisions": {"household": (WmoReport.Decision.GRANTED, "Drie uur per week")},
            "decided_on": today,
            "decision_note": "Hulp bij het huishouden toegekend.",
        },
        S.CIZ: {"ciz_referred_on": today},
        S.CLOSED: {},
        S.WITHDRAWN: {"note": "Inwoner belde: de hulp is al geregeld via de kinderen."},
    }[to_status]


def snapshot(report: WmoReport) -> tuple:
    fresh = WmoReport.objects.get(pk=report.pk)
    return (
        fresh.status,
        fresh.version,
        fresh.consultant_id,
        fresh.closed_on,
        fresh.decision,
        fresh.due_decision,
        WmoStatusChange.objects.filter(report=report).count(),
        AccessLog.objects.filter(object_type="wmo.wmoreport", object_id=str(report.pk)).count(),
    )


ALLOWED = [(a, b) for a, targets in workflow.ALLOWED_TRANSITIONS.items() for b in sorted(targets)]
ILLEGAL = [(a, b) for a in ALL_STATUSES for b in ALL_STATUSES if not workflow.allowed(a, b)]


def test_the_table_covers_every_status():
    assert set(workflow.ALLOWED_TRANSITIONS) == set(ALL_STATUSES)
    assert len(ALLOWED) == 13


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_every_allowed_move(from_status, to_status):
    # REPORTED → APPLICATION only after the investigation period (Wmo 2015 art. 2.3.5 lid 2).
    report = report_in(from_status, overdue=from_status == S.REPORTED and to_status == S.APPLICATION)
    user = worker(report)
    rows_before = report.status_history.count()
    moved = wmo_report_transition(
        acting_user=user,
        report=report,
        to_status=to_status,
        version=report.version,
        **{"note": "Toelichting", **move_kwargs(to_status, report)},
    )
    moved.refresh_from_db()
    assert moved.status == to_status
    assert moved.version == report.version + 1
    assert report.status_history.count() == rows_before + 1
    row = moved.status_history.order_by("-pk").first()
    assert (row.from_status, row.to_status, row.changed_by) == (from_status, to_status, user)
    log = AccessLog.objects.get(object_type="wmo.wmoreport", object_id=str(report.pk))
    assert (log.action, log.user, log.on_behalf_of) == (
        AccessLog.Action.CHANGE,
        user,
        f"residents.resident#{report.resident_id}",
    )
    today = timezone.localdate()
    if to_status in (S.CLOSED, S.WITHDRAWN):
        assert moved.closed_on == today
    if from_status in (S.REPORTED, S.INVESTIGATION) and to_status in (S.APPLICATION, S.CIZ):
        assert moved.investigation_completed_on == today
    if to_status == S.INVESTIGATION:
        assert moved.investigation_started_on == today
        assert moved.consultant is not None


@pytest.mark.parametrize(("from_status", "to_status"), ILLEGAL)
def test_every_illegal_move_is_refused_and_changes_nothing(from_status, to_status):
    report = report_in(from_status)
    before = snapshot(report)
    with pytest.raises(ValidationError) as error:
        wmo_report_transition(
            acting_user=worker(report), report=report, to_status=to_status, **move_kwargs(to_status, report)
        )
    assert error.value.messages == [
        f"Een melding in de fase ‘{S(from_status).label}’ kan niet naar ‘{S(to_status).label}’."
    ]
    assert snapshot(report) == before


def test_closing_after_the_decision_records_the_reason():
    report = report_in(S.DECIDED)
    closed = wmo_report_transition(acting_user=worker(report), report=report, to_status=S.CLOSED)
    assert closed.close_reason == WmoReport.CloseReason.DECIDED
    report = report_in(S.CIZ)
    assert wmo_report_transition(
        acting_user=worker(report), report=report, to_status=S.CLOSED
    ).close_reason == (WmoReport.CloseReason.CIZ)
    report = report_in(S.INVESTIGATION)
    closed = wmo_report_transition(acting_user=worker(report), report=report, to_status=S.CLOSED)
    assert closed.close_reason == WmoReport.CloseReason.NO_APPLICATION
    assert closed.investigation_completed_on == timezone.localdate()


def test_application_without_investigation_is_refused_before_the_deadline_has_passed():
    report = report_in(S.REPORTED)
    before = snapshot(report)
    with pytest.raises(ValidationError) as error:
        wmo_report_transition(
            acting_user=worker(report),
            report=report,
            to_status=S.APPLICATION,
            application_received_on=timezone.localdate(),
        )
    assert "art. 2.3.5 lid 2" in error.value.messages[0]
    assert snapshot(report) == before


def test_application_without_investigation_on_the_last_day_is_still_refused():
    today = timezone.localdate()
    report = report_in(S.REPORTED, reported_on=today - datetime.timedelta(days=42), due_investigation=today)
    with pytest.raises(ValidationError):
        wmo_report_transition(
            acting_user=worker(report), report=report, to_status=S.APPLICATION, application_received_on=today
        )


def test_application_without_investigation_is_refused_while_the_deadline_is_suspended():
    report = report_in(S.REPORTED, overdue=True)
    user = worker(report)
    wmo_report_suspend(
        acting_user=user,
        report=report,
        reason=WmoSuspension.Reason.RESIDENT_REQUEST,
        started_on=report.reported_on + datetime.timedelta(days=5),
    )
    with pytest.raises(ValidationError):
        wmo_report_transition(
            acting_user=user,
            report=report,
            to_status=S.APPLICATION,
            application_received_on=timezone.localdate(),
        )


def test_application_after_the_deadline_completes_the_investigation_late():
    report = report_in(S.REPORTED, overdue=True)
    moved = wmo_report_transition(
        acting_user=worker(report),
        report=report,
        to_status=S.APPLICATION,
        application_received_on=timezone.localdate(),
    )
    assert moved.investigation_completed_on > moved.due_investigation


# --- Requirements, one missing at a time ------------------------------------------------------

# (from, to, field left out, expected message)
MISSING = [
    (S.REPORTED, S.INVESTIGATION, "consultant", "Wijs een consulent toe die het onderzoek doet."),
    (
        S.INVESTIGATION,
        S.APPLICATION,
        "application_received_on",
        "Vul de datum in waarop de aanvraag is ontvangen.",
    ),
    (S.APPLICATION, S.DECIDED, "decisions", "Leg voor elke gevraagde soort ondersteuning een besluit vast."),
    (S.APPLICATION, S.DECIDED, "decided_on", "Vul de datum van het besluit in."),
    (S.APPLICATION, S.DECIDED, "decision_note", "Beschrijf wat is besloten."),
    (S.INVESTIGATION, S.CIZ, "ciz_referred_on", "Vul de datum in waarop naar het CIZ is verwezen."),
    (S.REPORTED, S.WITHDRAWN, "note", "Schrijf op wie de melding introk en waarom."),
]
# The error key of a left-out argument, where it differs (REQUIREMENTS names the report's field).
ERROR_KEY = {"decisions": "decision"}


def test_every_requirement_is_tested():
    tested = {(to, ERROR_KEY.get(field, field)) for _from, to, field, _message in MISSING}
    required = {(to, field) for to, fields in workflow.REQUIREMENTS.items() for field in fields}
    assert required <= tested


@pytest.mark.parametrize(("from_status", "to_status", "field", "message"), MISSING)
def test_each_missing_requirement_has_its_message(from_status, to_status, field, message):
    report = report_in(from_status)
    kwargs = move_kwargs(to_status, report)
    kwargs.pop(field)
    before = snapshot(report)
    with pytest.raises(ValidationError) as error:
        wmo_report_transition(acting_user=worker(report), report=report, to_status=to_status, **kwargs)
    assert error.value.message_dict == {ERROR_KEY.get(field, field): [message]}
    assert snapshot(report) == before


def test_application_after_the_investigation_needs_the_conversation():
    report = report_in(S.INVESTIGATION, conversation_on=None, conversation_report="")
    with pytest.raises(ValidationError) as error:
        wmo_report_transition(
            acting_user=worker(report),
            report=report,
            to_status=S.APPLICATION,
            application_received_on=timezone.localdate(),
        )
    assert error.value.message_dict == {
        "conversation_on": ["Leg eerst de datum van het gesprek vast."],
        "conversation_report": ["Leg eerst het verslag van het gesprek vast."],
    }


def test_closing_after_the_ciz_needs_its_outcome():
    report = report_in(S.CIZ, ciz_outcome=WmoReport.CizOutcome.PENDING, ciz_outcome_on=None)
    with pytest.raises(ValidationError) as error:
        wmo_report_transition(acting_user=worker(report), report=report, to_status=S.CLOSED)
    assert error.value.message_dict == {"ciz_outcome": ["Leg eerst de uitkomst van het CIZ vast."]}


def test_closing_the_investigation_without_application_needs_the_conversation_report():
    report = report_in(S.INVESTIGATION, conversation_report="")
    with pytest.raises(ValidationError) as error:
        wmo_report_transition(acting_user=worker(report), report=report, to_status=S.CLOSED)
    assert list(error.value.message_dict) == ["conversation_report"]


def test_several_missing_requirements_are_reported_together():
    report = report_in(S.APPLICATION)
    with pytest.raises(ValidationError) as error:
        wmo_report_transition(acting_user=worker(report), report=report, to_status=S.DECIDED)
    assert set(error.value.message_dict) == {"decision", "decided_on", "decision_note"}


# --- Decisions per support type ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("decisions", "overall"),
    [
        ({"household": "granted", "aids": "granted"}, WmoReport.Decision.GRANTED),
        ({"household": "refused", "aids": "refused"}, WmoReport.Decision.REFUSED),
        ({"household": "granted", "aids": "refused"}, WmoReport.Decision.PARTLY),
        ({"household": "partly", "aids": "granted"}, WmoReport.Decision.PARTLY),
        ({"household": "partly", "aids": "partly"}, WmoReport.Decision.PARTLY),
    ],
)
def test_the_report_s_decision_is_derived_from_the_decisions_per_type(decisions, overall):
    report = report_in(S.APPLICATION, support_types=["household", "aids"])
    decided = wmo_report_transition(
        acting_user=worker(report),
        report=report,
        to_status=S.DECIDED,
        decisions={t: (d, f"{t}: {d}") for t, d in decisions.items()},
        decided_on=timezone.localdate(),
        decision_note="Zie de beschikking.",
    )
    assert decided.decision == overall
    assert dict(decided.support_requests.values_list("support_type", "decision")) == decisions
    assert decided.support_requests.get(support_type="aids").decision_note == f"aids: {decisions['aids']}"


@pytest.mark.parametrize(
    ("decisions", "message"),
    [
        (
            {"household": ("granted", "")},
            "Leg ook een besluit vast over: Hulpmiddelen en woningaanpassingen.",
        ),
        (
            {"household": ("granted", ""), "aids": ("granted", ""), "transport": ("granted", "")},
            "Er is besloten over ondersteuning die niet is gevraagd.",
        ),
        (
            {"household": ("maybe", ""), "aids": ("granted", "")},
            "Kies per soort ondersteuning: toegekend, gedeeltelijk toegekend of afgewezen.",
        ),
    ],
)
def test_decisions_must_cover_exactly_the_support_asked_for(decisions, message):
    report = report_in(S.APPLICATION, support_types=["household", "aids"])
    before = snapshot(report)
    with pytest.raises(ValidationError) as error:
        wmo_report_transition(
            acting_user=worker(report),
            report=report,
            to_status=S.DECIDED,
            decisions=decisions,
            decided_on=timezone.localdate(),
            decision_note="Zie de beschikking.",
        )
    assert error.value.message_dict == {"decision": [message]}
    assert snapshot(report) == before


# --- Dates, versions, and who may move --------------------------------------------------------


@pytest.mark.parametrize(
    ("to_status", "field"),
    [(S.APPLICATION, "application_received_on"), (S.CIZ, "ciz_referred_on")],
)
def test_dates_in_the_future_are_refused(to_status, field):
    report = report_in(S.INVESTIGATION)
    with pytest.raises(ValidationError) as error:
        wmo_report_transition(
            acting_user=worker(report),
            report=report,
            to_status=to_status,
            **{field: timezone.localdate() + datetime.timedelta(days=1)},
        )
    assert error.value.message_dict == {field: ["Deze datum ligt in de toekomst."]}


def test_decision_before_the_application_is_refused():
    report = report_in(S.APPLICATION)
    with pytest.raises(ValidationError) as error:
        wmo_report_transition(
            acting_user=worker(report),
            report=report,
            to_status=S.DECIDED,
            decisions={"household": ("granted", "")},
            decided_on=report.application_received_on - datetime.timedelta(days=1),
            decision_note="Toegekend.",
        )
    assert error.value.message_dict == {"decided_on": ["Het besluit kan niet vóór de aanvraag vallen."]}


def test_stale_version_is_refused_and_changes_nothing():
    report = report_in(S.REPORTED)
    before = snapshot(report)
    with pytest.raises(ConflictError):
        wmo_report_transition(
            acting_user=worker(report),
            report=report,
            to_status=S.WITHDRAWN,
            note="Ingetrokken",
            version=report.version - 1 if report.version > 1 else report.version + 1,
        )
    assert snapshot(report) == before


@pytest.mark.parametrize("role", ["Frontoffice", "Vrijwilliger", "Partner", "Beleidsmedewerker"])
def test_roles_that_do_not_work_reports_may_not_move_them(role):
    report = report_in(S.REPORTED)
    user = UserFactory(role=role, desks=[report.desk])
    with pytest.raises(PermissionDenied):
        wmo_report_transition(acting_user=user, report=report, to_status=S.WITHDRAWN, note="Ingetrokken")


def test_a_consultant_of_another_desk_may_not_move_the_report():
    report = report_in(S.REPORTED)
    other = UserFactory(role="Consulent", desks=[WmoReportFactory().desk])
    with pytest.raises(PermissionDenied):
        wmo_report_transition(acting_user=other, report=report, to_status=S.WITHDRAWN, note="Ingetrokken")


def test_the_consultant_must_work_at_the_report_s_desk():
    report = report_in(S.REPORTED)
    stranger = UserFactory(role="Consulent", desks=[WmoReportFactory().desk])
    with pytest.raises(ValidationError) as error:
        wmo_report_transition(
            acting_user=worker(report), report=report, to_status=S.INVESTIGATION, consultant=stranger
        )
    assert error.value.message_dict == {
        "consultant": ["Deze consulent werkt niet bij het loket van deze melding."]
    }


def test_a_walk_from_report_to_closed_leaves_one_status_row_per_move():
    report = report_in(S.REPORTED)
    user = worker(report)
    today = timezone.localdate()
    path = [S.INVESTIGATION, S.APPLICATION, S.DECIDED, S.CLOSED]
    for status in path:
        if status == S.APPLICATION:
            wmo_report_record_investigation(
                acting_user=user, report=report, conversation_on=today, conversation_report="Gesprek."
            )
        report = wmo_report_transition(
            acting_user=user, report=report, to_status=status, **move_kwargs(status, report)
        )
    assert list(report.status_history.values_list("from_status", "to_status")) == [
        ("", S.REPORTED),
        (S.REPORTED, S.INVESTIGATION),
        (S.INVESTIGATION, S.APPLICATION),
        (S.APPLICATION, S.DECIDED),
        (S.DECIDED, S.CLOSED),
    ]
    assert report.version == 6  # four moves and the conversation


def test_application_without_investigation_must_be_received_after_the_deadline():
    report = report_in(S.REPORTED, overdue=True)
    with pytest.raises(ValidationError) as error:
        wmo_report_transition(
            acting_user=worker(report),
            report=report,
            to_status=S.APPLICATION,
            application_received_on=report.due_investigation,
        )
    assert list(error.value.message_dict) == ["application_received_on"]
