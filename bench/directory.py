"""Benchmarks of the social map: ``hsds_import_10k_s`` and ``directory_search_p95_ms``.

Ten thousand generated Dutch services (``directory.hsds.synthetic``) are written to a JSON file
and imported through the import the command uses (``hsds_import``), timed once, from reading the
file to the refreshed search text. Then the desk's search selector (``directory.selectors``:
``service_search`` and ``service_page``, what the desk's search page calls) answers queries over
them: single words, two words, a typo, a prefix as typed, and a word with the free-of-charge
and capacity filters. Everything happens inside one transaction that is rolled back at the end,
so the benchmark database is left as it was and every run measures a first import.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

from django.db import transaction

from schakelpunt.directory.hsds.importer import hsds_import
from schakelpunt.directory.hsds.synthetic import service_documents

SERVICES = 10_000
QUERIES = [
    {"query": "schuldhulp"},
    {"query": "maaltijd"},
    {"query": "mantelzorg ondersteuning"},
    {"query": "woningaanpasing"},  # a typo
    {"query": "dagbest"},  # typed so far
    {"query": "vervoer ziekenhuis"},
    {"query": "taalcafe"},
    {"query": "hulp", "free": True},
    {"query": "jongeren", "has_capacity": True},
    {"query": "formulieren hengelo"},
]


def directory_scenarios(*, iterations: int, warmup: int, metric, timed) -> list[dict[str, Any]]:
    from schakelpunt.directory.selectors import service_page, service_search

    documents = list(service_documents(SERVICES, seed=11))
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "diensten.json"
        path.write_text(json.dumps(documents), encoding="utf-8")
        with transaction.atomic():
            started = time.perf_counter()
            imported = hsds_import(path=path)
            seconds = time.perf_counter() - started
            if not imported.ok:
                raise RuntimeError(f"import failed: {imported.errors[:3]}")
            records = sum(imported.created.values())
            results.append(
                metric(
                    "hsds_import_10k_s",
                    "s",
                    [seconds],
                    f"import_hsds of {SERVICES:,} generated services in one JSON file "
                    f"({records:,} records: organisations, locations, addresses, schedules, phones, "
                    "areas, languages, terms, capacity), history and search text included; "
                    "a first import, rolled back afterwards",
                )
            )
            # No ANALYZE here: the import itself refreshes the statistics and the search
            # indexes after a large import (importer._after_bulk_write), as in production.

            def search(i: int) -> None:
                filters = QUERIES[i % len(QUERIES)]
                page = service_page(service_search(**filters), page=1)
                if not page.services and "free" not in filters and "has_capacity" not in filters:
                    raise RuntimeError(f"no results for {filters}")

            values = timed(search, warmup=warmup, iterations=iterations)
            results.append(
                metric(
                    "directory_search_p95_ms",
                    "ms",
                    values,
                    f"the desk's search (service_search + service_page, first page) over "
                    f"{SERVICES:,} generated services: words, a typo, a prefix, filters",
                )
            )
            transaction.set_rollback(True)  # measured, not kept
    return results
