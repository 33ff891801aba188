"""Deadlines in working days: weekends and Dutch public holidays do not count.

The calendar comes from the ``holidays`` package (its Dutch calendar, which includes Good
Friday and King's Day, and Liberation Day in the years it is a day off).
"""

import datetime
from functools import cache

import holidays
from django.utils import timezone

from schakelpunt.referrals.models import ReferralAgreement

# Agreements used when none is recorded for an organisation.
DAY_FIELDS = ("days_to_accept", "days_to_first_contact", "days_to_complete")
# Without an agreement the model's defaults apply (2, 5 and 30 working days).
DEFAULT_DAYS = {name: ReferralAgreement._meta.get_field(name).default for name in DAY_FIELDS}


@cache
def _calendar(year: int) -> holidays.HolidayBase:
    # Three years around the one asked, populated once and then only read.
    return holidays.NL(years=range(year - 1, year + 3))


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    if days <= 0:
        return start
    return _calendar(start.year).get_nth_working_day(start, days)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    if end <= start:
        return 0
    return _calendar(start.year).get_working_days_count(start + datetime.timedelta(days=1), end)


def _categories_of(service) -> set:
    """The service's terms with all their parents."""
    from schakelpunt.directory.models import TaxonomyTerm

    parent_of = dict(TaxonomyTerm.objects.values_list("id", "parent_id"))
    found = set()
    for term_id in service.service_terms.values_list("taxonomy_term_id", flat=True):
        while term_id is not None and term_id not in found:
            found.add(term_id)
            term_id = parent_of.get(term_id)
    return found


def agreement_for(*, organisation, service=None, on: datetime.date | None = None) -> ReferralAgreement | None:
    """The agreement that applies on a date: the newest valid one for the service's category
    (or a parent category), else the organisation's general one, else none."""
    on = on or timezone.localdate()
    agreements = list(
        ReferralAgreement.objects.filter(organisation=organisation, valid_from__lte=on).order_by(
            "-valid_from"
        )
    )
    if service is not None and any(agreement.category_id for agreement in agreements):
        categories = _categories_of(service)
        for agreement in agreements:
            if agreement.category_id in categories:
                return agreement
    return next((agreement for agreement in agreements if not agreement.category_id), None)


def due_dates(*, start: datetime.date, agreement: ReferralAgreement | None) -> dict[str, datetime.date]:
    days = {name: getattr(agreement, name) for name in DAY_FIELDS} if agreement is not None else DEFAULT_DAYS
    return {
        "due_accept": add_working_days(start, days["days_to_accept"]),
        "due_first_contact": add_working_days(start, days["days_to_first_contact"]),
        "due_complete": add_working_days(start, days["days_to_complete"]),
    }
