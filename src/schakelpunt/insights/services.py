"""The one write of insights: rebuild the summary tables from the registration, month by month.

``summaries_refresh`` recomputes whole calendar months: it deletes a month's rows and writes
them anew in one transaction, so a run can be repeated (or interrupted) without double counts.
Which months: from ``since`` on when given; otherwise the current and the previous month and
every month in which a contact, question, referral, unmet need or Wmo report changed since
the last run. The first run rebuilds everything. See docs/subsystems/insights.md.
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from schakelpunt.contacts.models import Contact, Question
from schakelpunt.insights import definitions as d
from schakelpunt.insights.models import (
    SMALL_CELL,
    LeadTimeCount,
    MonthlyCount,
    QuarterFigure,
    ReachFigure,
    RefreshRun,
    SummarisedPeriod,
)
from schakelpunt.insights.periods import Period, add_months, month_bounds, month_start
from schakelpunt.organisations.models import Desk
from schakelpunt.referrals.models import Referral, UnmetNeed
from schakelpunt.wmo.models import WmoReport
from schakelpunt.wmo.selectors import running_late

S = Referral.Status
CHUNK = 5000
CLOSED_AFTER_WORK = (S.COMPLETED, S.FAILED)
Kind = SummarisedPeriod.Kind


@dataclass
class _Cell:
    count: int = 0
    persons: set[int] = field(default_factory=set)


class _Month:
    """The figures of one month while they are being counted."""

    def __init__(self, month: datetime.date, single_municipality: dict[int, int]):
        self.month = month
        self.single_municipality = single_municipality
        self.cells: dict[tuple, _Cell] = defaultdict(_Cell)
        self.buckets: dict[tuple, int] = defaultdict(int)

    def municipality(self, desk_id: int, *candidates: int | None) -> int | None:
        """The resident's municipality, else the location's, else the desk's if it serves one."""
        return d.attributed_municipality(self.single_municipality, desk_id, *candidates)

    def add(self, desk: int, municipality: int | None, measure: str, dimension: str, value, person: int):
        cell = self.cells[(desk, municipality, measure, dimension, "" if value is None else str(value))]
        cell.count += 1
        cell.persons.add(person)

    def lead_time(self, desk: int, municipality: int | None, measure: str, days: int, person: int) -> None:
        self.add(desk, municipality, measure, d.TOTAL, "", person)
        self.buckets[(desk, municipality, measure, d.bucket_for(days))] += 1

    def rows(self) -> tuple[list[MonthlyCount], list[LeadTimeCount]]:
        counts = []
        for (desk, municipality, measure, dimension, value), cell in self.cells.items():
            persons = len(cell.persons)
            counts.append(
                MonthlyCount(
                    month=self.month,
                    desk_id=desk,
                    municipality_id=municipality,
                    measure=measure,
                    dimension=dimension,
                    value=value,
                    count=cell.count,
                    persons=persons,
                    person_keys=sorted(cell.persons) if persons < SMALL_CELL else [],
                )
            )
        buckets = [
            LeadTimeCount(
                month=self.month,
                desk_id=desk,
                municipality_id=municipality,
                measure=measure,
                bucket=bucket,
                count=count,
            )
            for (desk, municipality, measure, bucket), count in self.buckets.items()
        ]
        return counts, buckets


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _days(start: datetime.datetime, end: datetime.datetime) -> int:
    return (_local_date(end) - _local_date(start)).days


def _single_municipality() -> dict[int, int]:
    through = Desk.municipalities.through
    served: dict[int, list[int]] = defaultdict(list)
    for desk_id, municipality_id in through.objects.values_list("desk_id", "municipality_id"):
        served[desk_id].append(municipality_id)
    return {desk: found[0] for desk, found in served.items() if len(found) == 1}


def _domains(question_filter: dict) -> dict[int, list[str]]:
    domains: dict[int, list[str]] = defaultdict(list)
    rows = Question.domains.through.objects.filter(**question_filter).values_list(
        "question_id", "lifedomain__code"
    )
    for question_id, code in rows.iterator(chunk_size=CHUNK):
        domains[question_id].append(code)
    return domains


