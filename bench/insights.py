"""Benchmark of the dashboards: ``dashboard_year_ms``.

The data generator makes no referrals yet, so this scenario first makes some: for up to
``REFERRALS`` questions referred in the last twelve months, a referral to one of a few partners
in every state (rejections with an unmet need). Then it refreshes the summary tables for the
year (``insights_refresh --since``, timed) and asks for the yearly dashboard (``GET /inzicht/``,
the default period: the last twelve months) through the whole middleware stack, as the
coordinator of the largest desk and as the policy officer of its municipality in turn.

All of it inside one transaction that is rolled back, so the benchmark database is left as it
was and every run measures the same thing.
"""

from __future__ import annotations

import datetime
import random
import time
from typing import Any

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.test import Client
from django.utils import timezone

from schakelpunt.accounts.models import User
from schakelpunt.contacts.models import Question
from schakelpunt.insights.periods import Period
from schakelpunt.insights.services import summaries_refresh
from schakelpunt.organisations.models import Organisation
from schakelpunt.referrals.deadlines import due_dates
from schakelpunt.referrals.models import Referral, UnmetNeed

REFERRALS = 50_000
PARTNERS = 12
S = Referral.Status
STATES = [
    (S.REQUESTED, 5),
    (S.ACCEPTED, 8),
    (S.IN_PROGRESS, 12),
    (S.COMPLETED, 55),
    (S.REJECTED, 12),
    (S.CANCELLED, 8),
]


class _Rollback(Exception):
    pass


def _referrals(period: Period, staff: User, rng: random.Random) -> int:
    """Referrals for a sample of the questions referred in the period; returns how many."""
    questions = list(
        Question.objects.filter(
            outcome=Question.Outcome.REFERRED,
            contact__started_at__gte=period.start,
            contact__started_at__lt=period.end,
        ).values_list("pk", "resident_id", "contact__desk_id", "contact__started_at")
    )
    rng.shuffle(questions)
    questions = questions[:REFERRALS]
    partners = [
        Organisation.objects.create(name=f"Bench partner {n + 1}", type=Organisation.Type.CARE_PROVIDER)
        for n in range(PARTNERS)
    ]
    now = timezone.now()
    rows = []
    for pk, resident_id, desk_id, started in questions:
        status = rng.choices([s for s, _ in STATES], weights=[w for _, w in STATES])[0]
        accepted = started + datetime.timedelta(days=rng.randint(0, 6), hours=2)
        closed = accepted + datetime.timedelta(days=rng.randint(1, 60))
        if status in (S.REJECTED, S.CANCELLED):
            closed = started + datetime.timedelta(days=rng.randint(0, 5), hours=3)
        rows.append(
            Referral(
                question_id=pk,
                resident_id=resident_id,
                referring_desk_id=desk_id,
                referred_by=staff,
                organisation=rng.choice(partners),
                reason="Hulp bij het huishouden",
                warm_handover=True,
                shared_data=["contact_details", "question"],
                status=status,
                accepted_at=accepted if status in (S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED) else None,
                closed_at=min(closed, now) if status in (S.COMPLETED, S.REJECTED, S.CANCELLED) else None,
                outcome="Hulp geregeld" if status == S.COMPLETED else "",
                close_reason="no_capacity" if status == S.REJECTED else "",
                **due_dates(start=timezone.localdate(started), agreement=None),
            )
        )
    Referral.objects.bulk_create(rows, batch_size=2000)
    # bulk_create stamps every row with the same moment; each was made at its question's contact.
    made = Question.objects.filter(pk=OuterRef("question_id")).values("contact__started_at")[:1]
    Referral.objects.filter(organisation__in=partners).update(created_at=Subquery(made))
    UnmetNeed.objects.bulk_create(
        [
            UnmetNeed(question_id=question_id, referral_id=pk, reason="no_capacity", recorded_at=closed)
            for pk, question_id, closed in Referral.objects.filter(
                organisation__in=partners, status=S.REJECTED
            ).values_list("pk", "question_id", "closed_at")
        ],
        batch_size=2000,
    )
    return len(rows)


def dashboard_year(*, staff: User, iterations: int, warmup: int, metric, timed) -> list[dict[str, Any]]:
    rng = random.Random(11)  # noqa: S311 - sample data, not secrets
    desk = staff.desks.order_by("pk").first()
    coordinator = User.objects.filter(groups__name="Coördinator", desks=desk).order_by("pk").first()
    policy = User.objects.filter(
        groups__name="Beleidsmedewerker", organisation__municipality__isnull=False
    ).first()
    if coordinator is None or policy is None:
        return []
    period = Period.last_12_months()
    results: list[dict[str, Any]] = []
    try:
        with transaction.atomic():
            referrals = _referrals(period, staff, rng)
            started = time.monotonic()
            refreshed = summaries_refresh(since=period.first)
            refresh_seconds = time.monotonic() - started
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE insights_monthlycount")
                    cursor.execute("ANALYZE insights_leadtimecount")
            clients = []
            for user in (coordinator, policy):
                client = Client(HTTP_HOST="127.0.0.1")
                client.force_login(user)
                clients.append(client)
            timings: list[list[float]] = [[], []]

            def show(i: int):
                began = time.perf_counter()
                response = clients[i % 2].get("/inzicht/")
                timings[i % 2].append((time.perf_counter() - began) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"dashboard: HTTP {response.status_code}")

            values = timed(show, warmup=warmup, iterations=iterations)
            coordinator_values, policy_values = (
                timings[0][-(iterations // 2) :],
                timings[1][-(iterations // 2) :],
            )
            note = (
                f"the yearly dashboard (GET /inzicht/, last twelve months) as the coordinator of "
                f"{desk.name} and as the policy officer of {policy.organisation.municipality.name}, in turn; "
                f"read from the summary tables ({refreshed['rows']:,} rows for {refreshed['months']} months, "
                f"refreshed in {refresh_seconds:.0f} s with {referrals:,} generated referrals)"
            )
            results.append(
                metric("dashboard_year_ms", "ms", values, note, refresh_s=round(refresh_seconds, 1))
            )
            results.append(
                metric(
                    "dashboard_year_coordinator_ms",
                    "ms",
                    coordinator_values,
                    "the coordinator's pages of the above",
                )
            )
            results.append(
                metric(
                    "dashboard_year_policy_ms",
                    "ms",
                    policy_values,
                    "the policy officer's pages (small cells hidden)",
                )
            )
            raise _Rollback
    except _Rollback:
        pass
    return results
