"""Benchmarks of referrals and the register: ``referral_inbox_p95_ms`` and ``brp_changes_per_s``.

Both leave the benchmark database as it was, so that every run measures the same thing.

- ``referral_inbox_p95_ms``: 10,000 referrals to one partner organisation (made from the
  desk's questions, every state), committed and vacuumed as a real inbox is, then the
  partner's inbox page (``GET /partner/verwijzingen/``, its four tabs in turn) through the
  whole middleware stack, in a transaction that is rolled back; the referrals, the partner
  employee and the organisation are removed afterwards.
- ``brp_changes_per_s``: a mutation file of 100,000 lines, at every scale, through the import
  the ``brp_import_mutations`` command uses (in batches of ``BATCH_SIZE`` lines); changes per
  second over the whole file. The file is what a register delivers: changes over the last
  twenty days in date order, each resident with a change of its own (a move within the region
  70 %, secrecy set or lifted 25 %, a death 5 %), in random resident order, then a second
  delivery appended: 1 % of the changes sent again (nothing more to do: idempotent), 1 % late
  corrections dated before the change already applied (ignored: order-safe), 1 % for BSNs the
  desk does not know (ignored and counted). A file with one line per resident, not several,
  because a real import commits every batch and leaves each resident's row with one new
  version; a round rolled back as one transaction would pile up a version per change and
  measure PostgreSQL walking them. So 97,000 residents are needed: where the scale has fewer
  active residents with a BSN (the small scale has about 5,700), the round first adds the
  missing ones as copies of existing residents (name, birth date, address, desk) with BSNs of
  their own, and gives every resident of the file a register link, as the follow indications
  would have. Each round checks that the import reported exactly what the file holds (moved,
  secrecy, deceased, unchanged, outdated, unknown) and is then rolled back; on PostgreSQL the
  foreign keys are checked per statement (``SET CONSTRAINTS ALL IMMEDIATE``), as a committing
  import has them checked at each commit. A warm-up with the file's first 10,000 lines, then
  three counted rounds on PostgreSQL (one on SQLite), the updated tables vacuumed in between.
"""

from __future__ import annotations

import datetime
import io
import os
import random
import time
from collections import Counter
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.test import Client
from django.utils import timezone

from schakelpunt.accounts.models import User
from schakelpunt.contacts.models import FollowUp, Question, QuestionChange
from schakelpunt.contrib.brp.models import RegisterChange, RegisterLink
from schakelpunt.contrib.brp.services import BATCH_SIZE, mutations_import
from schakelpunt.organisations.models import Municipality, Organisation, PostcodeArea
from schakelpunt.referrals.deadlines import due_dates
from schakelpunt.referrals.models import Referral
from schakelpunt.residents.models import AddressHistory, Resident

INBOX_REFERRALS = 10_000
INBOX_ORGANISATION, PARTNER_USERNAME = "Bench Thuiszorg", "bench-partner"
STATES = [
    (Referral.Status.REQUESTED, 10),
    (Referral.Status.ACCEPTED, 10),
    (Referral.Status.IN_PROGRESS, 15),
    (Referral.Status.COMPLETED, 55),
    (Referral.Status.REJECTED, 10),
]


def _partner(organisation: Organisation) -> User:
    user = User.objects.create(username=PARTNER_USERNAME, organisation=organisation, first_name="Bench")
    user.groups.add(Group.objects.get(name="Partner"))
    return user


def referral_row(
    *, question_id, resident_id, desk_id, made, staff, organisation, status, **extra
) -> Referral:
    """A referral as the benchmarks make them: a warm hand-over of contact details and question,
    with the outcome or reason its status needs and the default deadlines from ``made``."""
    return Referral(
        question_id=question_id,
        resident_id=resident_id,
        referring_desk_id=desk_id,
        referred_by=staff,
        organisation=organisation,
        reason="Hulp bij het huishouden",
        warm_handover=True,
        shared_data=["contact_details", "question"],
        status=status,
        outcome="Hulp geregeld" if status == Referral.Status.COMPLETED else "",
        close_reason="no_capacity" if status == Referral.Status.REJECTED else "",
        **due_dates(start=timezone.localdate(made), agreement=None),
        **extra,
    )


