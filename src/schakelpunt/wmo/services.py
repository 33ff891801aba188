"""Every write to Wmo reports: making one, assigning it, the investigation, every phase change,
suspending and resuming a deadline, the CIZ's outcome, the daily reminders, and closing the
reports of a resident who died or moved away.

Each service locks the report's row, checks who acts and what the move needs (a Dutch message per
missing field, as a ``ValidationError`` keyed by field), optionally checks the version the user
saw (``ConflictError``), writes the change with its status row and access-log row in one
transaction, and queues e-mail with ``transaction.on_commit``. The statutory deadlines come from
``deadlines.py`` and are recomputed from their base date and the summed suspension days, so the
same history always gives the same deadline.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from schakelpunt.audit.services import Action, access_log_record, on_behalf_of_resident
from schakelpunt.contacts.models import Question
from schakelpunt.contacts.services import question_update
from schakelpunt.core.exceptions import ConflictError
from schakelpunt.wmo import deadlines, notifications, workflow
from schakelpunt.wmo.models import (
    SupportTrajectory,
    WmoReminder,
    WmoReport,
    WmoStatusChange,
    WmoSupportRequest,
    WmoSuspension,
)

S = WmoReport.Status
OBJECT_TYPE = "wmo.wmoreport"
PURPOSE = "wmo"

# The phase whose statutory deadline runs in each status (see deadlines.py): the investigation
# period until the application is received, then the decision period. No deadline runs after.
DEADLINE_PHASE = {
    S.REPORTED: WmoSuspension.Phase.INVESTIGATION,
    S.INVESTIGATION: WmoSuspension.Phase.INVESTIGATION,
    S.APPLICATION: WmoSuspension.Phase.DECISION,
}
# Reasons with which the system (the population register) closes reports.
SYSTEM_CLOSE_REASONS = (WmoReport.CloseReason.DECEASED, WmoReport.CloseReason.MOVED_AWAY)


# --- Helpers ----------------------------------------------------------------------------------


def _lock(report: WmoReport, version: int | None) -> WmoReport:
    """The report's row, locked for the rest of the transaction; ConflictError when the caller
    saw another version than the one stored."""
    locked = WmoReport.objects.select_for_update().get(pk=report.pk)
    if version is not None and locked.version != version:
        raise ConflictError
    return locked


def _check_worker(acting_user, report: WmoReport) -> None:
    """Only a consultant (or coordinator) who sees the whole report may work it."""
    if acting_user is None:
        return  # the system
    if not acting_user.has_perm("wmo.work_wmoreport"):
        raise PermissionDenied
    if not WmoReport.objects.visible_to(acting_user).filter(pk=report.pk).exists():
        raise PermissionDenied


def _consultant_error(consultant, report: WmoReport) -> str | None:
    if not consultant.is_active or not consultant.has_perm("wmo.work_wmoreport"):
        return _("Kies een actieve medewerker die Wmo-meldingen behandelt.")
    if not consultant.desks.filter(pk=report.desk_id).exists():
        return _("Deze consulent werkt niet bij het loket van deze melding.")
    return None


def _check_date(
    errors: dict,
    field: str,
    value: datetime.date | None,
    *,
    today: datetime.date,
    not_before: datetime.date | None = None,
    not_before_message: str = "",
) -> None:
    """A date may not lie in the future, nor before the event it follows."""
    if value is None or field in errors:
        return
    if value > today:
        errors[field] = _("Deze datum ligt in de toekomst.")
    elif not_before is not None and value < not_before:
        errors[field] = not_before_message


def _log_change(acting_user, report: WmoReport, request: HttpRequest | None, action: str = Action.CHANGE):
    access_log_record(
        acting_user=acting_user,
        action=action,
        object_type=OBJECT_TYPE,
        object_id=report.pk,
        request=request,
        purpose=PURPOSE,
        on_behalf_of=on_behalf_of_resident(report.resident_id),
    )


def _save(report: WmoReport) -> None:
    report.version += 1
    report.full_clean()
    report.save()


def _notify_assigned(acting_user, report: WmoReport) -> None:
    """The consultant hears by e-mail that a report is theirs, unless they took it themselves."""
    if report.consultant_id and (acting_user is None or report.consultant_id != acting_user.pk):
        transaction.on_commit(lambda: notifications.assigned(report))


def _recompute_deadlines(report: WmoReport) -> None:
    """Each deadline from its base date plus the summed days of the ended suspensions of its
    phase (Awb 4:15 for the decision; the resident's consent for the investigation)."""
    days = {WmoSuspension.Phase.INVESTIGATION: 0, WmoSuspension.Phase.DECISION: 0}
    for suspension in report.suspensions.filter(ended_on__isnull=False):
        days[suspension.phase] += suspension.days
    report.investigation_suspended_days = days[WmoSuspension.Phase.INVESTIGATION]
    report.decision_suspended_days = days[WmoSuspension.Phase.DECISION]
    report.due_investigation = deadlines.investigation_deadline(
        report.reported_on, suspended_days=report.investigation_suspended_days
    )
    if report.application_received_on is not None:
        report.due_decision = deadlines.decision_deadline(
            report.application_received_on, suspended_days=report.decision_suspended_days
        )


def _end_running_suspension(report: WmoReport, *, ended_on: datetime.date) -> WmoSuspension | None:
    """End the running suspension (if any) on ``ended_on`` and move the deadlines."""
    suspension = report.suspensions.filter(ended_on__isnull=True).first()
    if suspension is None:
        return None
    suspension.ended_on = max(ended_on, suspension.started_on)
    suspension.save(update_fields=["ended_on"])
    report.suspended_since = None
    _recompute_deadlines(report)
    return suspension


# --- Making a report --------------------------------------------------------------------------


@transaction.atomic
def wmo_report_create(
    *,
    acting_user,
    resident,
    desk,
    summary: str,
    support_types: list[tuple[str, str]],
    client_support_offered: bool,
    client_support_accepted: bool | None = None,
    reported_on: datetime.date | None = None,
    reporter: str = WmoReport.Reporter.RESIDENT,
    reporter_name: str = "",
    question: Question | None = None,
    request: HttpRequest | None = None,
) -> WmoReport:
    """Register a report (melding) of a need for support.

    ``support_types`` is a list of (support type, description). Writes the statutory deadlines
    of the investigation and the personal plan, the first status row, a client support
    trajectory when the resident accepted the offer, and an access-log row. A question the report
    came from gets the outcome "Wmo-melding" if it has none yet.
    """
    if not acting_user.has_perm("wmo.add_wmoreport"):
        raise PermissionDenied
    today = timezone.localdate()
    reported_on = reported_on or today
    errors: dict[str, str] = {}
    if not acting_user.desks.filter(pk=desk.pk).exists():
        errors["desk"] = _("U werkt niet bij dit loket.")
    if resident is None:
        errors["resident"] = _("Een Wmo-melding hoort bij een inwoner: kies of registreer eerst de inwoner.")
    elif resident.status == resident.Status.DECEASED:
        errors["resident"] = _("Deze inwoner is overleden.")
    if not (summary or "").strip():
        errors["summary"] = _("Beschrijf waarbij de inwoner ondersteuning nodig heeft.")
    types = [support_type for support_type, _description in support_types or []]
    if not types:
        errors["support_types"] = _("Kies ten minste één soort ondersteuning.")
    elif any(t not in WmoSupportRequest.SupportType.values for t in types):
        errors["support_types"] = _("Onbekende soort ondersteuning.")
    elif len(set(types)) != len(types):
        errors["support_types"] = _("Kies elke soort ondersteuning maar één keer.")
    elif any(len(description or "") > 300 for _t, description in support_types):
        errors["support_types"] = _("Een toelichting is ten hoogste 300 tekens.")
    # Wmo 2015 art. 2.3.2 lid 3: the offer of free client support must be answered.
    if client_support_offered is None:
        errors["client_support_offered"] = _(
            "Geef aan of de inwoner gratis onafhankelijke cliëntondersteuning is aangeboden."
        )
    elif not client_support_offered and client_support_accepted is not None:
        errors["client_support_accepted"] = _(
            "Cliëntondersteuning kan alleen gewenst zijn als ze is aangeboden."
        )
    if reporter not in WmoReport.Reporter.values:
        errors["reporter"] = _("Kies wie de melding deed.")
    _check_date(errors, "reported_on", reported_on, today=today)
    if question is not None and "resident" not in errors:
        if not Question.objects.visible_to(acting_user).filter(pk=question.pk).exists():
            raise PermissionDenied
        if question.resident_id != resident.pk:
            errors["question"] = _("Deze vraag is van een andere inwoner.")
    if errors:
        raise ValidationError(errors)

    report = WmoReport(
        resident=resident,
        question=question,
        desk=desk,
        reported_on=reported_on,
        reporter=reporter,
        reporter_name=reporter_name.strip(),
        summary=summary.strip(),
        registered_by=acting_user,
        client_support_offered=client_support_offered,
        client_support_accepted=client_support_accepted if client_support_offered else None,
        due_personal_plan=deadlines.personal_plan_deadline(reported_on),
        due_investigation=deadlines.investigation_deadline(reported_on),
    )
    report.full_clean()
    report.save()
    WmoSupportRequest.objects.bulk_create(
        WmoSupportRequest(report=report, support_type=support_type, description=(description or "").strip())
        for support_type, description in support_types
    )
    WmoStatusChange.objects.create(report=report, to_status=S.REPORTED, changed_by=acting_user)
    if client_support_offered and client_support_accepted:
        SupportTrajectory.objects.create(report=report, resident=resident, requested_on=today)
    if question is not None:
        _mark_question(acting_user=acting_user, question=question, request=request)
    _log_change(acting_user, report, request, action=Action.CREATE)
    return report


def _mark_question(*, acting_user, question: Question, request: HttpRequest | None) -> None:
    """The question's outcome becomes "Wmo-melding" unless it already has one."""
    current = Question.objects.only("outcome", "version").get(pk=question.pk)
    if current.outcome:
        return
    question_update(
        acting_user=acting_user,
        question=question,
        expected_version=current.version,
        data={"outcome": Question.Outcome.WMO_REPORT},
        request=request,
    )


# --- Working a report -------------------------------------------------------------------------


@transaction.atomic
def wmo_report_assign(
    *,
    acting_user,
    report: WmoReport,
    consultant,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> WmoReport:
    """Make ``consultant`` responsible for an open report; they get an e-mail (unless they
    assigned themselves). Not a phase change: starting the investigation is a transition."""
    locked = _lock(report, version)
    _check_worker(acting_user, locked)
    if not locked.is_open:
        raise ValidationError(_("Een afgesloten melding kan niet meer worden toegewezen."))
    error = _consultant_error(consultant, locked)
    if error:
        raise ValidationError({"consultant": error})
    if locked.consultant_id == consultant.pk:
        return locked
    locked.consultant = consultant
    _save(locked)
    _log_change(acting_user, locked, request)
    _notify_assigned(acting_user, locked)
    return locked


@transaction.atomic
def wmo_report_record_investigation(
    *,
    acting_user,
    report: WmoReport,
    conversation_on: datetime.date | None = None,
    conversation_report: str | None = None,
    personal_plan_received_on: datetime.date | None = None,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> WmoReport:
    """Record the conversation (date and report) and the personal plan. An argument left None
    leaves the field as it is. The conversation belongs to the investigation phase; the personal
    plan may come in before the investigation starts (Wmo 2015 art. 2.3.2 lid 2)."""
    locked = _lock(report, version)
    _check_worker(acting_user, locked)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    conversation_given = conversation_on is not None or conversation_report is not None
    if conversation_given and locked.status != S.INVESTIGATION:
        raise ValidationError(
            _("Het gesprek wordt vastgelegd tijdens het onderzoek; deze melding is in de fase ‘%(status)s’.")
            % {"status": S(locked.status).label}
        )
    if personal_plan_received_on is not None and locked.status not in (S.REPORTED, S.INVESTIGATION):
        raise ValidationError(
            {
                "personal_plan_received_on": _(
                    "Een persoonlijk plan wordt vóór of tijdens het onderzoek ontvangen."
                )
            }
        )
    before_report = _("Deze datum ligt vóór de datum van de melding.")
    _check_date(
        errors,
        "conversation_on",
        conversation_on,
        today=today,
        not_before=locked.reported_on,
        not_before_message=before_report,
    )
    _check_date(
        errors,
        "personal_plan_received_on",
        personal_plan_received_on,
        today=today,
        not_before=locked.reported_on,
        not_before_message=before_report,
    )
    if errors:
        raise ValidationError(errors)
    changed = False
    for field, value in (
        ("conversation_on", conversation_on),
        ("conversation_report", conversation_report.strip() if conversation_report is not None else None),
        ("personal_plan_received_on", personal_plan_received_on),
    ):
        if value is not None and getattr(locked, field) != value:
            setattr(locked, field, value)
            changed = True
    if not changed:
        return locked
    _save(locked)
    _log_change(acting_user, locked, request)
    return locked


def _decision_errors(
    locked: WmoReport, decisions: dict[str, tuple[str, str]] | None
) -> tuple[str | None, dict[str, tuple[str, str]]]:
    """Check the decision per support type; returns (message, cleaned decisions)."""
    asked = list(locked.support_requests.values_list("support_type", flat=True))
    decisions = decisions or {}
    if not decisions:
        return _("Leg voor elke gevraagde soort ondersteuning een besluit vast."), {}
    unknown = set(decisions) - set(asked)
    if unknown:
        return _("Er is besloten over ondersteuning die niet is gevraagd."), {}
    missing = [t for t in asked if t not in decisions]
    if missing:
        labels = ", ".join(str(WmoSupportRequest.SupportType(t).label) for t in missing)
        return _("Leg ook een besluit vast over: %(labels)s.") % {"labels": labels}, {}
    cleaned = {}
    for support_type, (decision, what) in decisions.items():
        if decision not in WmoReport.Decision.values:
            return _("Kies per soort ondersteuning: toegekend, gedeeltelijk toegekend of afgewezen."), {}
        what = (what or "").strip()
        if len(what) > 300:
            return _("Beschrijf per soort ondersteuning in ten hoogste 300 tekens wat is besloten."), {}
        cleaned[support_type] = (decision, what)
    return None, cleaned


def _overall_decision(decisions: Iterable[str]) -> str:
    """All granted: granted; all refused: refused; anything else: partly granted."""
    values = set(decisions)
    if values == {WmoReport.Decision.GRANTED}:
        return WmoReport.Decision.GRANTED
    if values == {WmoReport.Decision.REFUSED}:
        return WmoReport.Decision.REFUSED
    return WmoReport.Decision.PARTLY


@transaction.atomic
def wmo_report_transition(
    *,
    acting_user,
    report: WmoReport,
    to_status: str,
    note: str = "",
    version: int | None = None,
    consultant=None,
    application_received_on: datetime.date | None = None,
    decided_on: datetime.date | None = None,
    decision_note: str = "",
    decisions: dict[str, tuple[str, str]] | None = None,
    ciz_referred_on: datetime.date | None = None,
    close_reason: str = "",
    request: HttpRequest | None = None,
) -> WmoReport:
    """Move a report to another phase: the one way to change its status.

    Checks the move against ``workflow.ALLOWED_TRANSITIONS`` and what it needs
    (``workflow.REQUIREMENTS``), stamps the dates and deadlines, ends a running suspension of a
    deadline that stops running, and appends one status row. ``decisions`` maps each support type
    asked for to (decision, what was decided); the report's decision is derived from them.
    """
    locked = _lock(report, version)
    _check_worker(acting_user, locked)
    from_status = locked.status
    if to_status not in S.values:
        raise ValidationError({"to_status": _("Onbekende fase.")})
    if not workflow.allowed(from_status, to_status):
        raise ValidationError(
            _("Een melding in de fase ‘%(from)s’ kan niet naar ‘%(to)s’.")
            % {"from": S(from_status).label, "to": S(to_status).label}
        )
    now = timezone.now()
    today = timezone.localdate(now)
    if (
        from_status == S.REPORTED
        and to_status == S.APPLICATION
        and (locked.is_suspended or today <= locked.due_investigation)
    ):
        # Wmo 2015 art. 2.3.5 lid 2: an application without an investigation only once the
        # investigation period has passed.
        raise ValidationError(
            _(
                "Een aanvraag zonder onderzoek kan pas worden ontvangen als de onderzoekstermijn is "
                "verstreken (uiterlijk %(date)s; Wmo 2015 art. 2.3.5 lid 2). Start eerst het onderzoek."
            )
            % {"date": f"{locked.due_investigation:%d-%m-%Y}"}
        )

    errors: dict[str, str] = {}
    note = (note or "").strip()
    consultant_changed = False
    if consultant is not None and consultant.pk != locked.consultant_id:
        error = _consultant_error(consultant, locked)
        if error:
            errors["consultant"] = error
        else:
            locked.consultant = consultant
            consultant_changed = True
    before_report = _("Deze datum ligt vóór de datum van de melding.")
    cleaned_decisions: dict[str, tuple[str, str]] = {}

    if to_status == S.INVESTIGATION:
        if locked.consultant_id is None and "consultant" not in errors:
            errors["consultant"] = _("Wijs een consulent toe die het onderzoek doet.")
        locked.investigation_started_on = locked.investigation_started_on or today
    elif to_status == S.APPLICATION:
        if application_received_on is None:
            errors["application_received_on"] = _("Vul de datum in waarop de aanvraag is ontvangen.")
        _check_date(
            errors,
            "application_received_on",
            application_received_on,
            today=today,
            not_before=locked.reported_on,
            not_before_message=before_report,
        )
        if (
            from_status == S.REPORTED
            and "application_received_on" not in errors
            and application_received_on <= locked.due_investigation
        ):
            errors["application_received_on"] = _(
                "Zonder onderzoek kan de aanvraag pas na de onderzoekstermijn (%(date)s) zijn ontvangen."
            ) % {"date": f"{locked.due_investigation:%d-%m-%Y}"}
        if from_status == S.INVESTIGATION:
            # Wmo 2015 art. 2.3.2 lid 8: the resident gets the written report of the investigation.
            if locked.conversation_on is None:
                errors["conversation_on"] = _("Leg eerst de datum van het gesprek vast.")
            if not locked.conversation_report.strip():
                errors["conversation_report"] = _("Leg eerst het verslag van het gesprek vast.")
    elif to_status == S.DECIDED:
        message, cleaned_decisions = _decision_errors(locked, decisions)
        if message:
            errors["decision"] = message
        if decided_on is None:
            errors["decided_on"] = _("Vul de datum van het besluit in.")
        _check_date(
            errors,
            "decided_on",
            decided_on,
            today=today,
            not_before=locked.application_received_on,
            not_before_message=_("Het besluit kan niet vóór de aanvraag vallen."),
        )
        if not (decision_note or "").strip():
            errors["decision_note"] = _("Beschrijf wat is besloten.")
    elif to_status == S.CIZ:
        if ciz_referred_on is None:
            errors["ciz_referred_on"] = _("Vul de datum in waarop naar het CIZ is verwezen.")
        _check_date(
            errors,
            "ciz_referred_on",
            ciz_referred_on,
            today=today,
            not_before=locked.reported_on,
            not_before_message=before_report,
        )
    elif to_status == S.CLOSED:
        default_reason = {
            S.DECIDED: WmoReport.CloseReason.DECIDED,
            S.CIZ: WmoReport.CloseReason.CIZ,
            S.INVESTIGATION: WmoReport.CloseReason.NO_APPLICATION,
        }[from_status]
        close_reason = close_reason or default_reason
        if close_reason not in WmoReport.CloseReason.values:
            errors["close_reason"] = _("Kies een reden van afsluiten.")
        if from_status == S.CIZ and locked.ciz_outcome not in (
            WmoReport.CizOutcome.GRANTED,
            WmoReport.CizOutcome.REFUSED,
        ):
            errors["ciz_outcome"] = _("Leg eerst de uitkomst van het CIZ vast.")
        if from_status == S.INVESTIGATION and not locked.conversation_report.strip():
            errors["conversation_report"] = _(
                "Leg eerst het verslag van het gesprek vast: daarin staat waarom geen aanvraag volgt."
            )
    elif to_status == S.WITHDRAWN:
        if not note:
            errors["note"] = _("Schrijf op wie de melding introk en waarom.")
        if close_reason and close_reason not in WmoReport.CloseReason.values:
            errors["close_reason"] = _("Kies een reden van afsluiten.")
    if errors:
        raise ValidationError(errors)

    # A deadline that stops running ends its suspension on the day of the move.
    if DEADLINE_PHASE.get(from_status) != DEADLINE_PHASE.get(to_status):
        _end_running_suspension(locked, ended_on=today)
    if from_status in (S.REPORTED, S.INVESTIGATION) and to_status in (S.APPLICATION, S.CIZ, S.CLOSED):
        locked.investigation_completed_on = {
            S.APPLICATION: application_received_on,
            S.CIZ: ciz_referred_on,
            S.CLOSED: today,
        }[to_status]
    if to_status == S.APPLICATION:
        locked.application_received_on = application_received_on
        locked.due_decision = deadlines.decision_deadline(
            application_received_on, suspended_days=locked.decision_suspended_days
        )
    elif to_status == S.DECIDED:
        requests = list(locked.support_requests.all())
        for support_request in requests:
            support_request.decision, support_request.decision_note = cleaned_decisions[
                support_request.support_type
            ]
        WmoSupportRequest.objects.bulk_update(requests, ["decision", "decision_note"])
        locked.decision = _overall_decision(decision for decision, _what in cleaned_decisions.values())
        locked.decided_on = decided_on
        locked.decision_note = decision_note.strip()
    elif to_status == S.CIZ:
        locked.ciz_referred_on = ciz_referred_on
        locked.ciz_outcome = WmoReport.CizOutcome.PENDING
    elif to_status in workflow.CLOSED_STATES:
        locked.closed_on = today
        locked.close_reason = close_reason
    locked.status = to_status
    locked.status_changed_at = now
    _save(locked)
    WmoStatusChange.objects.create(
        report=locked,
        from_status=from_status,
        to_status=to_status,
        note=note,
        changed_by=acting_user,
        changed_at=now,
    )
    _log_change(acting_user, locked, request)
    if consultant_changed:
        _notify_assigned(acting_user, locked)
    return locked


@transaction.atomic
def wmo_report_record_ciz_outcome(
    *,
    acting_user,
    report: WmoReport,
    ciz_outcome: str,
    ciz_outcome_on: datetime.date,
    ciz_note: str = "",
    version: int | None = None,
    request: HttpRequest | None = None,
) -> WmoReport:
    """Record what the CIZ decided on the Wlz (outside the municipality); then the report can
    be closed."""
    locked = _lock(report, version)
    _check_worker(acting_user, locked)
    if locked.status != S.CIZ:
        raise ValidationError(
            _("Alleen bij een melding die naar het CIZ is verwezen wordt de uitkomst vastgelegd.")
        )
    errors: dict[str, str] = {}
    if ciz_outcome not in (WmoReport.CizOutcome.GRANTED, WmoReport.CizOutcome.REFUSED):
        errors["ciz_outcome"] = _("Kies de uitkomst van het CIZ.")
    if ciz_outcome_on is None:
        errors["ciz_outcome_on"] = _("Vul de datum van de uitkomst in.")
    _check_date(
        errors,
        "ciz_outcome_on",
        ciz_outcome_on,
        today=timezone.localdate(),
        not_before=locked.ciz_referred_on,
        not_before_message=_("De uitkomst kan niet vóór de verwijzing naar het CIZ vallen."),
    )
    if errors:
        raise ValidationError(errors)
    locked.ciz_outcome = ciz_outcome
    locked.ciz_outcome_on = ciz_outcome_on
    locked.ciz_note = (ciz_note or "").strip()
    _save(locked)
    _log_change(acting_user, locked, request)
    return locked


# --- Suspending a deadline --------------------------------------------------------------------


@transaction.atomic
def wmo_report_suspend(
    *,
    acting_user,
    report: WmoReport,
    reason: str,
    note: str = "",
    started_on: datetime.date | None = None,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> WmoSuspension:
    """Suspend the deadline that runs now: the investigation's (only with the resident's consent:
    record why) or the decision's (Awb 4:15: the municipality waits for the applicant to complete
    the application). The deadline moves when the suspension ends, by its length in days."""
    locked = _lock(report, version)
    _check_worker(acting_user, locked)
    phase = DEADLINE_PHASE.get(locked.status)
    if phase is None:
        raise ValidationError(_("In deze fase loopt geen wettelijke termijn die kan worden opgeschort."))
    if locked.is_suspended:
        raise ValidationError(_("De termijn is al opgeschort; hervat hem eerst."))
    today = timezone.localdate()
    started_on = started_on or today
    errors: dict[str, str] = {}
    if reason not in WmoSuspension.Reason.values:
        errors["reason"] = _("Kies een reden voor de opschorting.")
    if reason == WmoSuspension.Reason.OTHER and not (note or "").strip():
        errors["note"] = _("Licht de reden toe.")
    phase_start = (
        locked.reported_on if phase == WmoSuspension.Phase.INVESTIGATION else locked.application_received_on
    )
    _check_date(
        errors,
        "started_on",
        started_on,
        today=today,
        not_before=phase_start,
        not_before_message=_("De opschorting kan niet beginnen voordat de termijn liep."),
    )
    last_end = (
        locked.suspensions.filter(ended_on__isnull=False)
        .order_by("-ended_on")
        .values_list("ended_on", flat=True)
        .first()
    )
    if "started_on" not in errors and last_end is not None and started_on < last_end:
        errors["started_on"] = _("Deze opschorting overlapt met een eerdere.")
    if errors:
        raise ValidationError(errors)
    suspension = WmoSuspension.objects.create(
        report=locked,
        phase=phase,
        reason=reason,
        note=(note or "").strip(),
        started_on=started_on,
        started_by=acting_user,
    )
    locked.suspended_since = started_on
    _save(locked)
    _log_change(acting_user, locked, request)
    return suspension


@transaction.atomic
def wmo_report_resume(
    *,
    acting_user,
    report: WmoReport,
    ended_on: datetime.date | None = None,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> WmoSuspension:
    """End the running suspension; the deadline of its phase moves by the suspension's length
    (recomputed from the base date and all ended suspensions of that phase)."""
    locked = _lock(report, version)
    _check_worker(acting_user, locked)
    suspension = locked.suspensions.filter(ended_on__isnull=True).first()
    if suspension is None:
        raise ValidationError(_("De termijn van deze melding is niet opgeschort."))
    ended_on = ended_on or timezone.localdate()
    errors: dict[str, str] = {}
    _check_date(
        errors,
        "ended_on",
        ended_on,
        today=timezone.localdate(),
        not_before=suspension.started_on,
        not_before_message=_("De termijn kan niet worden hervat vóór het begin van de opschorting."),
    )
    if errors:
        raise ValidationError(errors)
    suspension = _end_running_suspension(locked, ended_on=ended_on)
    _save(locked)
    _log_change(acting_user, locked, request)
    return suspension


# --- System runs ------------------------------------------------------------------------------


def _reminder_days() -> list[int]:
    """The settings' WMO_REMINDER_DAYS as whole days, largest first (strings from the
    environment are converted)."""
    return sorted({int(day) for day in settings.WMO_REMINDER_DAYS if int(day) >= 0}, reverse=True)


def _due_on_or_before(day: datetime.date) -> Q:
    """Reports with a running deadline (see ``_running_deadlines``) on or before ``day``:
    coming up within the reminder window, or already passed."""
    return (
        Q(status__in=[S.REPORTED, S.INVESTIGATION], due_investigation__lte=day)
        | Q(
            status__in=[S.REPORTED, S.INVESTIGATION],
            personal_plan_received_on__isnull=True,
            due_personal_plan__lte=day,
        )
        | Q(status=S.APPLICATION, due_decision__lte=day)
    )


def _running_deadlines(report: WmoReport) -> list[tuple[str, datetime.date]]:
    """The deadlines of an open, not suspended report that a reminder is about, by kind."""
    Kind = WmoReminder.Kind
    if report.status in (S.REPORTED, S.INVESTIGATION):
        running = [(Kind.INVESTIGATION, report.due_investigation)]
        if report.personal_plan_received_on is None:
            running.append((Kind.PERSONAL_PLAN, report.due_personal_plan))
        return running
    if report.status == S.APPLICATION and report.due_decision is not None:
        return [(Kind.DECISION, report.due_decision)]
    return []


@transaction.atomic
def wmo_reports_send_reminders(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily run: remind the consultant (or, while nobody is assigned, the desk's team)
    ``WMO_REMINDER_DAYS`` days before each running deadline, and tell them once when the
    statutory deadline of the phase (investigation or decision) has passed.

    Every reminder is stored as a WmoReminder row: sent at most once per report, kind, due date
    and number of days, so a deadline moved by a suspension gets reminders of its own. A run that
    was missed catches up: all reminders whose day has come are sent as one mail. Suspended and
    closed reports get nothing. Returns the counts.
    """
    today = today or timezone.localdate()
    days = _reminder_days()
    horizon = today + datetime.timedelta(days=max(days, default=0))
    candidates = list(
        WmoReport.objects.select_for_update(of=("self",))
        .filter(status__in=list(DEADLINE_PHASE), suspended_since__isnull=True)
        .filter(_due_on_or_before(horizon))
        .select_related("consultant")
        .order_by("pk")
    )
    sent_before = set(
        WmoReminder.objects.filter(report__in=[r.pk for r in candidates]).values_list(
            "report_id", "kind", "due", "days_before"
        )
    )
    new_rows: list[WmoReminder] = []
    reminders: list[tuple[WmoReport, str, datetime.date]] = []
    overdue: list[tuple[WmoReport, str, datetime.date]] = []
    for report in candidates:
        for kind, due in _running_deadlines(report):
            if due < today:
                if kind == WmoReminder.Kind.PERSONAL_PLAN:
                    continue  # the resident's window, not the municipality's deadline
                if (report.pk, WmoReminder.Kind.OVERDUE, due, 0) not in sent_before:
                    new_rows.append(WmoReminder(report=report, kind=WmoReminder.Kind.OVERDUE, due=due))
                    overdue.append((report, kind, due))
                continue
            due_now = [
                n
                for n in days
                if due - datetime.timedelta(days=n) <= today and (report.pk, kind, due, n) not in sent_before
            ]
            if due_now:
                new_rows.extend(
                    WmoReminder(report=report, kind=kind, due=due, days_before=n) for n in due_now
                )
                reminders.append((report, kind, due))
    WmoReminder.objects.bulk_create(new_rows)
    transaction.on_commit(lambda: notifications.reminders(reminders, overdue, today=today))
    return {"candidates": len(candidates), "reminded": len(reminders), "overdue": len(overdue)}


@transaction.atomic
def wmo_reports_close_for_resident(*, resident, reason: str, note: str = "") -> int:
    """Close every open report of a resident as the system: the population register reported a
    death or a move out of the municipality. The one move outside the workflow table: it ends a
    report in any open phase. A running suspension ends today, a requested or running client
    support trajectory ends, the status row has no user, and the consultant is told by e-mail.
    Returns how many reports were closed."""
    if reason not in SYSTEM_CLOSE_REASONS:
        raise ValueError(f"unknown reason for closing by the system: {reason!r}")
    now = timezone.now()
    today = timezone.localdate(now)
    closed = []
    for locked in (
        WmoReport.objects.select_for_update(of=("self",))
        .filter(resident=resident, status__in=WmoReport.OPEN_STATUSES)
        .select_related("consultant")
        .order_by("pk")
    ):
        from_status = locked.status
        _end_running_suspension(locked, ended_on=today)
        locked.status = S.CLOSED
        locked.status_changed_at = now
        locked.closed_on = today
        locked.close_reason = reason
        _save(locked)
        WmoStatusChange.objects.create(
            report=locked,
            from_status=from_status,
            to_status=S.CLOSED,
            note=note or str(WmoReport.CloseReason(reason).label),
            changed_by=None,
            changed_at=now,
        )
        SupportTrajectory.objects.filter(
            report=locked, status__in=[SupportTrajectory.Status.REQUESTED, SupportTrajectory.Status.RUNNING]
        ).update(
            status=SupportTrajectory.Status.ENDED,
            ended_on=today,
            end_reason=str(WmoReport.CloseReason(reason).label),
            updated_at=now,
        )
        _log_change(None, locked, None)
        closed.append(locked)
    if closed:
        transaction.on_commit(lambda: notifications.closed_by_system(closed))
    return len(closed)
