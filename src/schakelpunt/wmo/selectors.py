"""Reads of Wmo reports: one report (whole or status only), the consultant's and the team's work
lists, the coordinator's overview, the monthly figures, and the colour of a deadline.

Visibility comes from the model's querysets (``visible_to`` / ``status_visible_to``); nothing here
reads a bare queryset. Reading personal data is logged by the caller (views and API), which know
the request and the purpose.
"""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    DateField,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from schakelpunt.core.access import get_visible_or_404
from schakelpunt.wmo.models import WmoReport, WmoStatusChange, WmoSupportRequest

S = WmoReport.Status
# "Due this week": the deadline falls within the coming seven days, today included.
DUE_SOON_DAYS = 7
INVESTIGATION_PHASE = (S.REPORTED, S.INVESTIGATION)


# --- Deadlines as conditions ------------------------------------------------------------------


def current_due() -> Case:
    """The statutory deadline that runs now, as an expression (see ``WmoReport.current_due_date``):
    the investigation's until the application is received, then the decision's; NULL after."""
    return Case(
        When(status__in=INVESTIGATION_PHASE, then=F("due_investigation")),
        When(status=S.APPLICATION, then=F("due_decision")),
        default=Value(None, output_field=DateField()),
        output_field=DateField(),
    )


def deadline_q(day: datetime.date, lookup: str) -> Q:
    """Reports whose running deadline compares to ``day`` (``lt``, ``lte``, ``gte``, ...)."""
    return Q(status__in=INVESTIGATION_PHASE, **{f"due_investigation__{lookup}": day}) | Q(
        status=S.APPLICATION, **{f"due_decision__{lookup}": day}
    )


def overdue_q(today: datetime.date) -> Q:
    """The running deadline has passed and is not suspended."""
    return deadline_q(today, "lt") & Q(suspended_since__isnull=True)


def due_this_week_q(today: datetime.date) -> Q:
    """The running deadline falls today or within the next six days, and is not suspended."""
    last = today + datetime.timedelta(days=DUE_SOON_DAYS - 1)
    return deadline_q(today, "gte") & deadline_q(last, "lte") & Q(suspended_since__isnull=True)


def deadline_state(report: WmoReport, today: datetime.date | None = None) -> str | None:
    """The colour of a report's running deadline: "overdue" (past it), "due_this_week" (today or
    within the next six days) or "ok"; None when no statutory deadline runs (decided, CIZ,
    closed, or suspended)."""
    due = report.current_due_date()
    if due is None or report.is_suspended:
        return None
    today = today or timezone.localdate()
    if due < today:
        return "overdue"
    if due < today + datetime.timedelta(days=DUE_SOON_DAYS):
        return "due_this_week"
    return "ok"


# --- One report -------------------------------------------------------------------------------


def wmo_report_get(*, viewer, pk: int) -> WmoReport:
    """The whole report with what its page shows; 404 when missing or not visible."""
    return get_visible_or_404(
        WmoReport.objects.select_related(
            "resident",
            "resident__municipality",
            "desk",
            "consultant",
            "registered_by",
            "question",
            "question__contact",
        ).prefetch_related(
            "support_requests",
            "suspensions",
            Prefetch("status_history", queryset=WmoStatusChange.objects.select_related("changed_by")),
        ),
        viewer,
        pk=pk,
    )


# What the front office may see of a report: its phase, dates and deadlines, the desk and who
# handles it; no summary, conversation, decision or support asked for.
STATUS_FIELDS = (
    "id",
    "resident",
    "desk__name",
    "consultant__first_name",
    "consultant__last_name",
    "reported_on",
    "status",
    "status_changed_at",
    "due_personal_plan",
    "due_investigation",
    "due_decision",
    "suspended_since",
    "closed_on",
    "version",
)


def wmo_report_status_get(*, viewer, pk: int) -> WmoReport:
    """A report's phase and deadlines only (front office); 404 when missing or not visible."""
    queryset = WmoReport.objects.select_related("desk", "consultant").only(*STATUS_FIELDS)
    try:
        return queryset.status_visible_to(viewer).get(pk=pk)
    except WmoReport.DoesNotExist:
        raise Http404 from None


# --- Work lists -------------------------------------------------------------------------------


def _work_list(queryset: QuerySet[WmoReport]) -> QuerySet[WmoReport]:
    return (
        queryset.open()
        .annotate(current_due=current_due())
        .select_related("resident", "desk", "consultant")
        .prefetch_related("support_requests")
    )