def _count_month(month: datetime.date, single_municipality: dict[int, int], today: datetime.date) -> _Month:
    start, end = month_bounds(month)
    counted = _Month(month, single_municipality)
    add = counted.add

    # Contacts that started this month, and who they were with.
    contacts = {}
    rows = (
        Contact.objects.filter(started_at__gte=start, started_at__lt=end)
        .order_by()
        .values_list(
            "id", "desk_id", "location_id", "location__municipality_id", "channel", "started_at",
            "resident_id", "resident__birth_date", "resident__municipality_id", "resident__district_id",
        )
    )  # fmt: skip
    for (
        pk,
        desk,
        location,
        location_muni,
        channel,
        started,
        resident,
        birth,
        resident_muni,
        district,
    ) in rows.iterator(chunk_size=CHUNK):
        person = resident or -pk
        municipality = counted.municipality(desk, resident_muni, location_muni)
        band = d.age_band(birth, _local_date(started))
        facts = (desk, municipality, person, channel, location, band, district)
        contacts[pk] = facts
        breakdown = ((d.TOTAL, ""), (d.CHANNEL, channel), (d.LOCATION, location), (d.AGE_BAND, band))
        for dimension, value in (*breakdown, (d.DISTRICT, district)):
            add(desk, municipality, d.CONTACTS, dimension, value, person)

    # Their questions: the same breakdowns, and domains, outcomes and unmet needs.
    in_month = {"question__contact__started_at__gte": start, "question__contact__started_at__lt": end}
    domains = _domains(in_month)
    rows = (
        Question.objects.filter(contact__started_at__gte=start, contact__started_at__lt=end)
        .order_by()
        .values_list("id", "contact_id", "outcome", "unmet_reason")
    )
    for pk, contact_id, outcome, unmet_reason in rows.iterator(chunk_size=CHUNK):
        desk, municipality, person, channel, location, band, district = contacts[contact_id]
        for dimension, value in (
            (d.TOTAL, ""), (d.CHANNEL, channel), (d.LOCATION, location), (d.AGE_BAND, band),
            (d.DISTRICT, district), (d.OUTCOME, outcome),
        ):  # fmt: skip
            add(desk, municipality, d.QUESTIONS, dimension, value, person)
        codes = domains.get(pk) or [d.UNKNOWN]
        for code in codes:
            add(desk, municipality, d.QUESTIONS, d.DOMAIN, code, person)
        if outcome == Question.Outcome.NO_SUPPLY:
            add(desk, municipality, d.UNMET_QUESTIONS, d.TOTAL, "", person)
            add(desk, municipality, d.UNMET_QUESTIONS, d.REASON, unmet_reason, person)
            for code in codes:
                add(desk, municipality, d.UNMET_QUESTIONS, d.DOMAIN, code, person)

    # Lead times of questions closed this month: from the contact to the closing.
    rows = (
        Question.objects.filter(closed_at__gte=start, closed_at__lt=end)
        .order_by()
        .values_list(
            "contact_id", "contact__desk_id", "contact__resident_id", "contact__resident__municipality_id",
            "contact__location__municipality_id", "contact__started_at", "closed_at",
        )
    )  # fmt: skip
    for contact_id, desk, resident, resident_muni, location_muni, started, closed in rows.iterator(
        chunk_size=CHUNK
    ):
        municipality = counted.municipality(desk, resident_muni, location_muni)
        counted.lead_time(
            desk, municipality, d.LEAD_QUESTION, _days(started, closed), resident or -contact_id
        )

    _count_referrals(counted, start, end)
    _count_unmet_needs(counted, start, end)
    _count_wmo(counted, today)
    return counted


REFERRAL_FIELDS = (
    "referring_desk_id", "resident_id", "resident__municipality_id", "question__contact_id",
    "question__contact__location__municipality_id",
)  # fmt: skip


def _referral_person(counted: _Month, desk, resident, resident_muni, contact_id, location_muni):
    return counted.municipality(desk, resident_muni, location_muni), resident or -contact_id


