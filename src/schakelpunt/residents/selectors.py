"""Reads of residents: search for intake, and single residents through the access rules."""

from __future__ import annotations

import datetime
import operator
import re
from dataclasses import dataclass
from functools import cache, reduce

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Upper
from stdnum.nl import bsn as stdnum_bsn

from schakelpunt.core.access import get_visible_or_404
from schakelpunt.organisations.models import Desk
from schakelpunt.residents.models import Resident

SEARCH_LIMIT = 20
DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
POSTCODE = re.compile(r"^([1-9]\d{3})\s?([A-Za-z]{2})$")
NUMBER = re.compile(r"^(\d{1,5})([A-Za-z]{0,4})$")


@dataclass(frozen=True)
class ResidentQuery:
    """What an employee typed, understood: BSN, birth date, postcode + number, name parts."""

    bsn: str = ""
    birth_date: datetime.date | None = None
    postcode: str = ""
    house_number: int | None = None
    names: tuple[str, ...] = ()
    invalid_date: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.bsn or self.birth_date or self.postcode or self.names)


def parse_query(text: str) -> ResidentQuery:
    tokens = text.replace(",", " ").split()
    bsn = ""
    birth_date = None
    postcode = ""
    house_number = None
    names: list[str] = []
    invalid_date = False
    index = 0
    while index < len(tokens):
        token = tokens[index]
        joined = " ".join(tokens[index : index + 2])
        if token.isdigit() and len(token) in (8, 9) and stdnum_bsn.is_valid(token):
            bsn = stdnum_bsn.compact(token)
        elif match := DATE.match(token):
            day, month, year = (int(part) for part in match.groups())
            try:
                birth_date = datetime.date(year, month, day)
            except ValueError:
                invalid_date = True
        elif (match := POSTCODE.match(joined)) and " " in joined:
            postcode = f"{match.group(1)} {match.group(2).upper()}"
            index += 1
        elif match := POSTCODE.match(token):
            postcode = f"{match.group(1)} {match.group(2).upper()}"
        elif postcode and house_number is None and (match := NUMBER.match(token)):
            house_number = int(match.group(1))
        elif len(token) >= 2 and not token.isdigit():
            names.append(token)
        index += 1
    return ResidentQuery(bsn, birth_date, postcode, house_number, tuple(names), invalid_date)


class NameOrder(Upper):
    """``UPPER(column)`` compared byte by byte: the order of the index ``resident_search_name``.

    On PostgreSQL that takes ``COLLATE "C"``. Under the C collation one btree index serves both
    the prefix search (``LIKE 'NIJH%'`` becomes a range of the index, under any database
    collation) and the name order, so the first page comes straight from the index. SQLite
    compares bytes already.
    """

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = self.as_sql(compiler, connection, **extra_context)
        return f'({sql} COLLATE "C")', params


# Surname, given names, birth date, and the id so that equal names keep one order.
NAME_ORDER = (NameOrder("surname"), NameOrder("given_names"), "birth_date", "pk")


def _visible(viewer) -> Q:
    """``Resident.objects.visible_to(viewer)`` as a condition on the resident's own columns.

    The same rule (residents of the municipalities the viewer's desks serve, or registered at
    those desks), written with subqueries instead of a join through the desks' municipalities:
    that join can repeat a resident, so ``visible_to`` needs DISTINCT, and DISTINCT makes the
    database collect and sort every match before it can return the first page.

    The subqueries are SQL text (names from the models, the user as a parameter), not
    querysets: the search repeats the condition in each of its four parts, and Django copying
    and compiling nested querysets took longer than the database needed for the whole search.
    ``test_search_visibility_is_the_rule_of_visible_to`` holds it to ``visible_to``.
    """
    desks, municipalities = _visibility_sql()
    # SQL text from the models' names only; the user goes in as a parameter.
    in_municipalities = RawSQL(municipalities, [viewer.pk])  # noqa: S611
    at_desks = RawSQL(desks, [viewer.pk])  # noqa: S611
    return Q(municipality__in=in_municipalities) | Q(registered_desk__in=at_desks)


