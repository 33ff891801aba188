"""Benchmarks of the dashboards: ``dashboard_year_ms``, ``quality_scan_ms`` and ``reach_ms``.

The dashboards count referrals too. When the database has none (data generated before the
generator made referrals), the scenario first makes some: for up to ``REFERRALS`` questions
referred in the last twelve months, a referral to one of a few partners in every state
(rejections with an unmet need); otherwise it uses the referrals that are there. Then it
refreshes the summary tables (``insights_refresh --since``, timed) from the first month the
pages read, and asks for the page through the whole middleware stack:

- ``dashboard_year``: the yearly dashboard (``GET /inzicht/``, the last twelve months) as the
  coordinator of the largest desk and as the policy officer of its municipality in turn;
- ``quality_scan``: the quality scan (``GET /inzicht/kwaliteit/``, the four quarters up to the
  last complete one) of the largest desk as its coordinator;
- ``reach``: the reach analysis (``GET /inzicht/bereik/``, the last twelve months) as the
  coordinator and as the policy officer in turn, with population figures made up for every
  district of the desk's municipalities (the generated districts have none).

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

from bench.referrals import referral_row
from schakelpunt.accounts.models import User
from schakelpunt.contacts.models import Question
from schakelpunt.insights.periods import Period
from schakelpunt.insights.services import summaries_refresh
from schakelpunt.organisations.models import Organisation
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
            referral_row(
                question_id=pk,
                resident_id=resident_id,
                desk_id=desk_id,
                made=started,
                staff=staff,
                organisation=rng.choice(partners),
                status=status,
                accepted_at=accepted if status in (S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED) else None,
                closed_at=min(closed, now) if status in (S.COMPLETED, S.REJECTED, S.CANCELLED) else None,
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


def _users(staff: User):
    """The largest desk (the front-office user's), its coordinator and a policy officer."""
    desk = staff.desks.order_by("pk").first()
    coordinator = User.objects.filter(groups__name="Coördinator", desks=desk).order_by("pk").first()
    policy = User.objects.filter(
        groups__name="Beleidsmedewerker", organisation__municipality__isnull=False
    ).first()
    return desk, coordinator, policy


def _prepare(staff: User, since: datetime.date) -> tuple[int, dict, float]:
    """Referrals when there are none, and the summary tables from ``since``: (referrals made,
    what the refresh wrote, its seconds). Inside the caller's transaction."""
    referrals = 0
    if not Referral.objects.exists():
        referrals = _referrals(Period.last_12_months(), staff, random.Random(11))  # noqa: S311
    started = time.monotonic()
    refreshed = summaries_refresh(since=since)
    seconds = time.monotonic() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for name in ("monthlycount", "leadtimecount", "quarterfigure", "reachfigure"):
                if f"insights_{name}" in connection.introspection.table_names(cursor):
                    cursor.execute(f"ANALYZE insights_{name}")
    return referrals, refreshed, seconds


def _source(referrals: int) -> str:
    if referrals:
        return f"with {referrals:,} referrals made for the benchmark"
    return f"with the {Referral.objects.count():,} referrals in the database"


def _clients(*users: User) -> list[Client]:
    clients = []
    for user in users:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        clients.append(client)
    return clients


def _pages(clients: list[Client], path: str, *, iterations: int, warmup: int, timed):
    """Times ``GET path`` by each client in turn: (all values, values per client)."""
    timings: list[list[float]] = [[] for _client in clients]

    def show(i: int):
        began = time.perf_counter()
        response = clients[i % len(clients)].get(path)
        timings[i % len(clients)].append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {response.status_code}")

    values = timed(show, warmup=warmup, iterations=iterations)
    per_client = [found[-(iterations // len(clients)) :] for found in timings]
    return values, per_client


def _by_viewer(metric, name: str, values, per_client, note: str, refresh_seconds: float) -> list[dict]:
    """The metric over both viewers' pages, and one for each (coordinator, policy officer)."""
    coordinator_values, policy_values = per_client
    return [
        metric(f"{name}_ms", "ms", values, note, refresh_s=round(refresh_seconds, 1)),
        metric(f"{name}_coordinator_ms", "ms", coordinator_values, "the coordinator's pages of the above"),
        metric(f"{name}_policy_ms", "ms", policy_values, "the policy officer's pages (small cells hidden)"),
    ]


def dashboard_year(*, staff: User, iterations: int, warmup: int, metric, timed) -> list[dict[str, Any]]:
    desk, coordinator, policy = _users(staff)
    if coordinator is None or policy is None:
        return []
    period = Period.last_12_months()
    results: list[dict[str, Any]] = []
    with transaction.atomic():
        referrals, refreshed, refresh_seconds = _prepare(staff, period.first)
        values, per_client = _pages(
            _clients(coordinator, policy), "/inzicht/", iterations=iterations, warmup=warmup, timed=timed
        )
        note = (
            f"the yearly dashboard (GET /inzicht/, last twelve months) as the coordinator of "
            f"{desk.name} and as the policy officer of {policy.organisation.municipality.name}, in turn; "
            f"read from the summary tables ({refreshed['rows']:,} rows for {refreshed['months']} months, "
            f"refreshed in {refresh_seconds:.0f} s {_source(referrals)})"
        )
        results += _by_viewer(metric, "dashboard_year", values, per_client, note, refresh_seconds)
        transaction.set_rollback(True)  # measured, not kept
    return results


def quality_scan(*, staff: User, iterations: int, warmup: int, metric, timed) -> list[dict[str, Any]]:
    from schakelpunt.insights.quality import Quarter, quarters_up_to

    desk, coordinator, _policy = _users(staff)
    if coordinator is None:
        return []
    quarters = quarters_up_to(Quarter.last_complete())
    results: list[dict[str, Any]] = []
    with transaction.atomic():
        referrals, _refreshed, refresh_seconds = _prepare(staff, quarters[0].period.first)
        values, _per_client = _pages(
            _clients(coordinator),
            f"/inzicht/kwaliteit/?loket={desk.slug}",
            iterations=iterations,
            warmup=warmup,
            timed=timed,
        )
        note = (
            f"the quality scan (GET /inzicht/kwaliteit/, {quarters[0].label} – {quarters[-1].label}) of "
            f"{desk.name} as its coordinator; summary tables refreshed from {quarters[0].label} in "
            f"{refresh_seconds:.0f} s {_source(referrals)}"
        )
        results.append(metric("quality_scan_ms", "ms", values, note, refresh_s=round(refresh_seconds, 1)))
        transaction.set_rollback(True)  # measured, not kept
    return results


def _population(municipalities, year: int, rng: random.Random) -> int:
    """Made-up figures for every district of ``municipalities`` in ``year``: a few thousand
    inhabitants per district and age band. Returns the number of figures."""
    from schakelpunt.insights.reach import BAND_KEYS
    from schakelpunt.organisations.models import District, PopulationFigure

    districts = District.objects.filter(municipality__in=municipalities)
    PopulationFigure.objects.filter(municipality__in=municipalities, year=year).delete()
    rows = [
        PopulationFigure(
            municipality_id=district.municipality_id,
            district=district,
            age_band=band,
            year=year,
            inhabitants=rng.randint(500, 6000),
            imported_at=timezone.now(),
        )
        for district in districts
        for band in BAND_KEYS
    ]
    PopulationFigure.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def reach(*, staff: User, iterations: int, warmup: int, metric, timed) -> list[dict[str, Any]]:
    desk, coordinator, policy = _users(staff)
    if coordinator is None or policy is None:
        return []
    period = Period.last_12_months()
    results: list[dict[str, Any]] = []
    with transaction.atomic():
        municipalities = [*desk.municipalities.all(), policy.organisation.municipality]
        figures = _population(municipalities, period.last.year, random.Random(12))  # noqa: S311
        referrals, _refreshed, refresh_seconds = _prepare(staff, period.first)
        values, per_client = _pages(
            _clients(coordinator, policy),
            "/inzicht/bereik/",
            iterations=iterations,
            warmup=warmup,
            timed=timed,
        )
        note = (
            f"the reach analysis (GET /inzicht/bereik/, last twelve months) of {desk.name} as its "
            f"coordinator and as the policy officer of {policy.organisation.municipality.name}, in turn, "
            f"with {figures:,} made-up population figures; summary tables refreshed in "
            f"{refresh_seconds:.0f} s {_source(referrals)}"
        )
        results += _by_viewer(metric, "reach", values, per_client, note, refresh_seconds)
        transaction.set_rollback(True)  # measured, not kept
    return results
