"""The bulk writes of the register's batches: what goes in comes back out, whatever it holds.

On PostgreSQL the rows go as array literals made by ``bulk`` itself, so every kind of text must
survive the quoting; elsewhere plain statements and Django's bulk_create are used."""

import datetime

import pytest
from django.utils import timezone

from schakelpunt.contrib.brp import bulk
from schakelpunt.contrib.brp.models import RegisterChange, RegisterLink
from schakelpunt.residents.models import AddressHistory, Resident

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 30, 15, 123456))
TEXTS = [
    "",
    "Boterdiep",
    'Aan de "Dijk"',
    "back\\slash",
    "\\",
    '\\"',
    "NULL",
    "null",
    "{a,b}",
    "comma, and space ",
    " leading",
    "ümlaut 's-Gravenhage ĳ 😀",
    "[1]",
]
WITH_CONTROL = [*TEXTS[:-1], "regel\neen\ttab"]


def test_texts_dates_and_json_come_back_as_they_went_in(resident_for):
    resident = resident_for()
    rows = [
        {
            "resident_id": resident.pk,
            "street": text,
            "house_number": None if i % 3 == 0 else i,
            "house_number_addition": text[:10],
            "postcode": "",
            "town": WITH_CONTROL[i],
            "municipality_id": None,
            "district_id": None,
            "valid_until": None if i % 2 else datetime.date(2026, 1, i + 1),
            "source": "import",
        }
        for i, text in enumerate(TEXTS)
    ]
    bulk.insert(AddressHistory, rows, now=NOW)
    stored = list(
        AddressHistory.objects.filter(resident=resident)
        .order_by("pk")
        .values_list("street", "house_number", "house_number_addition", "town", "valid_until")
    )
    assert stored == [
        (row["street"], row["house_number"], row["house_number_addition"], row["town"], row["valid_until"])
        for row in rows
    ]
    details = [
        {"text": text, "n": i, "none": None, "list": [text, 1.5, True]} for i, text in enumerate(TEXTS)
    ]
    bulk.insert(
        RegisterChange,
        [
            {
                "resident_id": resident.pk,
                "kind": RegisterChange.Kind.MOVED,
                "effective_on": None,
                "register_changed_at": NOW,
                "source": "import",
                "details": detail,
                "run_id": None,
            }
            for detail in details
        ],
        now=NOW,
    )
    same = {"text": 'the "same" for all'}  # a column with one value goes as that value, not an array
    bulk.insert(
        RegisterChange,
        [
            {"resident_id": resident.pk, "kind": "secrecy_set", "register_changed_at": NOW, "details": same},
            {"resident_id": resident.pk, "kind": "secrecy_set", "register_changed_at": NOW, "details": same},
        ],
        now=NOW,
    )
    changes = RegisterChange.objects.filter(resident=resident).order_by("pk")
    assert [change.details for change in changes] == [*details, same, same]
    assert {(change.kind, change.register_changed_at) for change in changes} == {
        ("moved", NOW),
        ("secrecy_set", NOW),
    }


def test_an_update_sets_each_row_its_own_values(resident_for):
    people = [resident_for(bsn=bsn, surname=f"Jansen{i}") for i, bsn in enumerate(["999990019", "999990032"])]
    for resident, text in zip(people, ['Dijk "7"', "a\\b\nc"], strict=True):
        resident.street, resident.is_secret, resident.municipality = text, True, None
    bulk.update(Resident, people, ["street", "is_secret", "municipality"])
    stored = Resident.objects.filter(pk__in=[p.pk for p in people]).order_by("pk")
    assert list(stored.values_list("street", "is_secret", "municipality")) == [
        ('Dijk "7"', True, None),
        ("a\\b\nc", True, None),
    ]


def test_links_are_added_or_updated_in_one_statement(resident_for):
    known, new = resident_for(), resident_for(bsn="999990019", surname="Jansen")
    RegisterLink.objects.create(resident=known, followed_bsn=known.bsn, following=True)
    later = NOW + datetime.timedelta(days=1)
    bulk.insert(
        RegisterLink,
        [
            {
                "resident_id": known.pk,
                "followed_bsn": "ignored",
                "last_change_at": later,
                "last_checked_at": later,
            },
            {"resident_id": new.pk, "followed_bsn": new.bsn, "last_change_at": NOW, "last_checked_at": NOW},
        ],
        now=NOW,
        on_conflict=("resident", ["last_change_at", "last_checked_at"]),
    )
    links = {link.resident_id: link for link in RegisterLink.objects.all()}
    assert (links[known.pk].followed_bsn, links[known.pk].following, links[known.pk].last_change_at) == (
        known.bsn,
        True,
        later,
    )
    assert (links[new.pk].followed_bsn, links[new.pk].following, links[new.pk].last_change_at) == (
        new.bsn,
        False,
        NOW,
    )
