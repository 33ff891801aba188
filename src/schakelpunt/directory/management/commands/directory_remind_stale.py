from django.core.management.base import BaseCommand

from schakelpunt.directory.services import stale_reminders_send
from schakelpunt.directory.tasks import remind_stale


class Command(BaseCommand):
    help = (
        "Daily: mail each organisation on the social map the list of its services whose details "
        "were not confirmed within DIRECTORY_STALE_AFTER_DAYS, at most once per "
        "DIRECTORY_REMINDER_INTERVAL_DAYS. Run it from cron or a timer, or with --enqueue hand "
        "it to the task worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue it as a task instead of running it now."
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = remind_stale.enqueue()
            self.stdout.write(f"Taak in de wachtrij: {result.id}")
            return
        counts = stale_reminders_send()
        message = (
            "Herinnerd: {mailed} organisatie(s); onlangs al herinnerd: {skipped}; "
            "zonder e-mailadres: {no_address}"
        )
        self.stdout.write(message.format(**counts))