def _count_referrals(counted: _Month, start: datetime.datetime, end: datetime.datetime) -> None:
    add = counted.add
    # Referrals made this month, per partner: what became of them (so far).
    rows = (
        Referral.objects.filter(created_at__gte=start, created_at__lt=end)
        .order_by()
        .values_list(
            *REFERRAL_FIELDS, "organisation_id", "status", "accepted_at", "closed_at", "outcome",
            "due_accept", "due_complete",
        )
    )  # fmt: skip
    for (
        desk, resident, resident_muni, contact_id, location_muni, partner, status, accepted, closed, outcome,
        due_accept, due_complete,
    ) in rows.iterator(chunk_size=CHUNK):  # fmt: skip
        municipality, person = _referral_person(
            counted, desk, resident, resident_muni, contact_id, location_muni
        )
        measures = [d.REFERRALS]
        if accepted is not None:
            measures.append(d.REFERRALS_ACCEPTED)
        elif status == S.REJECTED:
            measures.append(d.REFERRALS_REJECTED)
        if closed is not None and status in (*CLOSED_AFTER_WORK, S.REJECTED):
            if status == S.REJECTED:
                on_time = _local_date(closed) <= due_accept
            else:
                on_time = (accepted is None or _local_date(accepted) <= due_accept) and (
                    _local_date(closed) <= due_complete
                )
            measures.append(d.REFERRALS_ON_TIME if on_time else d.REFERRALS_LATE)
        if status != S.CANCELLED:
            feedback = closed is not None and bool(outcome.strip())
            measures.append(d.REFERRALS_FEEDBACK if feedback else d.REFERRALS_NO_FEEDBACK)
        for measure in measures:
            add(desk, municipality, measure, d.TOTAL, "", person)
            add(desk, municipality, measure, d.PARTNER, partner, person)

    # Lead times: made → accepted (accepted this month); accepted → closed and made → closed
    # (closed this month, after being worked on).
    rows = (
        Referral.objects.filter(accepted_at__gte=start, accepted_at__lt=end)
        .order_by()
        .values_list(*REFERRAL_FIELDS, "created_at", "accepted_at")
    )
    for desk, resident, resident_muni, contact_id, location_muni, created, accepted in rows.iterator(
        chunk_size=CHUNK
    ):
        municipality, person = _referral_person(
            counted, desk, resident, resident_muni, contact_id, location_muni
        )
        counted.lead_time(desk, municipality, d.LEAD_REFERRAL_ACCEPT, _days(created, accepted), person)
    rows = (
        Referral.objects.filter(
            closed_at__gte=start, closed_at__lt=end, accepted_at__isnull=False, status__in=CLOSED_AFTER_WORK
        )
        .order_by()
        .values_list(*REFERRAL_FIELDS, "created_at", "accepted_at", "closed_at")
    )
    for desk, resident, resident_muni, contact_id, location_muni, created, accepted, closed in rows.iterator(
        chunk_size=CHUNK
    ):
        municipality, person = _referral_person(
            counted, desk, resident, resident_muni, contact_id, location_muni
        )
        counted.lead_time(desk, municipality, d.LEAD_REFERRAL_COMPLETE, _days(accepted, closed), person)
        counted.lead_time(desk, municipality, d.LEAD_REFERRAL_TOTAL, _days(created, closed), person)


def _count_unmet_needs(counted: _Month, start: datetime.datetime, end: datetime.datetime) -> None:
    """Needs a partner could not meet (referrals.UnmetNeed), by the month they were recorded."""
    rows = list(
        UnmetNeed.objects.filter(recorded_at__gte=start, recorded_at__lt=end)
        .order_by()
        .values_list(
            "question_id", "reason", "referral__referring_desk_id", "referral__resident_id",
            "referral__resident__municipality_id", "question__contact_id",
            "question__contact__location__municipality_id",
        )
    )  # fmt: skip
    if not rows:
        return
    domains = _domains({"question_id__in": sorted({row[0] for row in rows})})
    for question_id, reason, desk, resident, resident_muni, contact_id, location_muni in rows:
        municipality, person = _referral_person(
            counted, desk, resident, resident_muni, contact_id, location_muni
        )
        counted.add(desk, municipality, d.UNMET_REFERRALS, d.TOTAL, "", person)
        counted.add(desk, municipality, d.UNMET_REFERRALS, d.REASON, reason, person)
        for code in domains.get(question_id) or [d.UNKNOWN]:
            counted.add(desk, municipality, d.UNMET_REFERRALS, d.DOMAIN, code, person)


def _count_wmo(counted: _Month, today: datetime.date) -> None:
    """Wmo reports, as ``wmo.selectors.wmo_figures`` defines them: made this month, and
    investigations assessed this month: completed (in time when on or before their deadline),
    or still running past a deadline that fell this month before ``today`` (late)."""
    first = counted.month
    last = add_months(first, 1) - datetime.timedelta(days=1)
    reports = WmoReport.objects.order_by()
    who = ("desk_id", "resident_id", "resident__municipality_id")

    def add(queryset, measure_of) -> None:
        for desk, resident, resident_muni, *dates in queryset.iterator(chunk_size=CHUNK):
            municipality = counted.municipality(desk, resident_muni)
            counted.add(desk, municipality, measure_of(*dates), d.TOTAL, "", resident)

    add(reports.filter(reported_on__range=(first, last)).values_list(*who), lambda: d.WMO_REPORTS)
    completed = reports.filter(investigation_completed_on__range=(first, last)).values_list(
        *who, "investigation_completed_on", "due_investigation"
    )
    add(completed, lambda done, due: d.WMO_IN_TIME if done <= due else d.WMO_LATE)
    late = reports.filter(running_late(today), due_investigation__range=(first, last))
    add(late.values_list(*who), lambda: d.WMO_LATE)