def referral_inbox(*, staff: User, iterations: int, warmup: int, metric, timed) -> list[dict[str, Any]]:
    rng = random.Random(5)  # noqa: S311 - sample data, not secrets
    questions = list(
        Question.objects.filter(resident__isnull=False, contact__desk__in=staff.desks.all())
        .order_by("-pk")
        .values_list("pk", "resident_id", "contact__desk_id", "created_at")[:INBOX_REFERRALS]
    )
    if not questions:
        return []
    _remove_inbox()  # what a run that was stopped half-way left behind
    # The referrals are committed and vacuumed, as a partner's inbox in production is: read
    # inside a transaction that made them, the pages would meet every row's rewritten version,
    # and the figure would depend on where those landed.
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name=INBOX_ORGANISATION, type=Organisation.Type.CARE_PROVIDER
        )
        partner = _partner(organisation)
        rows = []
        for i in range(INBOX_REFERRALS):
            pk, resident_id, desk_id, created = questions[i % len(questions)]
            status = rng.choices([s for s, _ in STATES], weights=[w for _, w in STATES])[0]
            rows.append(
                referral_row(
                    question_id=pk,
                    resident_id=resident_id,
                    desk_id=desk_id,
                    made=created,
                    staff=staff,
                    organisation=organisation,
                    status=status,
                )
            )
        Referral.objects.bulk_create(rows, batch_size=2000)
        # bulk_create stamps every row with the same moment; a real inbox has them spread
        # over the years, each made shortly after its question.
        made = Question.objects.filter(pk=OuterRef("question_id")).values("created_at")[:1]
        Referral.objects.filter(organisation=organisation).update(created_at=Subquery(made))
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM (ANALYZE) {Referral._meta.db_table}")
        results: list[dict[str, Any]] = []
        # The page views write access-log rows and a session: rolled back, so that the
        # organisation and its user can be removed afterwards (the access log is append-only).
        with transaction.atomic():
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(partner)
            tabs = ["nieuw", "lopend", "te-laat", "afgesloten"]

            def show(i: int):
                response = client.get("/partner/verwijzingen/", {"lijst": tabs[i % len(tabs)]})
                if response.status_code != 200:
                    raise RuntimeError(f"inbox: HTTP {response.status_code}")

            values = timed(show, warmup=warmup, iterations=iterations)
            results.append(
                metric(
                    "referral_inbox_p95_ms",
                    "ms",
                    values,
                    f"a partner's inbox (GET /partner/verwijzingen/, its four tabs in turn) with "
                    f"{INBOX_REFERRALS:,} committed, vacuumed referrals to the organisation",
                )
            )
            transaction.set_rollback(True)  # measured, not kept
    finally:
        _remove_inbox()
    return results


def _remove_inbox() -> None:
    """Remove the scenario's organisation, its partner employee and their referrals."""
    with transaction.atomic():
        Referral.objects.filter(organisation__name=INBOX_ORGANISATION).delete()
        User.objects.filter(username=PARTNER_USERNAME).delete()
        Organisation.objects.filter(name=INBOX_ORGANISATION).delete()


# --- brp_changes_per_s --------------------------------------------------------------------------

BRP_HEADER = "bsn;soort;datum;straat;huisnummer;toevoeging;postcode;woonplaats;gemeente\n"
BRP_WARMUP_LINES = 10_000
# Shares of the file's lines. Each resident has one change of its own (a move within the
# region, secrecy set or lifted, or a death, 70/25/5); then some lines the import must recognise:
# a change delivered twice (nothing more to do), a late correction older than the change already
# applied (ignored), and persons the desk does not know (ignored and counted).
BRP_REPEATED, BRP_OUTDATED, BRP_UNKNOWN = 0.01, 0.01, 0.01
BRP_DAYS = 20  # the file covers the last twenty days, in date order
BENCH_BSN_FIRST = 97_000_000  # eight-digit prefixes of the residents the scenario adds (+ check digit)


def _eleven_test_bsns(first_prefix: int, count: int, taken: set[str]) -> list[str]:
    """``count`` valid BSNs (the eleven-test) from the eight-digit prefix ``first_prefix`` on."""
    numbers: list[str] = []
    prefix = first_prefix
    while len(numbers) < count:
        digits = str(prefix)
        prefix += 1
        check = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        number = digits + str(check)
        if check < 10 and number not in taken:
            numbers.append(number)
    return numbers


