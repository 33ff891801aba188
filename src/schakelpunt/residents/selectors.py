"""Reads of residents: search for intake, and single residents through the access rules."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from stdnum.nl import bsn as stdnum_bsn

from schakelpunt.core.access import get_visible_or_404
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


def resident_search(*, viewer, query: ResidentQuery) -> list[Resident]:
    """At most SEARCH_LIMIT visible residents matching every part of the query."""
    if query.is_empty:
        return []
    residents: QuerySet[Resident] = Resident.objects.visible_to(viewer)
    if query.bsn:
        if not viewer.has_perm("residents.can_view_bsn"):
            return []  # who may not see a BSN may not search by one either
        residents = residents.filter(bsn=query.bsn)
    if query.birth_date:
        residents = residents.filter(birth_date=query.birth_date)
    if query.postcode:
        residents = residents.filter(postcode=query.postcode)
        if query.house_number is not None:
            residents = residents.filter(house_number=query.house_number)
    for name in query.names:
        residents = residents.filter(
            Q(surname__istartswith=name)
            | Q(given_names__istartswith=name)
            | Q(surname__icontains=f" {name}")
            | Q(surname_prefix__iexact=name)
        )
    return list(
        residents.select_related("municipality", "district").order_by("surname", "given_names", "birth_date")[
            :SEARCH_LIMIT
        ]
    )


def resident_get(*, viewer, pk: int) -> Resident:
    return get_visible_or_404(
        Resident.objects.select_related("municipality", "district", "registered_desk"),
        viewer,
        pk=pk,
    )
