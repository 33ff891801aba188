"""Opening hours of the social map: "open now", and schedules written out in Dutch.

A :class:`~schakelpunt.directory.models.Schedule` is HSDS's iCalendar-like recurrence with a
time window. The desk understands the forms the directory uses:

- weekly: ``freq=WEEKLY`` (or no frequency) with ``byday`` ("MO,TU,WE,TH,FR");
- monthly on days of the month: ``freq=MONTHLY`` with ``bymonthday`` ("1,15", "-1" for the
  last day);
- monthly on a weekday of the month: ``freq=MONTHLY`` with ``byday`` ("1MO" for the first
  Monday, "-1FR" for the last Friday);

each between ``opens_at`` and ``closes_at``, from ``valid_from``/``dtstart`` up to
``valid_to``/``until``. An ``interval`` above 1 ("every other week") and ``count`` are not
evaluated: such a schedule counts as open on each of its days. Times are wall-clock times in
the Netherlands (``settings.TIME_ZONE``, Europe/Amsterdam).

Which schedules count for a service: its own (on the service or on one of its
service-at-locations); only a service without any of those borrows the hours of its
locations. See docs/subsystems/directory-search.md.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable

from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Concat, Replace, Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from schakelpunt.directory.models import Schedule, ServiceAtLocation

DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _day_names() -> dict[str, str]:
    return {
        "MO": _("ma"),
        "TU": _("di"),
        "WE": _("wo"),
        "TH": _("do"),
        "FR": _("vr"),
        "SA": _("za"),
        "SU": _("zo"),
    }


def _long_day_names() -> dict[str, str]:
    return {
        "MO": _("maandag"),
        "TU": _("dinsdag"),
        "WE": _("woensdag"),
        "TH": _("donderdag"),
        "FR": _("vrijdag"),
        "SA": _("zaterdag"),
        "SU": _("zondag"),
    }


def _tokens(value: str) -> list[str]:
    return [token.strip().upper() for token in value.split(",") if token.strip()]


def day_tokens(day: datetime.date) -> tuple[list[str], list[str]]:
    """The ``byday`` and ``bymonthday`` tokens that match ``day``.

    ``byday``: "MO" and the ordinal forms "2MO", "-3MO"; ``bymonthday``: "9" and "-23".
    """
    code = DAY_CODES[day.weekday()]
    last = calendar.monthrange(day.year, day.month)[1]
    nth = (day.day - 1) // 7 + 1
    nth_from_end = (last - day.day) // 7 + 1
    byday = [code, f"{nth}{code}", f"+{nth}{code}", f"-{nth_from_end}{code}"]
    bymonthday = [str(day.day), f"-{last - day.day + 1}"]
    return byday, bymonthday


def _wrapped(field: str):
    """``,MO,TU,`` from ``MO, TU``: a token matches as ``,MO,`` without false hits."""
    return Concat(
        Value(","),
        Replace(Upper(field), Value(" "), Value("")),
        Value(","),
        output_field=CharField(),
    )


def schedules_open_at(moment: datetime.datetime | None = None) -> QuerySet[Schedule]:
    """The schedules whose window contains ``moment`` (default: now, Dutch time)."""
    local = timezone.localtime(moment) if moment is not None else timezone.localtime()
    today = local.date()
    now = local.time().replace(microsecond=0)
    byday, bymonthday = day_tokens(today)
    weekly_days = Q()
    for token in byday[:1]:
        weekly_days |= Q(_byday__contains=f",{token},")
    monthly_days = Q()
    for token in byday[1:]:
        monthly_days |= Q(_byday__contains=f",{token},")
    for token in bymonthday:
        monthly_days |= Q(_bymonthday__contains=f",{token},")
    return (
        Schedule.objects.alias(_byday=_wrapped("byday"), _bymonthday=_wrapped("bymonthday"))
        .filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=today),
            Q(valid_to__isnull=True) | Q(valid_to__gte=today),
            Q(dtstart__isnull=True) | Q(dtstart__lte=today),
            Q(until__isnull=True) | Q(until__gte=today),
            opens_at__lte=now,
            closes_at__gt=now,
        )
        .filter(
            (Q(freq__in=[Schedule.Freq.WEEKLY, ""]) & weekly_days)
            | (Q(freq=Schedule.Freq.MONTHLY) & monthly_days)
        )
    )


def open_now_filter(moment: datetime.datetime | None = None) -> Q:
    """A filter on services: open at ``moment`` by the schedules that count for them."""
    open_schedules = schedules_open_at(moment)
    own_open = Q(pk__in=open_schedules.filter(service__isnull=False).values("service_id")) | Q(
        pk__in=ServiceAtLocation.objects.filter(
            pk__in=open_schedules.filter(service_at_location__isnull=False).values("service_at_location_id")
        ).values("service_id")
    )
    has_own = Q(pk__in=Schedule.objects.filter(service__isnull=False).values("service_id")) | Q(
        pk__in=ServiceAtLocation.objects.filter(schedules__isnull=False).values("service_id")
    )
    location_open = Q(
        pk__in=ServiceAtLocation.objects.filter(
            location_id__in=open_schedules.filter(location__isnull=False).values("location_id")
        ).values("service_id")
    )
    return own_open | (~has_own & location_open)


def is_open_at(schedule: Schedule, moment: datetime.datetime | None = None) -> bool:
    """The same rule as :func:`schedules_open_at`, for one schedule already in memory."""
    local = timezone.localtime(moment) if moment is not None else timezone.localtime()
    today, now = local.date(), local.time()
    if not (schedule.opens_at and schedule.closes_at and schedule.opens_at <= now < schedule.closes_at):
        return False
    for start in (schedule.valid_from, schedule.dtstart):
        if start and start > today:
            return False
    for end in (schedule.valid_to, schedule.until):
        if end and end < today:
            return False
    byday, bymonthday = day_tokens(today)
    tokens = {token.replace(" ", "") for token in _tokens(schedule.byday)}
    if schedule.freq in (Schedule.Freq.WEEKLY, ""):
        return byday[0] in tokens
    if schedule.freq == Schedule.Freq.MONTHLY:
        return bool(tokens & set(byday[1:])) or bool(set(_tokens(schedule.bymonthday)) & set(bymonthday))
    return False


# --- Written out in Dutch -----------------------------------------------------------------------


def _days_label(codes: list[str]) -> str:
    """ "ma–vr" for a run of three or more days, "ma, wo, vr" otherwise."""
    names = _day_names()
    indexes = sorted({DAY_CODES.index(code) for code in codes if code in DAY_CODES})
    if not indexes:
        return ""
    runs: list[list[int]] = [[indexes[0]]]
    for index in indexes[1:]:
        if index == runs[-1][-1] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{names[DAY_CODES[run[0]]]}–{names[DAY_CODES[run[-1]]]}")
        else:
            parts.extend(names[DAY_CODES[index]] for index in run)
    return ", ".join(parts)


def _ordinal_label(token: str) -> str:
    """ "1MO" → "1e maandag", "-1FR" → "laatste vrijdag"."""
    code = token[-2:]
    number = token[:-2].lstrip("+")
    day = _long_day_names().get(code, code)
    if number == "-1":
        return _("laatste %(day)s") % {"day": day}
    if number.startswith("-"):
        return _("%(n)se %(day)s van achteren") % {"n": number[1:], "day": day}
    return _("%(n)se %(day)s") % {"n": number, "day": day}


def _month_days_label(tokens: list[str]) -> str:
    days = [_("laatste dag") if day == "-1" else day for day in tokens]
    return _("dag %(days)s van de maand") % {"days": ", ".join(days)}


def format_schedule(schedule: Schedule) -> str:
    """One schedule as the desk says it: "ma–vr 09:00–17:00", "1e maandag van de maand 10:00–12:00"."""
    window = ""
    if schedule.opens_at and schedule.closes_at:
        window = f"{schedule.opens_at:%H:%M}–{schedule.closes_at:%H:%M}"
    elif schedule.opens_at:
        window = _("vanaf %(time)s") % {"time": f"{schedule.opens_at:%H:%M}"}
    days = ""
    tokens = [token.replace(" ", "") for token in _tokens(schedule.byday)]
    if schedule.freq == Schedule.Freq.MONTHLY:
        if tokens:
            ordinals = [
                _ordinal_label(token) if token[:-2] else _long_day_names().get(token, token)
                for token in tokens
            ]
            days = _("%(days)s van de maand") % {"days": ", ".join(ordinals)}
        elif schedule.bymonthday:
            days = _month_days_label(_tokens(schedule.bymonthday))
    elif tokens:
        days = _days_label(tokens)
    text = " ".join(part for part in (days, window) if part)
    if not text:
        text = schedule.description
    elif schedule.description:
        text = f"{text} ({schedule.description})"
    return text


def format_validity(schedule: Schedule) -> str:
    """ "van 1-6-2025 tot en met 31-8-2025" for a schedule that holds for a period only."""
    start = schedule.valid_from or schedule.dtstart
    end = schedule.valid_to or schedule.until
    if start and end:
        return _("van %(start)s tot en met %(end)s") % {
            "start": f"{start:%-d-%-m-%Y}",
            "end": f"{end:%-d-%-m-%Y}",
        }
    if end:
        return _("tot en met %(end)s") % {"end": f"{end:%-d-%-m-%Y}"}
    if start and start > timezone.localdate():
        return _("vanaf %(start)s") % {"start": f"{start:%-d-%-m-%Y}"}
    return ""


def describe_schedules(schedules: Iterable[Schedule]) -> list[dict]:
    """Rows for a template: the text, the period it holds, and how one attends."""
    rows = []
    for schedule in schedules:
        rows.append(
            {
                "text": format_schedule(schedule),
                "validity": format_validity(schedule),
                "notes": schedule.notes,
                "attending": schedule.attending_type,
                "open_now": is_open_at(schedule),
            }
        )
    return rows
