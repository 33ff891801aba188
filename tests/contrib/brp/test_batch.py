"""Changes applied in batches: the same effects as one at a time, in a constant number of queries,
and a failing change in a batch changes nothing for its resident while the others still apply."""

import datetime
import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from stdnum.nl import bsn as stdnum_bsn

from schakelpunt.audit.models import AccessLog
from schakelpunt.contacts.models import FollowUp, Question, QuestionChange
from schakelpunt.contrib.brp import rules
from schakelpunt.contrib.brp.actor import register_actor
from schakelpunt.contrib.brp.mapping import BrpAddress
from schakelpunt.contrib.brp.models import RegisterChange, RegisterLink, SyncRun
from schakelpunt.contrib.brp.services import brp_sync, mutations_import
from schakelpunt.residents.models import AddressHistory, Resident
from tests.contacts.factories import ContactFactory, FollowUpFactory, QuestionFactory

pytestmark = pytest.mark.django_db

HEADER = "bsn;soort;datum;straat;huisnummer;toevoeging;postcode;woonplaats;gemeente\n"
NOW = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))


def bsns(count: int) -> list[str]:
    """Valid BSNs (eleven-test) from 990000000 on, not those of the official test persons."""
    numbers, n = [], 990_000_000
    while len(numbers) < count:
        n += 1
        if stdnum_bsn.is_valid(str(n)):
            numbers.append(str(n))
    return numbers


@pytest.fixture
def residents(resident_for):
    """``residents(n)``: n residents living at Goudsesingel, Rotterdam, each with an open question."""

    made: list[Resident] = []

    def make(count: int) -> list[Resident]:
        start = len(made)
        for i, number in enumerate(bsns(start + count)[start:]):
            resident = resident_for(
                bsn=number, surname=f"Jansen{i}", postcode="3011 KD", street="Goudsesingel"
            )
            QuestionFactory(contact=ContactFactory(resident=resident, desk=resident.registered_desk))
            made.append(resident)
        return made[start:]

    return make


def file_for(residents: list[Resident]) -> list[str]:
    """A move for two of every four residents, secrecy for the third, a death for the fourth."""
    lines = [HEADER]
    for i, resident in enumerate(residents):
        kind = ("verhuizing", "verhuizing", "geheimhouding_aan", "overlijden")[i % 4]
        if kind == "verhuizing":
            lines.append(f"{resident.bsn};verhuizing;2026-01-10;Boterdiep;{i + 1};;3077 AW;Rotterdam;0599\n")
        else:
            lines.append(f"{resident.bsn};{kind};2026-01-10;;;;;;\n")
    return lines


def test_a_batch_has_the_effects_of_each_rule(residents, region):
    people = residents(8)
    FollowUpFactory(question=Question.objects.get(resident=people[3]))
    result = mutations_import(lines=file_for(people))
    assert result.errors == []
    expected = {"lines": 8, "moved": 4, "secrecy_set": 2, "deceased": 2}
    assert {key: result.run.counts.get(key) for key in expected} == expected
    for i, resident in enumerate(people):
        resident.refresh_from_db()
        assert resident.version == 2  # raised once, so an employee's stale edit gets a conflict
        if i % 4 in (0, 1):
            assert (resident.street, resident.house_number, resident.district) == (
                "Boterdiep",
                i + 1,
                region["district"],
            )
            assert AddressHistory.objects.get(resident=resident).street == "Goudsesingel"
        elif i % 4 == 2:
            assert resident.is_secret
        else:
            assert resident.status == Resident.Status.DECEASED
            question = Question.objects.get(resident=resident)
            assert (question.status, question.outcome, question.version) == ("closed", "deceased", 2)
            assert QuestionChange.objects.get(question=question).changed_by.username == "brp-register"
            assert AccessLog.objects.filter(
                object_type="contacts.question",
                object_id=str(question.pk),
                on_behalf_of=f"residents.resident#{resident.pk}",
                username="brp-register",
            ).exists()
        assert RegisterChange.objects.filter(resident=resident, run=result.run).count() == 1
        assert AccessLog.objects.filter(
            object_type="residents.resident", object_id=str(resident.pk), purpose="brp_mutation"
        ).exists()
        assert RegisterLink.objects.get(resident=resident).last_change_at is not None
    assert FollowUp.objects.get(question__resident=people[3]).status == FollowUp.Status.CANCELLED
    assert RegisterChange.objects.get(resident=people[3]).details["follow_ups_cancelled"] == 1
    assert result.run.counts["questions_closed"] == 2 and result.run.counts["follow_ups_cancelled"] == 1


def test_a_batch_costs_the_same_number_of_queries_for_more_residents(residents):
    """25 queries for a file of one batch, whatever its size: the register's user (1); the run,
    made and closed (2); the residents by BSN: own, followed, former (3); the batch's savepoint
    (2); lock the residents and their links (2); the municipalities of the residents and the
    region (1); the open questions and planned follow-ups of those who died (2); the postcode
    table and its districts (2); who has open referrals (1) and open Wmo reports (1); the
    writes in bulk: residents, new links, questions, address history, register changes,
    question changes (6); the roles of the register's user and the access-log rows (2). Not a
    query per line."""
    register_actor()  # made on first use: not part of what is counted
    counts = []
    for people in (residents(4), residents(20)):
        with CaptureQueriesContext(connection) as queries:
            mutations_import(lines=file_for(people))
        counts.append(len(queries))
    assert counts == [25, 25]