# --- which months -----------------------------------------------------------------------------


def _months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def _first_month_with_data() -> datetime.date | None:
    first = [
        Contact.objects.aggregate(first=Min("started_at"))["first"],
        Referral.objects.aggregate(first=Min("created_at"))["first"],
    ]
    found = [_local_date(moment) for moment in first if moment is not None]
    reported = WmoReport.objects.aggregate(first=Min("reported_on"))["first"]
    found += [reported] if reported is not None else []
    return month_start(min(found)) if found else None


def _changed_months(since: datetime.datetime) -> set[datetime.date]:
    """Months whose figures may have changed since ``since``: where the changed records count."""
    sources: list[tuple[Iterable, str]] = [
        (Contact.objects.filter(updated_at__gte=since), "started_at"),
        (Question.objects.filter(updated_at__gte=since), "contact__started_at"),
        (Question.objects.filter(updated_at__gte=since, closed_at__isnull=False), "closed_at"),
        (Referral.objects.filter(updated_at__gte=since), "created_at"),
        (Referral.objects.filter(updated_at__gte=since, accepted_at__isnull=False), "accepted_at"),
        (Referral.objects.filter(updated_at__gte=since, closed_at__isnull=False), "closed_at"),
        (UnmetNeed.objects.filter(recorded_at__gte=since), "recorded_at"),
    ]
    if apps.is_installed("schakelpunt.signalling"):
        # The quality scan counts unmet needs shown by a signal: a link, or a signal that
        # changed status, changes the months of its questions and needs.
        from schakelpunt.signalling.models import SignalQuestion, SignalUnmetNeed

        changed = Q(linked_at__gte=since) | Q(signal__updated_at__gte=since)
        sources += [
            (
                Question.objects.filter(signal_links__in=SignalQuestion.objects.filter(changed)),
                "contact__started_at",
            ),
            (
                UnmetNeed.objects.filter(signal_links__in=SignalUnmetNeed.objects.filter(changed)),
                "recorded_at",
            ),
        ]
    months = set()
    for queryset, field_name in sources:
        months.update(moment.date() for moment in queryset.order_by().datetimes(field_name, "month"))
    # A Wmo report counts in the months of its report, its completed investigation and its
    # deadline; a suspension moves the deadline later, so every month from the report to the
    # latest of those dates is counted again (the deadline's earlier month among them).
    changed = WmoReport.objects.filter(updated_at__gte=since).order_by()
    for reported, due, completed in changed.values_list(
        "reported_on", "due_investigation", "investigation_completed_on"
    ).iterator(chunk_size=CHUNK):
        months.update(_months_between(reported, max(reported, due, completed or reported)))
    return months


def months_to_refresh(*, since: datetime.date | None = None, today: datetime.date | None = None):
    today = today or timezone.localdate()
    current = month_start(today)
    if since is not None:
        return _months_between(since, current)
    last_run = RefreshRun.objects.filter(finished_at__isnull=False).order_by("-started_at").first()
    if last_run is None:
        first = _first_month_with_data()
        return _months_between(first, current) if first else [current]
    months = {current, add_months(current, -1)} | _changed_months(last_run.started_at)
    return sorted(month for month in months if month <= current)


# --- the quality scan and the reach analysis --------------------------------------------------


def _summarise(kind: str, period: tuple[datetime.date, datetime.date], model, rows: list, **where) -> None:
    """Replace the rows of one period (``where``) and mark it counted, in one transaction."""
    with transaction.atomic():
        model.objects.filter(**where).delete()
        model.objects.bulk_create(rows, batch_size=2000)
        SummarisedPeriod.objects.update_or_create(
            kind=kind, first=period[0], last=period[1], defaults={"refreshed_at": timezone.now()}
        )


