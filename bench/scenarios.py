"""The benchmark scenarios, run inside Django against the benchmark database.

``python -m bench.scenarios --scale small --database postgresql --out result.json`` with
DATABASE_URL pointing at a generated database. Each scenario is warmed up and then timed over
many iterations, server side: through the page (Django's test client, the whole middleware
stack, no network) or through the service, never raw SQL. ``bench.run`` starts this module
once per database and collects the figures.

``--sessions N`` instead logs in N generated users and prints their session cookies and sample
inputs for the mixed load (``bench/locustfile.py``).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any
from unittest import mock

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schakelpunt.conf.base")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.db.models import Count, Max, Min, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from schakelpunt.accounts.models import User  # noqa: E402
from schakelpunt.audit.models import AccessLog  # noqa: E402
from schakelpunt.contacts.models import Contact, LifeDomain, Question  # noqa: E402
from schakelpunt.contacts.selectors import resident_timeline  # noqa: E402
from schakelpunt.contacts.services import intake_register  # noqa: E402
from schakelpunt.core.synthetic.generator import USERNAME_PREFIX  # noqa: E402
from schakelpunt.organisations.models import Desk  # noqa: E402
from schakelpunt.residents.models import Resident  # noqa: E402

# The targets of the issue, for the large scale on PostgreSQL with two cores.
TARGETS = {
    "resident_search_p95_ms": 20,
    "question_register_p95_ms": 60,
    "timeline_p95_ms": 100,
    "access_log_overhead_ms": 1,
    "who_accessed_p95_ms": 50,
    "mixed_load_p95_ms": 150,
}
QUERY_BUDGET = {"question_register_p95_ms": 15}
BRP_CHANGES = 100_000  # lines of the mutation file, at every scale (bench/referrals.py)
TIMELINE_ITEMS = 50


def front_office():
    """Generated front-office staff of the desk with the most staff (the city's own desk)."""
    generated = Q(staff__username__startswith=USERNAME_PREFIX)
    desk = Desk.objects.annotate(n=Count("staff", filter=generated)).order_by("-n", "pk").first()
    return User.objects.filter(
        username__startswith=USERNAME_PREFIX, groups__name="Frontoffice", desks=desk
    ).order_by("pk")


def access_log_size() -> int:
    """Rows in the access log: PostgreSQL's estimate (COUNT(*) on fifty million rows takes seconds)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'audit_accesslog'")
            return cursor.fetchone()[0]
    return AccessLog.objects.count()


def url(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * fraction
    low, high = int(position), min(int(position) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def metric(name: str, unit: str, values: list[float], note: str = "", **extra: Any) -> dict[str, Any]:
    result = {
        "name": name,
        "unit": unit,
        "p50": round(percentile(values, 0.5), 3),
        "p95": round(percentile(values, 0.95), 3),
        "iterations": len(values),
    }
    if note:
        result["note"] = note
    result.update(extra)
    return result


def timed(run: Callable[[int], Any], *, warmup: int, iterations: int) -> list[float]:
    """Milliseconds per call of ``run(i)``, after ``warmup`` calls that are not counted."""
    for i in range(warmup):
        run(i)
    values = []
    for i in range(iterations):
        started = time.perf_counter()
        run(warmup + i)
        values.append((time.perf_counter() - started) * 1000)
    return values


class Bench:
    def __init__(self, *, iterations: int, warmup: int, seed: int = 1):
        self.iterations, self.warmup = iterations, warmup
        self.rng = random.Random(seed)  # noqa: S311 - sample inputs, not secrets
        self.staff = front_office().first()
        self.privacy = User.objects.filter(username=f"{USERNAME_PREFIX}privacy").first()
        if self.staff is None or self.privacy is None:
            sys.exit("No generated data in this database: run 'schakelpunt generate_data' first.")
        self.desk = self.staff.desks.order_by("pk").first()
        self.client = self._client(self.staff)
        self.residents = self._sample_residents(600)

    def _client(self, user: User) -> Client:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        return client

    def _sample_residents(self, count: int) -> list[Resident]:
        """Random residents of the desk, read by random ids (no ORDER BY random() on a big table)."""
        bounds = Resident.objects.aggregate(low=Min("pk"), high=Max("pk"))
        ids = {self.rng.randint(bounds["low"], bounds["high"]) for _ in range(count * 3)}
        found = list(Resident.objects.filter(pk__in=ids, registered_desk=self.desk).order_by("pk"))
        self.rng.shuffle(found)
        return found[:count]

    def _check(self, response, what: str) -> None:
        if response.status_code != 200:
            raise RuntimeError(f"{what}: HTTP {response.status_code}")

    # --- the scenarios ---------------------------------------------------------------------------

    def resident_search(self) -> list[dict]:
        """Search as the intake screen does (the htmx fragment), or through the API without it."""
        page = url("residents:search")
        queries = {"name": [], "bsn": [], "postcode": []}
        for resident in self.residents:
            surname = resident.surname.split(" ")[-1].lower()
            draw = self.rng.random()
            if draw < 0.5:
                queries["name"].append(surname[: max(4, min(len(surname), self.rng.randint(4, 7)))])
            elif draw < 0.75:
                queries["name"].append(f"{resident.given_names.split(' ')[0].lower()} {surname}")
            elif resident.birth_date:
                queries["name"].append(f"{surname} {resident.birth_date:%d-%m-%Y}")
            if resident.bsn:
                queries["bsn"].append(resident.bsn)
            if resident.postcode and resident.house_number:
                queries["postcode"].append(f"{resident.postcode} {resident.house_number}")

        def search(text: str):
            if page:
                response = self.client.post(page, {"q": text}, HTTP_HX_REQUEST="true")
            else:
                response = self.client.post(
                    "/api/residents/search/", {"q": text}, content_type="application/json"
                )
            self._check(response, "resident search")

        results, everything = [], []
        via = "the search page's htmx fragment (POST /inwoners/zoeken/)" if page else "the API"
        for kind, texts in queries.items():
            values = timed(lambda i, texts=texts: search(texts[i % len(texts)]), warmup=self.warmup,
                           iterations=self.iterations)  # fmt: skip
            everything.extend(values)
            results.append(
                metric(f"resident_search_{kind}_p95_ms", "ms", values, f"{kind} queries through {via}")
            )
        results.insert(
            0,
            metric(
                "resident_search_p95_ms",
                "ms",
                everything,
                f"name fragments, BSNs and postcode + house number in equal parts, through {via}; "
                "a fresh query each time",
            ),
        )
        return results

    def question_register(self) -> list[dict]:
        """A contact with one question, through the service (as the intake screen and the API do)."""
        domain = LifeDomain.objects.filter(code="wonen").first()
        residents = self.residents

        def register(i: int):
            intake_register(
                acting_user=self.staff,
                desk=self.desk,
                resident=residents[i % len(residents)],
                contact={
                    "channel": Contact.Channel.PHONE,
                    "started_at": timezone.now(),
                    "duration_minutes": 8,
                },
                questions=[
                    {
                        "question_text": "Ik kan de trap niet meer op.",
                        "clarification": "Slaapkamer boven; zoekt een oplossing.",
                        "urgency": Question.Urgency.NORMAL,
                        "status": Question.Status.CLOSED,
                        "outcome": Question.Outcome.INFORMATION,
                        "answer": "Informatie gegeven over een traplift.",
                        "domains": [domain] if domain else [],
                    }
                ],
            )

        with CaptureQueriesContext(connection) as queries:
            register(0)
        values = timed(register, warmup=self.warmup, iterations=self.iterations)
        return [
            metric(
                "question_register_p95_ms",
                "ms",
                values,
                "intake_register with one question, committed (each call is its own transaction)",
                queries=len(queries.captured_queries),
                query_budget=QUERY_BUDGET["question_register_p95_ms"],
            )
        ]

    def _long_stories(self, count: int) -> list[Resident]:
        """Residents with at least TIMELINE_ITEMS entries on their timeline."""
        candidates = list(
            Contact.objects.filter(desk=self.desk, resident__isnull=False)
            .values("resident")
            .annotate(n=Count("pk"))
            .filter(n__gte=TIMELINE_ITEMS // 3)
            .order_by("-n")
            .values_list("resident", flat=True)[: count * 3]
        )
        residents = []
        for resident in Resident.objects.filter(pk__in=candidates):
            page = resident_timeline(
                viewer=self.staff, resident=resident, page=2, page_size=TIMELINE_ITEMS // 2
            )
            if page.has_next or len(page.entries) == TIMELINE_ITEMS // 2:
                residents.append(resident)
        self.rng.shuffle(residents)
        return residents[:count]

    def timeline(self) -> list[dict]:
        residents = self._long_stories(100)
        if not residents:
            return []
        detail = url("residents:detail", residents[0].pk)

        def show(i: int):
            resident = residents[(i // 2) % len(residents)]
            if detail:
                response = self.client.get(url("residents:detail", resident.pk), {"pagina": i % 2 + 1})
                self._check(response, "resident page")
            else:
                list(
                    resident_timeline(viewer=self.staff, resident=resident, page_size=TIMELINE_ITEMS).entries
                )

        values = timed(show, warmup=self.warmup, iterations=self.iterations)
        note = (
            "the resident page (GET /inwoners/<pk>/, full page), pages 1 and 2 in turn: the "
            f"{TIMELINE_ITEMS} newest items of residents with at least {TIMELINE_ITEMS} "
            f"({len(residents)} residents)"
            if detail
            else f"resident_timeline selector, {TIMELINE_ITEMS} items: the resident page does not exist yet"
        )
        return [metric("timeline_p95_ms", "ms", values, note)]

    def access_log_overhead(self) -> list[dict]:
        """What the access-log row adds to the resident page.

        Measured two ways. First, the cost of the row itself: the time the page spends in
        ``access_log_read`` (the INSERT) plus what the row adds to the commit. On PostgreSQL a
        page runs in one transaction (``RequestTransactionMiddleware``) that commits at its end;
        with the row that commit waits for the write-ahead log to reach the disk, without it the
        transaction wrote nothing and its commit costs next to nothing. So each iteration counts
        its INSERT plus its commit minus the median commit of the pages without the row (in
        autocommit, as on SQLite, the INSERT's own commit is inside the call). Second, the page's
        median with minus without the call, in turn so drift cancels out (noisier: the page
        itself varies).
        """
        import schakelpunt.residents.views as resident_views

        residents = self.residents[:200]
        if not url("residents:detail", residents[0].pk):
            return []
        real = resident_views.access_log_read
        inside: list[float] = []
        commits: list[float] = []

        def measured(**kwargs):
            started = time.perf_counter()
            try:
                return real(**kwargs)
            finally:
                inside.append((time.perf_counter() - started) * 1000)

        backend = type(connections["default"])  # `connection` is a proxy to it
        real_commit = backend._commit

        def timed_commit(wrapper):
            started = time.perf_counter()
            try:
                return real_commit(wrapper)
            finally:
                commits.append((time.perf_counter() - started) * 1000)

        def show(resident) -> tuple[float, float]:
            """The page's milliseconds and those of its commits."""
            commits.clear()
            started = time.perf_counter()
            with mock.patch.object(backend, "_commit", timed_commit):
                response = self.client.get(url("residents:detail", resident.pk))
            elapsed = (time.perf_counter() - started) * 1000
            self._check(response, "resident page")
            return elapsed, sum(commits)

        for i in range(self.warmup):
            show(residents[i % len(residents)])
        with_log, without_log, commit_with, commit_without = [], [], [], []
        for i in range(self.iterations):
            resident = residents[i % len(residents)]
            with mock.patch.object(resident_views, "access_log_read", measured):
                page, commit = show(resident)
                with_log.append(page)
                commit_with.append(commit)
            with mock.patch.object(resident_views, "access_log_read", lambda **kwargs: None):
                page, commit = show(resident)
                without_log.append(page)
                commit_without.append(commit)
        difference = percentile(with_log, 0.5) - percentile(without_log, 0.5)
        baseline = percentile(commit_without, 0.5)
        costs = [insert + commit - baseline for insert, commit in zip(inside, commit_with, strict=True)]
        return [
            metric(
                "access_log_overhead_ms",
                "ms",
                costs,
                "what the access-log row costs the resident page: its INSERT, timed inside the request, "
                "plus the page's commit minus the median commit of the page without the row "
                f"(INSERT p50 {percentile(inside, 0.5):.2f} ms, commit with the row p50 "
                f"{percentile(commit_with, 0.5):.2f} ms, without {baseline:.2f} ms); the page's median "
                f"with minus without the row: {difference:.2f} ms",
                page_difference_p50=round(difference, 3),
            ),
            metric("resident_page_p95_ms", "ms", with_log, "the resident page (first page of the timeline)"),
        ]

    def who_accessed(self) -> list[dict]:
        """All access-log rows about one resident: as object, and on their behalf."""
        residents = self.residents[:300]

        def rows_about(i: int):
            resident = residents[i % len(residents)]
            return list(
                AccessLog.objects.visible_to(self.privacy)
                .filter(
                    Q(object_type="residents.resident", object_id=str(resident.pk))
                    | Q(on_behalf_of=f"residents.resident#{resident.pk}")
                )
                .select_related("organisation")
                .order_by("-timestamp", "-id")
            )

        counts = [len(rows_about(i)) for i in range(min(50, len(residents)))]
        values = timed(rows_about, warmup=self.warmup, iterations=self.iterations)
        results = [
            metric(
                "who_accessed_p95_ms",
                "ms",
                values,
                f"every row about one resident (as object or on their behalf), {statistics.mean(counts):.0f} "
                f"rows on average, through the ORM with the privacy officer's visibility: the access-log "
                f"page cannot filter on 'on behalf of' yet; about {access_log_size():,} rows in the log",
            )
        ]
        page = url("audit:log")
        if page:
            client = self._client(self.privacy)

            def show(i: int):
                resident = residents[i % len(residents)]
                response = client.get(page, {"object_type": "residents.resident", "object_id": resident.pk})
                self._check(response, "access-log page")

            values = timed(show, warmup=self.warmup, iterations=self.iterations)
            results.append(
                metric(
                    "who_accessed_page_p95_ms",
                    "ms",
                    values,
                    "the access-log page filtered on one resident as object (first page, keyset pagination)",
                )
            )
            results.append(self._access_log_filters(client, page))
        return results

    def _access_log_filters(self, client: Client, page: str) -> dict:
        """The access-log page with the privacy officer's other questions, in turn."""
        staff = list(front_office().values_list("username", flat=True)[:50])
        newest = AccessLog.objects.order_by("-id").values_list("timestamp", flat=True).first()
        newest = timezone.localdate(newest) if newest else timezone.localdate()
        ends = [newest - datetime.timedelta(days=30 * n) for n in range(1, 25)]
        months = [{"date_from": end.replace(day=1), "date_to": end} for end in ends]
        questions = [
            lambda i: {"username": staff[i % len(staff)]},
            lambda i: months[i % len(months)],
            lambda i: {"username": staff[i % len(staff)], "date_from": months[i % len(months)]["date_from"]},
            lambda i: {"result": AccessLog.Result.REFUSED},
            lambda i: {"action": AccessLog.Action.EXPORT},
        ]

        def show(i: int):
            response = client.get(page, questions[i % len(questions)](i // len(questions)))
            self._check(response, "access-log page")

        values = timed(show, warmup=self.warmup, iterations=self.iterations)
        return metric(
            "access_log_filters_p95_ms",
            "ms",
            values,
            "the access-log page with, in turn: one employee's rows, a month in the past, one "
            "employee since a month in the past, every refused access, every export (first page)",
        )

    def work_list(self) -> list[dict]:
        page = url("contacts:work")
        if not page:
            return []
        lists = ["mijn-vragen", "mijn-opvolgingen", "loket", "vandaag-afgesloten"]

        def show(i: int):
            response = self.client.get(page, {"lijst": lists[i % len(lists)]})
            self._check(response, "work list")

        values = timed(show, warmup=self.warmup, iterations=self.iterations)
        open_questions = Question.objects.open().filter(contact__desk=self.desk).count()
        return [
            metric(
                "work_list_p95_ms",
                "ms",
                values,
                f"the work lists (GET /werklijst/, its four tabs in turn) of a front-office employee; "
                f"{open_questions:,} open questions at the desk",
            )
        ]

    def directory(self) -> list[dict]:
        """hsds_import_10k_s and directory_search_p95_ms: see bench/directory.py."""
        from bench.directory import directory_scenarios

        return directory_scenarios(iterations=self.iterations, warmup=self.warmup, metric=metric, timed=timed)

    def referral_inbox(self) -> list[dict]:
        """referral_inbox_p95_ms: see bench/referrals.py."""
        from bench.referrals import referral_inbox

        return referral_inbox(
            staff=self.staff, iterations=self.iterations, warmup=self.warmup, metric=metric, timed=timed
        )

    def dashboard_year(self) -> list[dict]:
        """dashboard_year_ms: see bench/insights.py."""
        from bench.insights import dashboard_year

        return dashboard_year(
            staff=self.staff, iterations=self.iterations, warmup=self.warmup, metric=metric, timed=timed
        )

    def quality_scan(self) -> list[dict]:
        """quality_scan_ms: see bench/insights.py."""
        from bench.insights import quality_scan

        return quality_scan(
            staff=self.staff, iterations=self.iterations, warmup=self.warmup, metric=metric, timed=timed
        )

    def reach(self) -> list[dict]:
        """reach_ms: see bench/insights.py."""
        from bench.insights import reach

        return reach(
            staff=self.staff, iterations=self.iterations, warmup=self.warmup, metric=metric, timed=timed
        )

    def brp_changes(self) -> list[dict]:
        """brp_changes_per_s: see bench/referrals.py (100,000 changes, one per resident)."""
        from bench.referrals import brp_changes

        return brp_changes(changes=BRP_CHANGES, metric=metric)

    def run(self, only: list[str] | None = None) -> list[dict]:
        """All scenarios, or ``only`` these (by method name, e.g. ``brp_changes``)."""
        scenarios = [
            self.resident_search,
            self.question_register,
            self.timeline,
            self.access_log_overhead,
            self.who_accessed,
            self.work_list,
            self.directory,
            self.referral_inbox,
            self.dashboard_year,
            self.quality_scan,
            self.reach,
            self.brp_changes,
        ]
        unknown = set(only or []) - {scenario.__name__ for scenario in scenarios}
        if unknown:
            sys.exit(f"Unknown scenarios: {', '.join(sorted(unknown))}.")
        # The roles as the code has them now: data generated before a capability landed lacks
        # its permissions (loading the fixture again is idempotent).
        call_command("loaddata", "roles", verbosity=0)
        results = []
        for scenario in scenarios:
            if only and scenario.__name__ not in only:
                continue
            started = time.monotonic()
            found = scenario()
            print(f"  {scenario.__name__}: {time.monotonic() - started:.0f} s", file=sys.stderr)
            results.extend(found)
        return results


def sessions(count: int) -> dict[str, Any]:
    """Logged-in sessions of generated staff and sample inputs, for the mixed load."""
    rng = random.Random(2)  # noqa: S311 - sample inputs, not secrets
    staff = list(front_office()[:count])
    cookies = []
    for user in staff:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        cookies.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    bench = Bench(iterations=0, warmup=0, seed=3)
    residents = bench.residents
    questions = list(Question.objects.filter(resident__in=residents[:200]).values_list("pk", flat=True)[:400])
    return {
        "cookies": cookies,
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        "desk": bench.desk.pk,
        "queries": [r.surname.split(" ")[-1][:5].lower() for r in residents[:200]]
        + [f"{r.postcode} {r.house_number}" for r in residents[200:300] if r.postcode],
        "residents": [r.pk for r in residents],
        "questions": questions,
        "seed": rng.random(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--out", help="Write the metrics here as JSON (default: standard output).")
    parser.add_argument("--sessions", type=int, help="Print N logged-in sessions for the mixed load instead.")
    parser.add_argument("--only", help="Run only these scenarios (comma-separated, e.g. brp_changes).")
    args = parser.parse_args()
    if args.sessions:
        print(json.dumps(sessions(args.sessions)))
        return
    started = datetime.datetime.now()
    only = args.only.split(",") if args.only else None
    results = Bench(iterations=args.iterations, warmup=args.warmup).run(only)
    print(f"  scenarios: {(datetime.datetime.now() - started).seconds} s", file=sys.stderr)
    text = json.dumps(results, indent=2)
    if args.out:
        with open(args.out, "w") as handle:
            handle.write(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
