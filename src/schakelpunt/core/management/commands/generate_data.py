"""Generate a synthetic city for benchmarks (never in production). See docs/performance.md."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from schakelpunt.core.synthetic import SCALES, generate


class Command(BaseCommand):
    help = (
        "Add synthetic residents, contacts, questions, referrals, Wmo reports and access-log rows "
        "(on the demo's social map) at any scale, with the demo's distributions: "
        "--scale small|medium|large, or --residents N --years Y. "
        "COPY on PostgreSQL. Never in production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", choices=sorted(SCALES), help="A preset; the options below override it."
        )
        parser.add_argument("--residents", type=int, help="Number of residents.")
        parser.add_argument("--years", type=int, help="Years of contacts, up to today.")
        parser.add_argument(
            "--contacts-per-resident", type=float, help="Contacts per resident on average (default 5)."
        )
        parser.add_argument(
            "--access-log-per-resident", type=float, help="Access-log rows per resident (default 50)."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Seed: the same seed gives the same city.")
        parser.add_argument(
            "--batch-rows", type=int, default=250_000, help="Rows written per transaction (about)."
        )
        parser.add_argument(
            "--processes",
            type=int,
            help="PostgreSQL: generate in this many processes at once (default: one per core, at most "
            "four, from 50,000 residents on).",
        )
        parser.add_argument(
            "--defer-indexes",
            choices=["auto", "yes", "no"],
            default="auto",
            help="PostgreSQL: drop and rebuild indexes and foreign keys around the load "
            "(auto: from 50,000 residents on).",
        )

    def handle(self, *args, scale=None, **options):
        if settings.ENVIRONMENT == "production":
            raise CommandError("Synthetic data is refused under production settings.")
        preset = SCALES[scale] if scale else SCALES["small"]
        if scale is None and options["residents"] is None:
            raise CommandError("Give --scale or --residents.")
        defer = {"auto": None, "yes": True, "no": False}[options["defer_indexes"]]
        started = time.monotonic()
        counts = generate(
            residents=options["residents"] or preset.residents,
            years=options["years"] or preset.years,
            seed=options["seed"],
            contacts_per_resident=options["contacts_per_resident"] or preset.contacts_per_resident,
            access_log_per_resident=options["access_log_per_resident"] or preset.access_log_per_resident,
            batch_rows=options["batch_rows"],
            defer_indexes=defer,
            processes=options["processes"],
            log=lambda line: self.stdout.write(line),
        )
        seconds = time.monotonic() - started
        self.stdout.write(f"Done in {seconds:.0f} s: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
