"""``make bench``: generate the data once per scale, run the scenarios, record the figures.

    python -m bench.run --scale small          # PostgreSQL and SQLite
    python -m bench.run --scale large          # PostgreSQL only
    python -m bench.run --databases postgresql --only brp_changes   # one scenario, nothing appended

For each database: create it if needed, migrate, generate the data unless a marker says this
database already holds this scale, run ``bench.scenarios`` in a fresh process, and on
PostgreSQL the mixed load (gunicorn + locust, loopback only, bounded). Writes
``bench/results/latest.json`` (one object per metric) and appends a table to
``docs/performance.md``. See docs/performance.md for how to read the figures.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DOCS = ROOT / "docs" / "performance.md"
VAR = Path(os.environ.get("SCHAKELPUNT_VAR_DIR", ROOT / "var"))
MARKERS = VAR / "bench"
BIN = Path(sys.executable).parent
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/schakelpunt_bench"
ITERATIONS = {"tiny": 30, "small": 200, "medium": 300, "large": 300}
RESULTS_TABLE_HEADING = "## Results"
# Mixed load: bounded in users and time, against gunicorn on the loopback address only.
LOAD_USERS, LOAD_SECONDS, LOAD_WORKERS = 16, 30, 5
# Before the measured run, the same load for this long, not counted: each worker imports the
# views, compiles its templates and opens its connection on its first requests (about a second
# of processor time each), which is start-up, not the sustained rate.
LOAD_WARMUP_SECONDS = 10
NOT_YET: list[str] = []  # metrics whose capability is not built yet


def log(text: str) -> None:
    print(text, flush=True)


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "describe", "--always", "--dirty", "--abbrev=12"],  # noqa: S607 - git from the PATH
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


# --- databases -------------------------------------------------------------------------------


class Database:
    def __init__(self, label: str, url: str, scale: str):
        self.label, self.url, self.scale = label, url, scale
        self.key = label + "-" + (urllib.parse.urlparse(url).path.strip("/").replace("/", "_") or "db")

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "DATABASE_URL": self.url, "DJANGO_SETTINGS_MODULE": "schakelpunt.conf.base"}

    def create(self) -> None:
        """Create the database if it does not exist."""
        if self.label == "sqlite":
            return
        import psycopg

        parts = urllib.parse.urlparse(self.url)
        name = parts.path.lstrip("/")
        admin = parts._replace(path="/postgres").geturl()
        try:
            conn = psycopg.connect(admin, autocommit=True)
        except psycopg.OperationalError as error:
            raise SystemExit(
                f"PostgreSQL is not reachable at {parts.hostname}:{parts.port or 5432} ({error}). Start it, "
                "or point BENCH_DATABASE_URL at a server where this user may create databases."
            ) from None
        with conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                log(f"Creating database {name}")
                conn.execute(f'CREATE DATABASE "{name}"')

    def drop(self) -> None:
        if self.label == "sqlite":
            path = Path(urllib.parse.urlparse(self.url).path)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            return
        import psycopg

        parts = urllib.parse.urlparse(self.url)
        name = parts.path.lstrip("/")
        with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def residents(self) -> int:
        """Rows in the resident table (0 when it does not exist yet)."""
        try:
            if self.label == "sqlite":
                path = urllib.parse.urlparse(self.url).path
                if not Path(path).exists():
                    return 0
                with sqlite3.connect(path) as conn:
                    return conn.execute("SELECT COUNT(*) FROM residents_resident").fetchone()[0]
            import psycopg

            with psycopg.connect(self.url) as conn:
                return conn.execute("SELECT COUNT(*) FROM residents_resident").fetchone()[0]
        except Exception:
            return 0

    def manage(self, *args: str) -> None:
        subprocess.run([str(BIN / "schakelpunt"), *args], env=self.env, cwd=ROOT, check=True)  # noqa: S603

    @property
    def marker(self) -> Path:
        return MARKERS / f"{self.key}.json"

    def ready(self) -> dict | None:
        """The marker of an earlier generation at this scale, if the database still matches it."""
        if not self.marker.exists():
            return None
        marker = json.loads(self.marker.read_text())
        if marker.get("scale") != self.scale:
            return None
        if self.residents() != marker.get("counts", {}).get("residents_resident"):
            return None
        return marker

    def prepare(self) -> dict:
        """Migrate and, unless this scale is there already, generate. Returns the marker."""
        self.create()
        marker = self.ready()
        if marker is None and self.residents():
            log(f"{self.label}: the database holds other data than scale {self.scale}; starting afresh.")
            self.drop()
            self.create()
        self.manage("migrate", "--no-input", "-v", "0")
        if marker is not None:
            log(
                f"{self.label}: scale {self.scale} generated on {marker['generated_at']}; "
                "not generating again."
            )
            return marker
        log(f"{self.label}: generating scale {self.scale} ...")
        started = time.monotonic()
        with subprocess.Popen(  # noqa: S603 - our own command
            [str(BIN / "schakelpunt"), "generate_data", "--scale", self.scale],
            env=self.env, cwd=ROOT, stdout=subprocess.PIPE, text=True,
        ) as process:  # fmt: skip
            lines = []
            for line in process.stdout:
                lines.append(line.rstrip("\n"))
                log(f"  {lines[-1]}")
        if process.returncode:
            raise SystemExit(f"generate_data failed ({process.returncode})")
        seconds = time.monotonic() - started
        # The first refresh of the dashboards' summary tables, over all the data (the nightly
        # runs after it only count what changed).
        log(f"{self.label}: first refresh of the summary tables (insights_refresh) ...")
        began = time.monotonic()
        self.manage("insights_refresh")
        refresh_seconds = time.monotonic() - began
        counts = {}
        done = lines[-1]
        for part in done.split(": ", 1)[1].split(", "):
            name, value = part.rsplit(" ", 1)
            counts[name] = int(value.replace(",", ""))
        marker = {
            "scale": self.scale,
            "generated_at": datetime.datetime.now().isoformat(timespec="seconds"),
            "seconds": round(seconds),
            "counts": counts,
            "insights_refresh_s": round(refresh_seconds, 1),
            "generated_now": True,
        }
        MARKERS.mkdir(parents=True, exist_ok=True)
        self.marker.write_text(json.dumps({**marker, "generated_now": False}, indent=2))
        return marker


# --- the scenarios ---------------------------------------------------------------------------


def run_scenarios(database: Database, iterations: int, only: str | None = None) -> list[dict]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    try:
        subprocess.run(  # noqa: S603 - our own module
            [sys.executable, "-m", "bench.scenarios", "--iterations", str(iterations), "--out", out,
             *(["--only", only] if only else [])],
            env=database.env, cwd=ROOT, check=True,
        )  # fmt: skip
        return json.loads(Path(out).read_text())
    finally:
        Path(out).unlink(missing_ok=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def mixed_load(database: Database) -> list[dict]:
    """gunicorn on a free loopback port, locust headless against it, both stopped afterwards."""
    locust = BIN / "locust"
    if not locust.exists():
        log("  mixed load skipped: locust is not installed (pip install -e '.[dev]').")
        return []
    data = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", "bench.scenarios", "--sessions", str(LOAD_USERS)],
        env=database.env, cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    (workdir / "data.json").write_text(data)
    env = {
        **database.env,
        "DJANGO_SETTINGS_MODULE": "schakelpunt.conf.base",  # not production: no HTTPS on loopback
        "ALLOWED_HOSTS": "127.0.0.1",
        "BENCH_LOAD_DATA": str(workdir / "data.json"),
    }
    server = subprocess.Popen(  # noqa: S603 - gunicorn from the virtualenv
        [str(BIN / "gunicorn"), "schakelpunt.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(LOAD_WORKERS), "--log-level", "warning"],
        env=env, cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        log(
            f"  mixed load: {LOAD_USERS} users for {LOAD_SECONDS} s against gunicorn "
            f"({LOAD_WORKERS} workers), after {LOAD_WARMUP_SECONDS} s of warm-up ..."
        )
        for seconds, csv_prefix in ((LOAD_WARMUP_SECONDS, "warmup"), (LOAD_SECONDS, "load")):
            subprocess.run(  # noqa: S603 - locust from the virtualenv
                [str(locust), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--only-summary",
                 "--host", f"http://127.0.0.1:{port}", "--users", str(LOAD_USERS),
                 "--spawn-rate", str(LOAD_USERS),
                 "--run-time", f"{seconds}s", "--stop-timeout", "5", "--csv", str(workdir / csv_prefix),
                 "--loglevel", "WARNING"],
                env=env, cwd=ROOT, check=False, timeout=seconds + 60,
            )  # fmt: skip
        with open(workdir / "load_stats.csv", newline="") as handle:
            rows = {row["Name"]: row for row in csv.DictReader(handle)}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(workdir, ignore_errors=True)
    total = rows["Aggregated"]
    requests, failures = int(total["Request Count"]), int(total["Failure Count"])
    note = (
        f"locust, {LOAD_USERS} users without think time for {LOAD_SECONDS} s (after {LOAD_WARMUP_SECONDS} s "
        f"of warm-up), against gunicorn with {LOAD_WORKERS} sync workers on the same two cores as "
        f"PostgreSQL and locust; {requests} requests, {failures} errors; mix: "
        + ", ".join(
            f"{name} {int(row['Request Count'])}" for name, row in rows.items() if name != "Aggregated"
        )
    )
    rps = float(total["Requests/s"])
    return [
        {"name": "mixed_load_rps", "unit": "requests/s", "p50": round(rps, 1), "p95": round(rps, 1),
         "iterations": requests, "errors": failures, "note": note},
        {"name": "mixed_load_p95_ms", "unit": "ms", "p50": float(total["50%"]), "p95": float(total["95%"]),
         "iterations": requests, "errors": failures, "note": note},
    ]  # fmt: skip


# --- reporting -------------------------------------------------------------------------------

TARGETS = {
    "resident_search_p95_ms": ("p95", "<=", 20),
    "question_register_p95_ms": ("p95", "<=", 60),
    "timeline_p95_ms": ("p95", "<=", 100),
    "access_log_overhead_ms": ("p50", "<=", 1),
    "who_accessed_p95_ms": ("p95", "<=", 50),
    "mixed_load_rps": ("p50", ">=", 150),
    "mixed_load_p95_ms": ("p95", "<=", 150),
    "hsds_import_10k_s": ("p50", "<=", 10),
    "directory_search_p95_ms": ("p95", "<=", 20),
    "referral_inbox_p95_ms": ("p95", "<=", 50),
    "brp_changes_per_s": ("p50", ">=", 2000),
    "dashboard_year_ms": ("p95", "<=", 300),
    "quality_scan_ms": ("p95", "<=", 300),
    "reach_ms": ("p95", "<=", 300),
}


def verdict(metric: dict) -> str:
    """Whether a metric meets its target; targets hold for the large scale on PostgreSQL."""
    target = TARGETS.get(metric["name"])
    if target is None:
        return ""
    field, op, bound = target
    value = metric[field]
    met = value <= bound if op == "<=" else value >= bound
    if metric["name"] == "question_register_p95_ms" and metric.get("queries", 0) > metric.get(
        "query_budget", 99
    ):
        met = False
    if metric["name"].startswith("mixed_load") and metric.get("errors"):
        met = False
    label = "met" if met else "NOT met"
    if metric["scale"] != "large" or metric["database"] != "postgresql":
        label += " (target is for large on PostgreSQL)"
    return f"{op} {bound}: {label}"


def table(metrics: list[dict], *, scale: str, commit: str, seconds: dict[str, str]) -> str:
    today = datetime.date.today().isoformat()
    lines = [
        "",
        f"### {today}, scale {scale}, {os.cpu_count()} cores, commit {commit}",
        "",
    ]
    for database, generation in seconds.items():
        lines.append(f"- {database}: {generation}")
    lines += [
        "",
        "| metric | database | p50 | p95 | unit | iterations | target |",
        "|---|---|---:|---:|---|---:|---|",
    ]
    for m in metrics:
        extra = f" ({m['queries']} queries)" if "queries" in m else ""
        lines.append(
            f"| {m['name']}{extra} | {m['database']} | {m['p50']:g} | {m['p95']:g} | {m['unit']} | "
            f"{m['iterations']} | {verdict(m)} |"
        )
    if NOT_YET:
        lines.append("")
        names = ", ".join(f"`{name}`" for name in NOT_YET)
        lines.append(f"Not yet measurable (capability not built): {names}.")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the benchmarks (see docs/performance.md).")
    parser.add_argument("--scale", default=os.environ.get("SCALE") or "small",
                        choices=["tiny", "small", "medium", "large"])  # fmt: skip
    parser.add_argument("--databases", help="postgresql,sqlite (default: both for small, PostgreSQL above)")
    parser.add_argument("--iterations", type=int, help="Timed iterations per scenario.")
    parser.add_argument("--no-mixed-load", action="store_true", help="Skip gunicorn + locust.")
    parser.add_argument("--no-docs", action="store_true", help="Do not append to docs/performance.md.")
    parser.add_argument(
        "--only",
        help="Run only these scenarios (comma-separated names of bench.scenarios, e.g. brp_changes, "
        "or mixed_load for the load test); implies --no-docs, and --no-mixed-load unless mixed_load "
        "is named.",
    )
    args = parser.parse_args()
    # --only mixed_load runs the load test alone (with other names: those scenarios and the load).
    only = args.only.split(",") if args.only else []
    scenarios = ",".join(name for name in only if name != "mixed_load") if only else None
    if args.only:
        args.no_mixed_load = args.no_docs = True
    scale = args.scale
    labels = (args.databases or ("postgresql,sqlite" if scale in ("tiny", "small") else "postgresql")).split(
        ","
    )
    base_url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    if scale != "small":  # each scale has its own database, so a small run never costs the large data
        parts = urllib.parse.urlparse(base_url)
        base_url = parts._replace(path=f"{parts.path}_{scale}").geturl()
    databases = []
    for label in labels:
        if label == "postgresql":
            databases.append(Database("postgresql", base_url, scale))
        elif label == "sqlite":
            VAR.mkdir(parents=True, exist_ok=True)
            databases.append(Database("sqlite", f"sqlite:///{VAR / f'bench-{scale}.sqlite3'}", scale))
        else:
            parser.error(f"unknown database {label}")
    commit = git_commit()
    metrics: list[dict] = []
    generation: dict[str, str] = {}
    for database in databases:
        marker = database.prepare()
        counts = marker["counts"]
        generation[database.label] = (
            f"{counts.get('residents_resident', 0):,} residents, "
            f"{counts.get('contacts_contact', 0):,} contacts, "
            f"{counts.get('contacts_question', 0):,} questions, "
            f"{counts.get('audit_accesslog', 0):,} access-log rows; "
            f"generated in {marker['seconds']} s on {marker['generated_at'][:10]}"
        )
        found = []
        if marker.get("generated_now"):
            found.append(
                {"name": "generate_s", "unit": "s", "p50": marker["seconds"], "p95": marker["seconds"],
                 "iterations": 1, "note": generation[database.label]}
            )  # fmt: skip
            if "insights_refresh_s" in marker:
                found.append(
                    {"name": "insights_refresh_s", "unit": "s", "p50": marker["insights_refresh_s"],
                     "p95": marker["insights_refresh_s"], "iterations": 1,
                     "note": "the first insights_refresh over all the data, right after the generation"}
                )  # fmt: skip
        if scenarios != "":
            log(f"{database.label}: running the scenarios ...")
            found += run_scenarios(database, args.iterations or ITERATIONS[scale], scenarios)
        if database.label == "postgresql" and (not args.no_mixed_load or "mixed_load" in only):
            found += mixed_load(database)
        for m in found:
            m.update(scale=scale, database=database.label, commit=commit)
        metrics += found
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(metrics, indent=2) + "\n"
    (RESULTS / "latest.json").write_text(text)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"{stamp}-{scale}.json").write_text(text)
    report = table(metrics, scale=scale, commit=commit, seconds=generation)
    log(report)
    if not args.no_docs:
        with open(DOCS, "a") as handle:
            handle.write(report)
        log(
            f"Appended to {DOCS.relative_to(ROOT)}; figures in {(RESULTS / 'latest.json').relative_to(ROOT)}."
        )


if __name__ == "__main__":
    main()