class _Person:
    """A resident the mutation file is about: who it is now, and what its lines will do."""

    __slots__ = ("bsn", "copy_of", "house_number", "is_secret", "pk", "postcode")

    def __init__(self, pk, bsn, is_secret, postcode, house_number, copy_of=None) -> None:
        self.pk, self.bsn, self.is_secret = pk, bsn, is_secret
        self.postcode, self.house_number = postcode, house_number
        self.copy_of = copy_of  # an added resident: the pk of the resident it copies


def _brp_people(changes: int, rng: random.Random) -> tuple[list[_Person], int]:
    """The residents the file is about, in random order, and how many must be added for it.

    Active residents with a BSN, as many as the file has residents; at a scale with fewer, the
    missing ones are added as copies of the others (with new BSNs: see :func:`_add_residents`).
    """
    wanted = round(changes * (1 - BRP_REPEATED - BRP_OUTDATED - BRP_UNKNOWN))
    existing = [
        _Person(*row)
        for row in Resident.objects.filter(status=Resident.Status.ACTIVE)
        .exclude(bsn="")
        .order_by("pk")
        .values_list("pk", "bsn", "is_secret", "postcode", "house_number")
    ]
    if not existing:
        return [], 0
    people = rng.sample(existing, min(wanted, len(existing)))
    missing = wanted - len(people)
    if missing:
        taken = set(Resident.objects.exclude(bsn="").values_list("bsn", flat=True))
        for i, bsn in enumerate(_eleven_test_bsns(BENCH_BSN_FIRST, missing, taken)):
            source = existing[i % len(existing)]
            people.append(
                _Person(None, bsn, source.is_secret, source.postcode, source.house_number, copy_of=source.pk)
            )
        rng.shuffle(people)
    return people, missing


def _add_residents(people: list[_Person]) -> None:
    """Inside the round's transaction: add the residents the scale lacks, each a copy of an
    existing one (name, birth date, address, desk) with its own BSN, and a register link for
    every resident of the file, as the follow indications would have made them. On PostgreSQL
    in two statements (Django's bulk_create took longer than the import it prepares)."""
    added = [person for person in people if person.pk is None]
    now, today = timezone.now(), timezone.localdate()
    if connection.vendor == "postgresql":
        _add_residents_sql(added, [person.bsn for person in people], now=now, today=today)
        return
    ids = {person.bsn: person.pk for person in people if person.pk is not None}
    if added:
        fields = [f.attname for f in Resident._meta.concrete_fields if f.attname not in _NOT_COPIED]
        sources = {
            row.pop("id"): row
            for row in Resident.objects.filter(status=Resident.Status.ACTIVE)
            .exclude(bsn="")
            .values("id", *fields)
        }
        made = Resident.objects.bulk_create(
            [Resident(**sources[person.copy_of], bsn=person.bsn) for person in added], batch_size=5_000
        )
        ids.update((resident.bsn, resident.pk) for resident in made)
    linked = set(RegisterLink.objects.values_list("resident_id", flat=True))
    RegisterLink.objects.bulk_create(
        [
            RegisterLink(resident_id=pk, followed_bsn=bsn, following=True, follow_started_on=today)
            for bsn, pk in ids.items()
            if pk not in linked
        ],
        batch_size=5_000,
    )


_NOT_COPIED = ("id", "bsn", "created_at", "updated_at", "version")


