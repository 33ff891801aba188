"""Benchmarks of referrals and the register: ``referral_inbox_p95_ms`` and ``brp_changes_per_s``.

Both work inside one transaction that is rolled back at the end, so the benchmark database is
left as it was and every run measures the same thing.

- ``referral_inbox_p95_ms``: 10,000 referrals to one partner organisation (made from the
  desk's questions, every state), then the partner's inbox page (``GET
  /partner/verwijzingen/``, its four tabs in turn) through the whole middleware stack.
- ``brp_changes_per_s``: a mutation file of generated changes (moves within the region, most
  of them; secrecy set and lifted; some deaths) for residents with a BSN, applied through the
  import the ``brp_import_mutations`` command uses (in batches); changes per second over the
  whole file, three rounds.
"""

from __future__ import annotations

import datetime
import io
import random
import time
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
STATES = [
    (Referral.Status.REQUESTED, 10),
    (Referral.Status.ACCEPTED, 10),
    (Referral.Status.IN_PROGRESS, 15),
    (Referral.Status.COMPLETED, 55),
    (Referral.Status.REJECTED, 10),
]


class _Rollback(Exception):
    pass


def _partner(organisation: Organisation) -> User:
    user = User.objects.create(username="bench-partner", organisation=organisation, first_name="Bench")
    user.groups.add(Group.objects.get(name="Partner"))
    return user


def referral_inbox(*, staff: User, iterations: int, warmup: int, metric, timed) -> list[dict[str, Any]]:
    rng = random.Random(5)  # noqa: S311 - sample data, not secrets
    questions = list(
        Question.objects.filter(resident__isnull=False, contact__desk__in=staff.desks.all())
        .order_by("-pk")
        .values_list("pk", "resident_id", "contact__desk_id", "created_at")[:INBOX_REFERRALS]
    )
    if not questions:
        return []
    results: list[dict[str, Any]] = []
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                name="Bench Thuiszorg", type=Organisation.Type.CARE_PROVIDER
            )
            partner = _partner(organisation)
            rows = []
            for i in range(INBOX_REFERRALS):
                pk, resident_id, desk_id, created = questions[i % len(questions)]
                status = rng.choices([s for s, _ in STATES], weights=[w for _, w in STATES])[0]
                rows.append(
                    Referral(
                        question_id=pk,
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
                        **due_dates(start=timezone.localdate(created), agreement=None),
                    )
                )
            Referral.objects.bulk_create(rows, batch_size=2000)
            # bulk_create stamps every row with the same moment; a real inbox has them spread
            # over the years, each made shortly after its question.
            made = Question.objects.filter(pk=OuterRef("question_id")).values("created_at")[:1]
            Referral.objects.filter(organisation=organisation).update(created_at=Subquery(made))
            if connection.vendor == "postgresql":
                # What autovacuum would do after such a load; allowed inside the transaction.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE referrals_referral")
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
                    f"{INBOX_REFERRALS:,} referrals to the organisation",
                )
            )
            raise _Rollback
    except _Rollback:
        pass
    return results


def _mutation_file(residents: list[Resident], count: int, rng: random.Random) -> io.StringIO:
    """``count`` lines: a resident moves within the region (70 %), secrecy is set or lifted
    (25 %), or the resident dies (5 %). Each resident changes once, so every line is work."""
    areas = list(
        PostcodeArea.objects.filter(postcode__regex=r"^[0-9]{4}$").select_related("district__municipality")[
            :200
        ]
    )
    fallback = Municipality.objects.order_by("pk").first()
    day = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    out = io.StringIO()
    out.write("bsn;soort;datum;straat;huisnummer;toevoeging;postcode;woonplaats;gemeente\n")
    for resident in residents[:count]:
        roll = rng.random()
        if roll < 0.70:
            area = rng.choice(areas) if areas else None
            municipality = area.district.municipality if area else fallback
            letters = rng.choice("ABCDEFGHJKLMNPRSTVWXZ") + rng.choice("ABEGHJKLNPRSTVXZ")
            postcode = (area.postcode if area else "7511") + letters
            code = municipality.code.removeprefix("GM")
            number = rng.randint(1, 300)
            fields = [
                resident.bsn,
                "verhuizing",
                day,
                "Nieuwstraat",
                str(number),
                "",
                postcode,
                municipality.name,
                code,
            ]
            out.write(";".join(fields) + "\n")
        elif roll < 0.95:
            kind = "geheimhouding_uit" if resident.is_secret else "geheimhouding_aan"
            out.write(f"{resident.bsn};{kind};{day};;;;;;\n")
        else:
            out.write(f"{resident.bsn};overlijden;{day};;;;;;\n")
    out.seek(0)
    return out


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


def brp_changes(*, changes: int, metric, rounds: int = 3, warmup: int = 1) -> list[dict[str, Any]]:
    """The mutation import of one file, ``warmup`` + ``rounds`` times, each rolled back: changes
    per second of the counted rounds."""
    rng = random.Random(9)  # noqa: S311 - sample data, not secrets
    residents = list(
        Resident.objects.filter(status=Resident.Status.ACTIVE).exclude(bsn="").order_by("pk")[:changes]
    )
    if not residents:
        return []
    text = _mutation_file(residents, changes, rng).getvalue()
    rates: list[float] = []
    seconds: list[float] = []
    for _round in range(warmup + rounds):
        _vacuum_register_tables()
        try:
            with transaction.atomic():
                started = time.perf_counter()
                result = mutations_import(lines=io.StringIO(text), source_name="bench")
                seconds.append(time.perf_counter() - started)
                if result.errors:
                    raise RuntimeError(f"mutation file refused lines: {result.errors[:3]}")
                rates.append(len(residents) / seconds[-1])
                raise _Rollback
        except _Rollback:
            pass
    _vacuum_register_tables()
    return [
        {
            **metric("brp_changes_per_s", "changes/s", rates[warmup:]),
            "note": (
                f"{len(residents):,} generated register changes (70 % moves within the region, 25 % "
                f"secrecy, 5 % deaths) through the mutation import, in batches of "
                f"{BATCH_SIZE:,} lines; the same file {rounds} times after {warmup} not counted, each "
                f"rolled back and its tables vacuumed: {', '.join(f'{s:.2f}' for s in seconds[warmup:])} s; "
                "p50 is the median"
            ),
        }
    ]