def my_wmo_reports(*, viewer) -> QuerySet[WmoReport]:
    """Open reports assigned to the viewer, the nearest running deadline first (reports without
    a running deadline, decided or with the CIZ, last)."""
    return _work_list(WmoReport.objects.visible_to(viewer).filter(consultant=viewer)).order_by(
        F("current_due").asc(nulls_last=True), "pk"
    )


def team_wmo_reports(*, viewer) -> QuerySet[WmoReport]:
    """Open reports of the viewer's desks: unassigned first, then by the running deadline."""
    return _work_list(WmoReport.objects.visible_to(viewer).filter(desk__in=viewer.desks.all())).order_by(
        Case(When(consultant__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()),
        F("current_due").asc(nulls_last=True),
        "pk",
    )


# --- Overview and figures ---------------------------------------------------------------------


def _days(duration: datetime.timedelta | None) -> float | None:
    return None if duration is None else round(duration.total_seconds() / 86400, 1)


def _between(later, earlier) -> ExpressionWrapper:
    """``later - earlier`` as a duration (dates on SQLite and PostgreSQL alike)."""
    return ExpressionWrapper(later - earlier, output_field=DurationField())


def wmo_overview(*, viewer, today: datetime.date | None = None) -> dict[str, Any]:
    """Open reports the viewer sees, per phase: how many, how many overdue, due this week,
    suspended and unassigned, the oldest report date, and the average lead time so far in days
    (since the report, and since the phase began). One grouped query.

    ``{"today": date, "phases": [{"status", "label", "count", ...}, ...], "totals": {...}}``;
    every open phase has a row, empty ones with zeros.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    rows = {
        row["status"]: row
        for row in WmoReport.objects.visible_to(viewer)
        .open()
        .order_by()
        .values("status")
        .annotate(
            count=Count("pk"),
            overdue=Count("pk", filter=overdue_q(today)),
            due_this_week=Count("pk", filter=due_this_week_q(today)),
            suspended=Count("pk", filter=Q(suspended_since__isnull=False)),
            unassigned=Count("pk", filter=Q(consultant__isnull=True)),
            oldest_reported_on=Min("reported_on"),
            average_age=Avg(_between(Value(today, output_field=DateField()), F("reported_on"))),
            average_in_phase=Avg(_between(Value(now, output_field=DateTimeField()), F("status_changed_at"))),
        )
    }
    phases = []
    totals = {"count": 0, "overdue": 0, "due_this_week": 0, "suspended": 0, "unassigned": 0}
    for status in WmoReport.OPEN_STATUSES:
        row = rows.get(status, {})
        phase = {
            "status": status,
            "label": S(status).label,
            **{key: row.get(key, 0) for key in totals},
            "oldest_reported_on": row.get("oldest_reported_on"),
            "average_age_days": _days(row.get("average_age")),
            "average_days_in_phase": _days(row.get("average_in_phase")),
        }
        for key in totals:
            totals[key] += phase[key]
        phases.append(phase)
    return {"today": today, "phases": phases, "totals": totals}


def _month_starts(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _by_month(queryset: QuerySet, field: str, first, last, **aggregates) -> dict[datetime.date, dict]:
    """Aggregates of the rows whose ``field`` falls in [first, last], grouped by its month."""
    rows = (
        queryset.filter(**{f"{field}__range": (first, last)})
        .order_by()
        .annotate(month=TruncMonth(field, output_field=DateField()))
        .values("month")
        .annotate(**aggregates)
    )
    return {_as_date(row["month"]): row for row in rows}


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def running_late(today: datetime.date) -> Q:
    """Investigations still running (reported or in investigation, not suspended) whose
    deadline passed before ``today``: assessed as late in the month of that deadline."""
    return Q(
        status__in=INVESTIGATION_PHASE,
        investigation_completed_on__isnull=True,
        suspended_since__isnull=True,
        due_investigation__lt=today,
    )


def wmo_figures(
    *,
    viewer,
    start: datetime.date,
    end: datetime.date,
    desks=None,
    municipality=None,
    today: datetime.date | None = None,
) -> list[dict[str, Any]]:
    """Monthly figures of the reports the viewer sees, one row per calendar month from the month
    of ``start`` through the month of ``end`` (whole months), optionally only for ``desks`` (an
    iterable or queryset of desks) and residents of ``municipality``. Each row:

    - ``month``: the first day of the month.
    - ``reports``: reports made (``reported_on``) in the month.
    - ``investigations_assessed``, ``investigations_in_time``, ``share_in_time``: how often the
      investigation was completed within its statutory deadline. Each investigation is assessed
      once: in the month it was completed (``investigation_completed_on``, stamped when the
      report moves on to the application, the CIZ or closed after the investigation), or, while
      it is still running (reported / in investigation, not suspended) past its deadline, in the
      month that deadline fell (before ``today``). It is in time when it was completed on or
      before ``due_investigation`` (the six weeks, moved by suspensions and the Algemene
      termijnenwet). Withdrawn reports and reports closed by the register without a completed
      investigation are not assessed. ``share_in_time`` = in time / assessed, a fraction
      between 0 and 1, None when nothing was assessed.
    - ``lead_time_days``: average calendar days per phase, each counted in the month the phase
      ended, None without data: ``to_investigation`` = report → investigation started (month of
      ``investigation_started_on``); ``investigation`` = investigation started → completed
      (month of ``investigation_completed_on``, reports that had a started investigation);
      ``decision`` = application received → decision (month of ``decided_on``).
    - ``outcomes``: per support type asked for on reports decided in the month, the number of
      decisions by outcome: ``{"household": {"granted": 2, "partly": 0, "refused": 1}, ...}``
      (only types with a decision in the month).

    Six grouped queries, whatever the number of reports; the same on SQLite and PostgreSQL. The
    dashboards of ``insights`` count reports, assessments and in-time the same way into their
    summary tables (``insights.services``), per desk and municipality.
    """
    today = today or timezone.localdate()
    first = start.replace(day=1)
    last = end.replace(day=calendar.monthrange(end.year, end.month)[1])
    base = WmoReport.objects.visible_to(viewer)
    if desks is not None:
        base = base.filter(desk__in=desks)
    if municipality is not None:
        base = base.filter(resident__municipality=municipality)

    reports = _by_month(base, "reported_on", first, last, n=Count("pk"))
    completed = _by_month(
        base,
        "investigation_completed_on",
        first,
        last,
        n=Count("pk"),
        in_time=Count("pk", filter=Q(investigation_completed_on__lte=F("due_investigation"))),
        lead=Avg(_between(F("investigation_completed_on"), F("investigation_started_on"))),
    )
    late_running = _by_month(
        base.filter(running_late(today)),
        "due_investigation",
        first,
        last,
        n=Count("pk"),
    )
    started = _by_month(
        base,
        "investigation_started_on",
        first,
        last,
        lead=Avg(_between(F("investigation_started_on"), F("reported_on"))),
    )
    decided = _by_month(
        base,
        "decided_on",
        first,
        last,
        lead=Avg(_between(F("decided_on"), F("application_received_on"))),
    )
    outcomes: dict[datetime.date, dict[str, dict[str, int]]] = {}
    for row in (
        WmoSupportRequest.objects.filter(report__in=base.filter(decided_on__range=(first, last)))
        .exclude(decision="")
        .order_by()
        .annotate(month=TruncMonth("report__decided_on", output_field=DateField()))
        .values("month", "support_type", "decision")
        .annotate(n=Count("pk"))
    ):
        per_type = outcomes.setdefault(_as_date(row["month"]), {}).setdefault(
            row["support_type"], dict.fromkeys(WmoReport.Decision.values, 0)
        )
        per_type[row["decision"]] += row["n"]

    figures = []
    for month in _month_starts(first, last):
        done = completed.get(month, {})
        assessed = done.get("n", 0) + late_running.get(month, {}).get("n", 0)
        in_time = done.get("in_time", 0)
        figures.append(
            {
                "month": month,
                "reports": reports.get(month, {}).get("n", 0),
                "investigations_assessed": assessed,
                "investigations_in_time": in_time,
                "share_in_time": in_time / assessed if assessed else None,
                "lead_time_days": {
                    "to_investigation": _days(started.get(month, {}).get("lead")),
                    "investigation": _days(done.get("lead")),
                    "decision": _days(decided.get(month, {}).get("lead")),
                },
                "outcomes": {
                    support_type: outcomes.get(month, {})[support_type]
                    for support_type in sorted(outcomes.get(month, {}))
                },
            }
        )
    return figures
