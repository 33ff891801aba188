"""Load the demo data of every app, idempotently: running it twice changes nothing."""

import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

# Each app that has demo data offers ``<app>.demo.load(*, rng, fake, stdout)``; order matters.
DEMO_LOADERS = [
    "schakelpunt.organisations.demo.load",
    "schakelpunt.accounts.demo.load",
    "schakelpunt.directory.demo.load",
    "schakelpunt.residents.demo.load",
    "schakelpunt.contacts.demo.load",
    "schakelpunt.referrals.demo.load",
    "schakelpunt.signalling.demo.load",
    "schakelpunt.wmo.demo.load",
    "schakelpunt.insights.demo_quality.load",  # population figures, self-assessments
    "schakelpunt.insights.demo.load",  # last: the summary tables over everything above
]


class Command(BaseCommand):
    help = (
        "Load the demo region, desks, organisations, one user per role, and a year of residents, "
        "contacts and questions at the Enschede desk (never in production)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Seed for the fake data.")

    def handle(self, *args, seed: int, **options):
        if settings.ENVIRONMENT == "production":
            raise CommandError("Demo data is refused under production settings: its passwords are public.")
        from faker import Faker  # a development dependency, like the demo itself

        rng = random.Random(seed)
        fake = Faker("nl_NL")
        fake.seed_instance(seed)
        with transaction.atomic():
            for path in DEMO_LOADERS:
                import_string(path)(rng=rng, fake=fake, stdout=self.stdout)