def reach_periods(months: list[datetime.date], today: datetime.date | None = None) -> list[Period]:
    """The reach periods to count again when ``months`` changed: the calendar years they fall
    in, and the default period of the page (the last twelve months), which moves every month."""
    years = sorted({month.year for month in months})
    periods = [Period(datetime.date(year, 1, 1), datetime.date(year, 12, 1)) for year in years]
    window = Period.last_12_months(today)
    return [*periods, *([window] if window not in periods else [])]


def _refresh_quality_and_reach(
    months, single_municipality, *, today=None, log=None, empty_before=None
) -> int:
    """The quarters of the quality scan and the periods of the reach analysis that the
    refreshed ``months`` fall in (docs/subsystems/insights.md). ``empty_before``: the first
    month with data, on the first run; the quarters the quality page offers before it have no
    figures, and are marked counted so that the page need not look."""
    from schakelpunt.insights.quality import EMPTY_QUARTERS_MARKED, Quarter, quality_quarter_rows
    from schakelpunt.insights.reach import reach_rows

    written = 0
    if empty_before is not None:
        quarter = Quarter.of(today or timezone.localdate())
        for _step in range(EMPTY_QUARTERS_MARKED):
            quarter = quarter.previous()
            if quarter.period.last < empty_before and quarter.period.first not in months:
                _summarise(Kind.QUALITY, (quarter.period.first, quarter.period.last), QuarterFigure, [],
                           quarter=quarter.period.first)  # fmt: skip
    for quarter in sorted({Quarter.of(month) for month in months}):
        began = time.monotonic()
        rows = quality_quarter_rows(quarter, single_municipality)
        first = quarter.period.first
        _summarise(Kind.QUALITY, (first, quarter.period.last), QuarterFigure, rows, quarter=first)
        written += len(rows)
        if log:
            log(f"{quarter.label}: {len(rows)} regels kwaliteitsscan ({time.monotonic() - began:.1f} s)")
    periods = reach_periods(months, today)
    for period in periods:
        began = time.monotonic()
        rows = reach_rows(period)
        _summarise(
            Kind.REACH, (period.first, period.last), ReachFigure, rows, first=period.first, last=period.last
        )
        written += len(rows)
        if log:
            seconds = time.monotonic() - began
            log(f"bereik {period.first:%Y-%m} – {period.last:%Y-%m}: {len(rows)} regels ({seconds:.1f} s)")
    # A default period of an earlier month is not read any more.
    stale = SummarisedPeriod.objects.filter(kind=Kind.REACH).exclude(first__month=1, last__month=12)
    for first, last in stale.exclude(first=periods[-1].first, last=periods[-1].last).values_list(
        "first", "last"
    ):
        with transaction.atomic():
            ReachFigure.objects.filter(first=first, last=last).delete()
            SummarisedPeriod.objects.filter(kind=Kind.REACH, first=first, last=last).delete()
    return written


# --- the service ------------------------------------------------------------------------------


def summaries_refresh(
    *, since: datetime.date | None = None, today: datetime.date | None = None, log=None
) -> dict[str, int]:
    """Rebuild the summary tables for the months that need it (see the module docstring).

    Returns the number of months and rows written. Each month is replaced in its own
    transaction; the run is recorded in ``RefreshRun`` when it is done.
    """
    started_at = timezone.now()
    today = today or timezone.localdate()
    first_run = since is None and not RefreshRun.objects.filter(finished_at__isnull=False).exists()
    months = months_to_refresh(since=since, today=today)
    single_municipality = _single_municipality()
    written = 0
    for month in months:
        began = time.monotonic()
        counts, buckets = _count_month(month, single_municipality, today).rows()
        with transaction.atomic():
            MonthlyCount.objects.filter(month=month).delete()
            LeadTimeCount.objects.filter(month=month).delete()
            MonthlyCount.objects.bulk_create(counts, batch_size=2000)
            LeadTimeCount.objects.bulk_create(buckets, batch_size=2000)
        written += len(counts) + len(buckets)
        if log:
            log(f"{month:%Y-%m}: {len(counts) + len(buckets)} regels ({time.monotonic() - began:.1f} s)")
    written += _refresh_quality_and_reach(
        months, single_municipality, today=today, log=log, empty_before=months[0] if first_run else None
    )
    RefreshRun.objects.create(
        started_at=started_at,
        finished_at=timezone.now(),
        first_month=months[0] if months else None,
        months=[f"{month:%Y-%m}" for month in months],
        rows=written,
    )
    return {"months": len(months), "rows": written}