def test_a_failing_line_changes_nothing_for_its_resident_and_the_others_still_apply(
    residents, monkeypatch, caplog
):
    people = residents(8)
    failing = people[2]  # its line sets secrecy: make that rule fail for this resident only
    original = rules.rule_secrecy

    def rule_secrecy(ctx, mutation):
        original(ctx, mutation)
        if ctx.resident.pk == failing.pk:
            raise rules.RuleConflict("kan niet")

    monkeypatch.setattr(rules, "rule_secrecy", rule_secrecy)
    with caplog.at_level(logging.WARNING):
        result = mutations_import(lines=file_for(people))
    assert result.errors == [(4, "kan niet")]  # line 4: the header is line 1
    assert result.run.status == SyncRun.Status.PARTIAL
    assert f"*****{failing.bsn[-4:]}" in caplog.text and failing.bsn not in caplog.text
    failing.refresh_from_db()
    assert (failing.is_secret, failing.version) == (False, 1)
    assert not RegisterChange.objects.filter(resident=failing).exists()
    assert not RegisterLink.objects.filter(resident=failing).exists()
    assert RegisterChange.objects.count() == 7
    assert Resident.objects.filter(status=Resident.Status.DECEASED).count() == 2


def test_two_changes_for_one_resident_in_one_file_apply_in_order(resident_for):
    """The second change of a resident goes into the next batch, which sees the first applied."""
    resident = resident_for(postcode="3011 KD", street="Goudsesingel")
    other = resident_for(bsn="999990019", surname="Jansen")
    lines = [
        HEADER,
        "999993653;verhuizing;2026-01-10;Boterdiep;31;;3077 AW;Rotterdam;0599\n",
        "999993653;geheimhouding_aan;2026-01-11;;;;;;\n",
        "999990019;geheimhouding_aan;2026-01-11;;;;;;\n",  # another resident, in the first batch
        "999993653;verhuizing;2026-01-09;Oude straat;1;;3011 KD;Rotterdam;0599\n",  # older: ignored
        "999993653;overlijden;2026-01-12;;;;;;\n",
        "999993653;verhuizing;2026-01-13;Nieuwe straat;2;;3077 AW;Rotterdam;0599\n",  # deceased: nothing
    ]
    result = mutations_import(lines=lines)
    resident.refresh_from_db()
    other.refresh_from_db()
    assert other.is_secret
    assert (resident.street, resident.is_secret, resident.status) == ("Boterdiep", True, "deceased")
    assert resident.version == 4
    assert result.run.counts["outdated"] == 1 and result.run.counts["unchanged"] == 1
    assert result.run.counts["secrecy_set"] == 2
    assert list(resident.register_changes.order_by("pk").values_list("kind", flat=True)) == [
        "moved",
        "secrecy_set",
        "deceased",
    ]


def test_apply_items_across_residents_is_idempotent(residents):
    people = residents(6)
    move = rules.Mutation(
        rules.MOVE,
        effective_on=datetime.date(2026, 3, 1),
        address=BrpAddress(street="Boterdiep", house_number=31, postcode="3077 AW", town="Rotterdam"),
        municipality_code="0599",
    )
    items = [rules.Item(resident_id=resident.pk, changed_at=NOW, mutations=[move]) for resident in people]
    first = rules.apply_items(items=items, actor=register_actor(), source="import")
    state = (RegisterChange.objects.count(), AddressHistory.objects.count(), AccessLog.objects.count())
    again = rules.apply_items(items=items, actor=register_actor(), source="import")
    assert [outcome.applied for outcome in first] == [["moved"]] * 6
    assert [outcome.applied for outcome in again] == [[]] * 6
    assert state == (
        RegisterChange.objects.count(),
        AddressHistory.objects.count(),
        AccessLog.objects.count(),
    )
    assert set(Resident.objects.filter(pk__in=[r.pk for r in people]).values_list("version", flat=True)) == {
        2
    }


def test_the_sync_applies_in_batches_and_a_conflict_stops_only_its_resident(
    simulator, resident_for, monkeypatch
):
    moulin = resident_for(surname="Moulin-Fout")  # the register says Moulin: a name change
    buidel = resident_for(
        bsn="999990147",
        surname="Buidel",
        given_names="Margriet",
        street="François Nivardstraat",
        house_number=51,
        postcode="3065 PE",
        birth_date=datetime.date(1948, 1, 17),
    )  # died in 2018 according to the test set

    def rule_name(ctx, mutation):
        raise rules.RuleConflict("naam botst")

    monkeypatch.setattr(rules, "rule_name", rule_name)
    run = brp_sync(notify=False)
    moulin.refresh_from_db()
    buidel.refresh_from_db()
    assert (moulin.surname, moulin.version) == ("Moulin-Fout", 1)
    assert buidel.status == Resident.Status.DECEASED
    assert run.status == SyncRun.Status.PARTIAL
    assert run.counts["conflicts"] == 1 and run.counts["deceased"] == 1
    assert run.errors == ["*****3653: naam botst"]
