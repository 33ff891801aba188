"""The statutory deadlines of a Wmo report, each rule with its source.

Deadlines are counted in **calendar days**, as the law counts them, from the day after the event
(Awb: a period "na" an event starts the following day), and then moved by the Algemene
termijnenwet when they end on a weekend or a public holiday. A suspension moves the deadline by
its length in calendar days.

Sources (wetten.overheid.nl):

- Wmo 2015 art. 2.3.2 lid 1: the investigation is done "zo spoedig mogelijk, doch uiterlijk
  binnen zes weken" after the report (melding).
- Wmo 2015 art. 2.3.2 lid 2: the resident may hand in a personal plan, and gets seven days after
  the report to do so.
- Wmo 2015 art. 2.3.2 lid 3: before the investigation the resident and their informal carer are
  told about free client support (checked when the report is made, not a deadline).
- Wmo 2015 art. 2.3.5 lid 2: the resident may apply after the investigation, or when it was not
  completed within the six weeks.
- Wmo 2015 art. 2.3.5 lid 3: the decision (beschikking) follows within two weeks after the
  application is received.
- Awb art. 4:15 lid 1 sub a: the decision period is suspended from the day after the
  municipality asks the applicant to complete the application until the day it is completed.
  The investigation period has no statutory suspension; it is suspended only with the resident's
  consent (for instance when they ask to postpone the conversation), which is recorded with a
  reason.
- Algemene termijnenwet art. 1 lid 1: a statutory period that ends on a Saturday, a Sunday or a
  generally recognised public holiday is extended to the next day that is none of these.
- Algemene termijnenwet art. 3 lid 1 and 2: the public holidays are New Year's Day, Easter
  Monday, Ascension Day, Whit Monday, Christmas Day and Boxing Day, King's Day, 5 May (every
  year, unlike many collective agreements) and, by lid 2, Good Friday. Easter Sunday and Whit
  Sunday are Sundays. Days equated by royal decree under lid 3 (published every few years, such
  as the Friday after Ascension Day) come from the setting ``ATW_EQUATED_DAYS``.
"""

import datetime
from functools import cache

import holidays
from django.conf import settings

PERSONAL_PLAN_DAYS = 7  # Wmo 2015 art. 2.3.2 lid 2
INVESTIGATION_DAYS = 6 * 7  # Wmo 2015 art. 2.3.2 lid 1: six weeks
DECISION_DAYS = 2 * 7  # Wmo 2015 art. 2.3.5 lid 3: two weeks


@cache
def _public_holidays(year: int) -> frozenset[datetime.date]:
    """The Algemene termijnenwet's public holidays of one year (art. 3 lid 1 and 2)."""
    days = set(holidays.NL(years=year).keys())  # includes Good Friday and King's Day
    days.add(datetime.date(year, 5, 5))  # art. 3 lid 1: "de vijfde mei", every year
    return frozenset(days)


def _equated_days() -> frozenset[datetime.date]:
    """Days equated with public holidays by royal decree (art. 3 lid 3), from the settings."""
    return frozenset(datetime.date.fromisoformat(day) for day in getattr(settings, "ATW_EQUATED_DAYS", ()))


def is_closed_day(day: datetime.date) -> bool:
    """A Saturday, a Sunday, or a public holiday in the sense of the Algemene termijnenwet."""
    return day.weekday() >= 5 or day in _public_holidays(day.year) or day in _equated_days()


def extend_to_open_day(day: datetime.date) -> datetime.date:
    """Algemene termijnenwet art. 1 lid 1: a period ending on a closed day runs until the next
    day that is not one."""
    while is_closed_day(day):
        day += datetime.timedelta(days=1)
    return day


def statutory_deadline(start: datetime.date, days: int, *, suspended_days: int = 0) -> datetime.date:
    """The last day of a period of ``days`` calendar days after ``start``, moved by
    ``suspended_days`` of suspension, and extended when it ends on a closed day."""
    return extend_to_open_day(start + datetime.timedelta(days=days + suspended_days))


def personal_plan_deadline(reported_on: datetime.date) -> datetime.date:
    return statutory_deadline(reported_on, PERSONAL_PLAN_DAYS)


def investigation_deadline(reported_on: datetime.date, *, suspended_days: int = 0) -> datetime.date:
    return statutory_deadline(reported_on, INVESTIGATION_DAYS, suspended_days=suspended_days)


def decision_deadline(application_received_on: datetime.date, *, suspended_days: int = 0) -> datetime.date:
    return statutory_deadline(application_received_on, DECISION_DAYS, suspended_days=suspended_days)
