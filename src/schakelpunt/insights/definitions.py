"""What is counted, and how: age bands, lead-time buckets and the names of the measures.

The definitions of every figure are in docs/subsystems/insights.md; keep both in step.
"""

from __future__ import annotations

import datetime
import math

from django.utils.translation import gettext_lazy as _

# Age at the date of the contact, in the bands the CBS uses for care and welfare figures.
# (code, lowest age, highest age or None, label). The reach analysis uses the same codes.
AGE_BANDS = [
    ("0-17", 0, 17, _("0–17 jaar")),
    ("18-26", 18, 26, _("18–26 jaar")),
    ("27-44", 27, 44, _("27–44 jaar")),
    ("45-64", 45, 64, _("45–64 jaar")),
    ("65-74", 65, 74, _("65–74 jaar")),
    ("75-84", 75, 84, _("75–84 jaar")),
    ("85+", 85, None, _("85 jaar en ouder")),
]
UNKNOWN = ""  # the value of a dimension that is not known (anonymous, no district, ...)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def attributed_municipality(single: dict[int, int], desk_id: int, *candidates: int | None) -> int | None:
    """The municipality a figure counts for: the first of ``candidates`` (the resident's, then
    the location's), else the desk's when it serves one municipality (``single``: desk id ->
    municipality id of such desks)."""
    for candidate in candidates:
        if candidate:
            return candidate
    return single.get(desk_id)


def age_band(birth_date: datetime.date | None, day: datetime.date) -> str:
    if birth_date is None or birth_date > day:
        return UNKNOWN
    age = age_on(birth_date, day)
    for code, low, high, _label in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return code
    return UNKNOWN


# Lead times in whole calendar days, counted into buckets named by their highest day: every
# day up to two weeks, then wider. A percentile is the bucket where the running count reaches
# it, so it is exact up to 14 days and rounded up to the bucket's end beyond.
EXACT_DAYS = 14
WIDE_BUCKETS = [21, 28, 42, 56, 91, 182, 365]
OVER_A_YEAR = 366  # the bucket for everything longer than 365 days
BUCKETS = [*range(EXACT_DAYS + 1), *WIDE_BUCKETS, OVER_A_YEAR]


def bucket_for(days: int) -> int:
    days = max(0, days)
    for bucket in BUCKETS:
        if days <= bucket:
            return bucket
    return OVER_A_YEAR


def bucket_label(bucket: int) -> str:
    if bucket <= EXACT_DAYS:
        return str(bucket)
    if bucket >= OVER_A_YEAR:
        return "> 365"
    previous = BUCKETS[BUCKETS.index(bucket) - 1]
    return f"{previous + 1}–{bucket}"


def percentile(histogram: dict[int, int], fraction: float) -> int | None:
    """The nearest-rank percentile of a histogram {bucket: count}: the smallest bucket where
    the running count reaches ``ceil(fraction × total)``. None when it is empty."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = max(1, math.ceil(fraction * total))
    running = 0
    for bucket in sorted(histogram):
        running += histogram[bucket]
        if running >= rank:
            return bucket
    return max(histogram)  # pragma: no cover - the loop always reaches the rank


# --- measures ------------------------------------------------------------------------------
# (measure, dimension) pairs the refresh writes into MonthlyCount.

CONTACTS = "contacts"
QUESTIONS = "questions"
UNMET_QUESTIONS = "unmet_questions"  # questions closed as "no suitable supply"
UNMET_REFERRALS = "unmet_referrals"  # referrals.UnmetNeed: a partner could not help
REFERRALS = "referrals"  # referrals made
REFERRALS_ACCEPTED = "referrals_accepted"
REFERRALS_REJECTED = "referrals_rejected"
REFERRALS_ON_TIME = "referrals_on_time"
REFERRALS_LATE = "referrals_late"
REFERRALS_FEEDBACK = "referrals_feedback"
REFERRALS_NO_FEEDBACK = "referrals_no_feedback"
# Wmo reports (wmo.WmoReport), as wmo.selectors.wmo_figures defines them: made in the month, and
# investigations assessed in the month (completed, or still running past a deadline that fell
# in it), split into in time and late.
WMO_REPORTS = "wmo_reports"
WMO_IN_TIME = "wmo_in_time"
WMO_LATE = "wmo_late"

LEAD_QUESTION = "lead_question"  # question asked (contact) → question closed
LEAD_REFERRAL_ACCEPT = "lead_referral_accept"  # referral made → accepted
LEAD_REFERRAL_COMPLETE = "lead_referral_complete"  # referral accepted → closed
LEAD_REFERRAL_TOTAL = "lead_referral_total"  # referral made → closed
LEAD_MEASURES = [LEAD_QUESTION, LEAD_REFERRAL_ACCEPT, LEAD_REFERRAL_COMPLETE, LEAD_REFERRAL_TOTAL]

TOTAL = "total"
CHANNEL = "channel"
LOCATION = "location"
DOMAIN = "domain"
AGE_BAND = "age_band"
DISTRICT = "district"
OUTCOME = "outcome"
REASON = "reason"
PARTNER = "partner"

REFERRAL_MEASURES = [
    REFERRALS,
    REFERRALS_ACCEPTED,
    REFERRALS_REJECTED,
    REFERRALS_ON_TIME,
    REFERRALS_LATE,
    REFERRALS_FEEDBACK,
    REFERRALS_NO_FEEDBACK,
]