def _add_residents_sql(
    added: list[_Person], numbers: list[str], *, now: datetime.datetime, today: datetime.date
) -> None:
    quote = connection.ops.quote_name
    residents, links = quote(Resident._meta.db_table), quote(RegisterLink._meta.db_table)
    copied = [quote(f.column) for f in Resident._meta.concrete_fields if f.attname not in _NOT_COPIED]
    with connection.cursor() as cursor:
        if added:
            cursor.execute(
                f"INSERT INTO {residents} ({', '.join(copied)}, bsn, created_at, updated_at, version) "  # noqa: S608
                f"SELECT {', '.join(f'r.{column}' for column in copied)}, v.bsn, %s, %s, 1 "
                f"FROM unnest(%s::bigint[], %s::text[]) AS v(source, bsn) "
                f"JOIN {residents} r ON r.id = v.source",
                [now, now, [person.copy_of for person in added], [person.bsn for person in added]],
            )
        cursor.execute(
            f"INSERT INTO {links} (resident_id, followed_bsn, following, follow_started_on) "  # noqa: S608
            f"SELECT r.id, r.bsn, true, %s FROM unnest(%s::text[]) AS v(bsn) "
            f"JOIN {residents} r ON r.bsn = v.bsn AND r.bsn <> '' AND r.status = 'active' "
            "ON CONFLICT (resident_id) DO NOTHING",
            [today, numbers],
        )
        # What autovacuum would have done after such a load (allowed inside the transaction): the
        # planner otherwise takes the link table for the empty one the last vacuum saw.
        cursor.execute(f"ANALYZE {residents}, {links}")


def _brp_file(people: list[_Person], changes: int, rng: random.Random) -> tuple[str, Counter]:
    """The mutation file of ``changes`` lines, and the counts the import must report for it."""
    areas = list(
        PostcodeArea.objects.filter(
            postcode__regex=r"^[0-9]{4}$", district__municipality__desks__isnull=False
        )
        .select_related("district__municipality")
        .distinct()
        .order_by("postcode")[:200]
    )
    fallback = Municipality.objects.filter(desks__isnull=False).order_by("pk").first()
    today = timezone.localdate()
    days = [(today - datetime.timedelta(days=BRP_DAYS - d)).isoformat() for d in range(BRP_DAYS)]
    expected: Counter = Counter()
    body: list[tuple[int, str]] = []  # (day, line) of each resident's own change
    for person in people:
        day = rng.randrange(BRP_DAYS)
        roll = rng.random()
        if roll < 0.70:
            while True:
                area = rng.choice(areas) if areas else None
                letters = rng.choice("ABCDEFGHJKLMNPRSTVWXZ") + rng.choice("ABEGHJKLNPRSTVXZ")
                postcode = (area.postcode if area else "7511") + " " + letters
                number = rng.randint(1, 300)
                if (postcode, number) != (person.postcode, person.house_number):
                    break
            municipality = area.district.municipality if area else fallback
            code = municipality.code.removeprefix("GM")
            line = (
                f"{person.bsn};verhuizing;{days[day]};Nieuwstraat;{number};;{postcode};"
                f"{municipality.name};{code}\n"
            )
            expected["moved"] += 1
        elif roll < 0.95:
            kind = "geheimhouding_uit" if person.is_secret else "geheimhouding_aan"
            line = f"{person.bsn};{kind};{days[day]};;;;;;\n"
            expected["secrecy_lifted" if person.is_secret else "secrecy_set"] += 1
        else:
            line = f"{person.bsn};overlijden;{days[day]};;;;;;\n"
            expected["deceased"] += 1
        body.append((day, line))
    lines = [line for _day, line in sorted(body, key=lambda entry: entry[0])]  # stable: random within a day
    # Appended, as a register's second delivery would be: changes sent again, late corrections.
    repeated = rng.sample(range(len(body)), round(changes * BRP_REPEATED))
    extra = [body[i][1] for i in repeated]
    expected["unchanged"] += len(repeated)
    for i in rng.sample(range(len(body)), round(changes * BRP_OUTDATED)):
        day, line = body[i]
        bsn = line.split(";", 1)[0]
        older = (today - datetime.timedelta(days=BRP_DAYS + 1 + day)).isoformat()
        extra.append(f"{bsn};verhuizing;{older};Oude straat;1;;7511 AA;Enschede;0153\n")
        expected["outdated"] += 1
    unknown = _eleven_test_bsns(BENCH_BSN_FIRST + 900_000, changes - len(lines) - len(extra), set())
    for bsn in unknown:
        extra.append(f"{bsn};overlijden;{days[-1]};;;;;;\n")
    expected["unknown"] += len(unknown)
    rng.shuffle(extra)
    lines += extra
    expected["lines"] = len(lines)
    return BRP_HEADER + "".join(lines), expected


