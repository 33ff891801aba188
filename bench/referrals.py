"""Benchmarks of referrals and the register: ``referral_inbox_p95_ms`` and ``brp_changes_per_s``.

Both work inside one transaction that is rolled back at the end, so the benchmark database is
left as it was and every run measures the same thing.

- ``referral_inbox_p95_ms``: 10,000 referrals to one partner organisation (made from the
  desk's questions, every state), then the partner's inbox page (``GET
  /partner/verwijzingen/``, its four tabs in turn) through the whole middleware stack.
- ``brp_changes_per_s``: a mutation file of generated changes (moves within the region, most
  of them; secrecy set and lifted; some deaths) for residents with a BSN, applied through the
  import the ``brp_import_mutations`` command uses; changes per second over the whole file.
"""

from __future__ import annotations

import datetime
import io
import random
import time
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.test import Client
from django.utils import timezone

from schakelpunt.accounts.models import User
from schakelpunt.contacts.models import Question
from schakelpunt.contrib.brp.services import mutations_import
from schakelpunt.organisations.models import Municipality, Organisation, PostcodeArea
from schakelpunt.referrals.deadlines import due_dates
from schakelpunt.referrals.models import Referral
from schakelpunt.residents.models import Resident

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


def brp_changes(*, changes: int, metric) -> list[dict[str, Any]]:
    rng = random.Random(9)  # noqa: S311 - sample data, not secrets
    residents = list(
        Resident.objects.filter(status=Resident.Status.ACTIVE).exclude(bsn="").order_by("pk")[:changes]
    )
    if not residents:
        return []
    lines = _mutation_file(residents, changes, rng)
    results: list[dict[str, Any]] = []
    try:
        with transaction.atomic():
            started = time.perf_counter()
            result = mutations_import(lines=lines, source_name="bench")
            seconds = time.perf_counter() - started
            applied = len(residents) - len(result.errors)
            if result.errors:
                raise RuntimeError(f"mutation file refused lines: {result.errors[:3]}")
            results.append(
                {
                    **metric("brp_changes_per_s", "changes/s", [applied / seconds]),
                    "note": (
                        f"{applied:,} generated register changes (moves within the region, secrecy, "
                        f"deaths) through the mutation import, one transaction per line; {seconds:.1f} s"
                    ),
                }
            )
            raise _Rollback
    except _Rollback:
        pass
    return results
