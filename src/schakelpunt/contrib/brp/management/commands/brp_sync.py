"""Run the BRP sync once: ``schakelpunt brp_sync`` (schedule it daily, see docs/subsystems/brp.md)."""

from django.core.management.base import BaseCommand, CommandError

from schakelpunt.contrib.brp.models import SyncRun
from schakelpunt.contrib.brp.services import brp_sync, summary_labels
from schakelpunt.contrib.brp.tasks import brp_sync_task


class Command(BaseCommand):
    help = "Keep follow indications, fetch the register's changes since the last run and apply them."

    def add_arguments(self, parser):
        parser.add_argument("--no-mail", action="store_true", help="Do not mail the summary.")
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue it as a task instead of running it now."
        )

    def handle(self, *args, no_mail, enqueue=False, **options):
        if enqueue:
            result = brp_sync_task.enqueue()
            self.stdout.write(f"Taak in de wachtrij: {result.id}")
            return
        run = brp_sync(notify=not no_mail)
        for key, label in summary_labels():
            if run.counts.get(key):
                self.stdout.write(f"{label}: {run.counts[key]}")
        for error in run.errors:
            self.stderr.write(error)
        if run.status == SyncRun.Status.FAILED:
            raise CommandError("BRP sync failed; see the errors above.")
        self.stdout.write(f"{run.get_status_display()}")