def _vacuum_register_tables() -> None:
    """On PostgreSQL, clear the dead row versions a rolled-back round leaves in the tables the
    import updates: the next round would meet them where a real import does not (autovacuum
    does not run between rounds). The access log is left alone: its dead rows are only the
    rolled-back appends at its end, and vacuuming its indexes costs minutes at the large scale."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    tables = [
        model._meta.db_table
        for model in (
            Resident,
            RegisterLink,
            RegisterChange,
            AddressHistory,
            Question,
            QuestionChange,
            FollowUp,
        )
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")


def _backend_cpu() -> float | None:
    """CPU seconds of this connection's PostgreSQL backend, when the server runs on this machine."""
    if connection.vendor != "postgresql":
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def _brp_round(
    text: str, people: list[_Person], expected: Counter | None
) -> tuple[float, float, float | None]:
    """One import of the file in a transaction that is rolled back: (seconds, Python CPU seconds,
    PostgreSQL CPU seconds or None). Checks that the import reported what the file holds."""
    with transaction.atomic():
        _add_residents(people)
        if connection.vendor == "postgresql":
            # A real import commits every batch, and the database then checks the batch's
            # foreign keys (declared deferred); this transaction is rolled back instead, so
            # have them checked as each statement ends.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        backend, python = _backend_cpu(), time.process_time()
        started = time.perf_counter()
        result = mutations_import(lines=io.StringIO(text), source_name="bench")
        seconds = time.perf_counter() - started
        python = time.process_time() - python
        database = _backend_cpu()
        if result.errors:
            raise RuntimeError(f"mutation file refused lines: {result.errors[:3]}")
        found = {key: result.run.counts.get(key, 0) for key in expected or {}}
        if expected is not None and found != dict(expected):
            raise RuntimeError(f"the import reported {found}, the file holds {dict(expected)}")
        transaction.set_rollback(True)  # measured, not kept
    return seconds, python, (database - backend) if database is not None and backend is not None else None


def brp_changes(*, changes: int, metric, rounds: int | None = None) -> list[dict[str, Any]]:
    """A mutation file of ``changes`` lines through the import, ``rounds`` times (three on
    PostgreSQL, one elsewhere) after a warm-up with its first lines, each rolled back: changes
    per second of the counted rounds."""
    rounds = rounds or (3 if connection.vendor == "postgresql" else 1)
    rng = random.Random(9)  # noqa: S311 - sample data, not secrets
    people, missing = _brp_people(changes, rng)
    if not people:
        return []
    text, expected = _brp_file(people, changes, rng)
    _vacuum_register_tables()
    _brp_round("".join(text.splitlines(keepends=True)[: BRP_WARMUP_LINES + 1]), people, None)
    rates, seconds, cpu = [], [], []
    for _round in range(rounds):
        _vacuum_register_tables()
        took, python, database = _brp_round(text, people, expected)
        rates.append(changes / took)
        seconds.append(took)
        cpu.append((python, database))
    _vacuum_register_tables()
    spent = ", ".join(
        f"{s:.1f} s (CPU: Python {p:.1f} s" + (f", PostgreSQL {d:.1f} s)" if d is not None else ")")
        for s, (p, d) in zip(seconds, cpu, strict=True)
    )
    residents = len(people)
    checked = ", with the foreign keys checked per statement as a committing import would"
    return [
        {
            **metric("brp_changes_per_s", "changes/s", rates),
            "note": (
                f"{changes:,} register changes in one mutation file through the import of "
                f"brp_import_mutations (batches of {BATCH_SIZE:,} lines): {residents:,} residents with a "
                f"change of their own over {BRP_DAYS} days in date order (moves within the region 70 %, "
                "secrecy set or lifted 25 %, deaths 5 %), then 1 % sent again, 1 % older than the change "
                "applied and 1 % for unknown BSNs, in random resident order"
                + (f"; {missing:,} of them copies of others, added for the rounds" if missing else "")
                + f". Rounds after a warm-up of {BRP_WARMUP_LINES:,} lines, each rolled back"
                + (checked if connection.vendor == "postgresql" else "")
                + f": {spent}; p50 is the median"
            ),
        }
    ]
