"""The period a dashboard covers: whole calendar months, from one month to another."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of ``month`` and of the month after it, in the local time zone."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(month, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(add_months(month, 1), datetime.time.min, tzinfo=tz)
    return start, end


def parse_month(text: str) -> datetime.date:
    """``"2025-03"`` → 1 March 2025; ValueError otherwise."""
    year, _sep, month = text.strip().partition("-")
    if not (len(year) == 4 and year.isdigit() and month.isdigit() and len(month) in (1, 2)):
        raise ValueError(text)
    return datetime.date(int(year), int(month), 1)


@dataclass(frozen=True)
class Period:
    """From the month of ``first`` up to and including the month of ``last`` (first days)."""

    first: datetime.date
    last: datetime.date

    def __post_init__(self) -> None:
        if self.first.day != 1 or self.last.day != 1:
            raise ValueError("A period runs from the first day of a month to the first day of a month.")
        if self.last < self.first:
            raise ValueError("A period cannot end before it starts.")

    @classmethod
    def months_up_to(cls, last: datetime.date, count: int = 12) -> Period:
        last = month_start(last)
        return cls(add_months(last, -(count - 1)), last)

    @classmethod
    def last_12_months(cls, today: datetime.date | None = None) -> Period:
        """The default: the current month and the eleven before it."""
        return cls.months_up_to(today or timezone.localdate(), 12)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 1))

    @property
    def months(self) -> list[datetime.date]:
        result, month = [], self.first
        while month <= self.last:
            result.append(month)
            month = add_months(month, 1)
        return result

    @property
    def start(self) -> datetime.datetime:
        return month_bounds(self.first)[0]

    @property
    def end(self) -> datetime.datetime:
        """The first moment after the period."""
        return month_bounds(self.last)[1]

    @property
    def label(self) -> str:
        if self.first == self.last:
            return date_format(self.first, "F Y")
        return f"{date_format(self.first, 'F Y')} – {date_format(self.last, 'F Y')}"

    @property
    def slug(self) -> str:
        """For file names: ``2025-03_2026-02``."""
        return f"{self.first:%Y-%m}_{self.last:%Y-%m}"
