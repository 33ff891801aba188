"""Synthetic data at city scale, for benchmarks: ``schakelpunt generate_data``.

A whole city's worth of residents, contacts, questions, referrals, Wmo reports and access-log
rows with the distributions of the demo (channels, needs, outcomes, seasons, weekdays, ages), on
the demo's social map, written with COPY on PostgreSQL and executemany on SQLite. See
docs/performance.md.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections

from schakelpunt.contacts.defaults import seed_defaults


@dataclass(frozen=True)
class Scale:
    residents: int
    years: int
    contacts_per_resident: float = 5.0
    access_log_per_resident: float = 50.0


# The design dataset (docs/performance.md): a million residents, five million contacts and
# fifty million access-log rows; the smaller ones keep the same proportions.
SCALES = {
    "tiny": Scale(residents=300, years=1),
    "small": Scale(residents=10_000, years=3),
    "medium": Scale(residents=100_000, years=5),
    "large": Scale(residents=1_000_000, years=5),
}
# From this many residents on, PostgreSQL loads run without secondary indexes and foreign
# keys, which are rebuilt at the end (several times faster than keeping them up to date).
DEFER_INDEXES_FROM = 50_000


class _Lines:
    """A ``stdout`` for the demo loaders that forwards to ``log``."""

    def __init__(self, log: Callable[[str], None]):
        self.log = log

    def write(self, text: str) -> None:
        for line in text.strip("\n").splitlines():
            self.log(line)


def generate(
    *,
    residents: int,
    years: int,
    seed: int = 2026,
    contacts_per_resident: float = 5.0,
    access_log_per_resident: float = 50.0,
    batch_rows: int = 250_000,
    defer_indexes: bool | None = None,
    processes: int | None = None,
    log: Callable[[str], None] = print,
) -> dict[str, int]:
    """Add a synthetic city to the database; returns the rows written per table and the seconds taken.

    Adds to what is there (run it on an empty database for a clean data set). Never under
    production settings. A large load on PostgreSQL is split over ``processes`` (default: one
    per core, at most four): each part makes its share of the residents and their contacts with
    its own chances and its own block of ids, and the parts write at the same time.
    """
    if settings.ENVIRONMENT == "production":
        raise RuntimeError("Synthetic data is refused under production settings.")
    if residents < 1 or years < 1:
        raise ValueError("Give at least one resident and one year.")
    from faker import Faker  # a development dependency, like the demo itself

    from schakelpunt.core.synthetic.generator import Generator
    from schakelpunt.directory import demo as directory_demo
    from schakelpunt.organisations import demo as organisations_demo

    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    # The region, its desks and organisations, as in the demo; the roles and the taxonomies.
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    organisations_demo.load(rng=rng, fake=fake, stdout=_Lines(log))
    call_command("loaddata", "roles", verbosity=0)
    seed_defaults()
    # The social map: the demo's few hundred services in HSDS shape, of the partners that receive
    # the referrals and of other local providers, with the Dutch taxonomy (fixed ids: idempotent).
    directory_demo.load(rng=rng, fake=fake, stdout=_Lines(log))
    large = connection.vendor == "postgresql" and residents >= DEFER_INDEXES_FROM
    if defer_indexes is None:
        defer_indexes = large
    if processes is None:
        processes = min(os.cpu_count() or 1, 4) if large else 1
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        processes = 1  # SQLite has one writer; a caller's transaction is one connection
    options = {
        "residents": residents,
        "years": years,
        "seed": seed,
        "contacts_per_resident": contacts_per_resident,
        "access_log_per_resident": access_log_per_resident,
        "batch_rows": batch_rows,
        "log": log,
    }
    if processes <= 1:
        return Generator(**options, defer_indexes=defer_indexes).run()
    return _in_parts(options, processes=processes, defer_indexes=defer_indexes)


def _in_parts(options: dict, *, processes: int, defer_indexes: bool) -> dict[str, int]:
    """Prepare here, let ``processes`` forked parts generate, then rebuild and analyse here."""
    from schakelpunt.core.synthetic.generator import Generator

    started = time.monotonic()
    log = options["log"]
    parent = Generator(**options, defer_indexes=defer_indexes, shards=processes)
    parent.prepare()
    blocks = parent.id_blocks()
    parent.writer.prepare_database()
    connections.close_all()  # every part opens its own connections
    context = multiprocessing.get_context("fork")
    results = context.Queue()

    def part(number: int) -> None:
        def part_log(line: str) -> None:
            log(line if line.startswith("Generating") else f"[{number + 1}/{processes}] {line.strip()}")

        try:
            generator = Generator(
                **{**options, "log": part_log}, defer_indexes=False, shard=number, shards=processes
            )
            generator.writer.repair = False  # the parent repaired and deferred
            generator.prepare()
            generator.use_id_blocks(blocks)
            generator.simulate()
            results.put(("done", generator.counts()))
        except BaseException as error:
            results.put(("failed", f"{type(error).__name__}: {error}"))
            raise
        finally:
            connections.close_all()

    workers = [context.Process(target=part, args=(number,)) for number in range(processes)]
    for worker in workers:
        worker.start()
    messages = [results.get() for _worker in workers]
    for worker in workers:
        worker.join()
    failures = [detail for outcome, detail in messages if outcome == "failed"]
    if failures:
        raise RuntimeError(f"a part of the generation failed: {failures}")
    counts = [detail for _outcome, detail in messages]
    written = {}
    for part_counts in counts:
        for name, value in part_counts.items():
            if name != "seconds":
                written[name] = written.get(name, 0) + value
    for table in parent.writer.tables:
        table.written = written.get(table.name, 0)
    log("Rebuilding indexes and statistics ...")
    parent.writer.finish()
    written["seconds"] = round(time.monotonic() - started)
    return written
