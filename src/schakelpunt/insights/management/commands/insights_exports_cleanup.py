from django.conf import settings
from django.core.management.base import BaseCommand

from schakelpunt.insights.jobs import export_jobs_cleanup


class Command(BaseCommand):
    help = (
        "Daily: remove the files of finished exports (annual report, all tables) older than "
        "INSIGHTS_EXPORT_RETENTION_DAYS, give up on exports no worker made within a day, and remove "
        "stray files in the export folder. The jobs stay listed, as expired. Safe to repeat."
    )

    def handle(self, *args, **options):
        result = export_jobs_cleanup()
        self.stdout.write(
            f"Exports: {result['expired']} verlopen (bestand verwijderd, bewaartermijn "
            f"{settings.INSIGHTS_EXPORT_RETENTION_DAYS} dagen), {result['abandoned']} afgebroken, "
            f"{result['orphans']} losse bestanden verwijderd."
        )