@cache
def _visibility_sql() -> tuple[str, str]:
    """The subqueries of ``_visible``: a user's desks, and the municipalities those desks serve."""
    quote = connection.ops.quote_name
    user_desks = get_user_model().desks.through._meta
    desk_municipalities = Desk.municipalities.through._meta

    def column(meta, field: str) -> str:
        return quote(meta.get_field(field).column)

    desks = (
        f"SELECT {column(user_desks, 'desk')} FROM {quote(user_desks.db_table)} "  # noqa: S608
        f"WHERE {column(user_desks, 'user')} = %s"
    )
    municipalities = (
        f"SELECT {column(desk_municipalities, 'municipality')} "  # noqa: S608
        f"FROM {quote(desk_municipalities.db_table)} WHERE {column(desk_municipalities, 'desk')} IN ({desks})"
    )
    return desks, municipalities


def _name_matches(name: str) -> list[Q]:
    """The four ways a typed name part matches a resident; the search ORs them.

    Each has an index that gives its matches in name order (migration 0004), so that the first
    page of each is read and no more. Two carry a condition that follows from the other one and
    is there only to choose the index, which holds just the residents it applies to.
    """
    return [
        # The surname begins with it.
        Q(surname__istartswith=name),
        # The given names begin with it.
        Q(given_names__istartswith=name),
        # A later word of the surname begins with it ("ploeg" in "Van der Ploeg"): only
        # surnames with a space.
        Q(surname__contains=" ", surname__icontains=f" {name}"),
        # It is the prefix ("van", "ter"): only residents with a prefix.
        Q(surname_prefix__iexact=name) & ~Q(surname_prefix=""),
    ]


def resident_search(*, viewer, query: ResidentQuery) -> list[Resident]:
    """At most SEARCH_LIMIT visible residents matching every part of the query, in name order.

    A common surname matches thousands of residents in a city, of whom the page shows 20. So
    the search is built to read the 20, not all the matches: each way the most telling name part
    can match (surname, given names, a later word of the surname, the prefix) takes the first
    SEARCH_LIMIT ids in name order, with every other condition of the query, from an index in
    that order; the page is the first SEARCH_LIMIT of those, at most four times SEARCH_LIMIT
    rows. One query: the four parts are subqueries.
    """
    if query.is_empty:
        return []
    if not viewer.is_authenticated or not viewer.has_perm("residents.view_resident"):
        return []  # the rule of Resident.objects.visible_to
    if query.bsn and not viewer.has_perm("residents.can_view_bsn"):
        return []  # who may not see a BSN may not search by one either
    # Collected first and applied in one filter() call: every filter() copies the queryset.
    conditions = [_visible(viewer)]
    if query.bsn:
        conditions.append(Q(bsn=query.bsn))
    if query.birth_date:
        conditions.append(Q(birth_date=query.birth_date))
    if query.postcode:
        conditions.append(Q(postcode=query.postcode))
        if query.house_number is not None:
            conditions.append(Q(house_number=query.house_number))
    residents = Resident.objects.select_related("municipality", "district").order_by(*NAME_ORDER)
    if not query.names or len(conditions) > 1:
        # No names, or a BSN, birth date or postcode that leaves a handful of residents (each
        # has its index): the names are plain conditions.
        names = [reduce(operator.or_, _name_matches(name)) for name in query.names]
        return list(residents.filter(*conditions, *names)[:SEARCH_LIMIT])
    # Names only. The longest part leads (the last one of equal length: people type the surname
    # last), the others are conditions. Every resident found matches the leading part in at
    # least one of its four ways, so the first pages of the four ways together hold the page.
    names = list(query.names)
    leading = names.pop(max(range(len(names)), key=lambda index: (len(names[index]), index)))
    conditions += [reduce(operator.or_, _name_matches(name)) for name in names]
    ids = Resident.objects.order_by(*NAME_ORDER).values("pk")
    pages = [ids.filter(*conditions, match)[:SEARCH_LIMIT] for match in _name_matches(leading)]
    if not connection.features.supports_slicing_ordering_in_compound:
        # SQLite allows no LIMIT inside a UNION, but does inside IN (...).
        pages = [Resident.objects.filter(pk__in=page).values("pk") for page in pages]
    # The ids are of visible residents only: each page has the visibility condition.
    return list(residents.filter(pk__in=pages[0].union(*pages[1:]))[:SEARCH_LIMIT])


def resident_get(*, viewer, pk: int) -> Resident:
    return get_visible_or_404(
        Resident.objects.select_related("municipality", "district", "registered_desk"),
        viewer,
        pk=pk,
    )
