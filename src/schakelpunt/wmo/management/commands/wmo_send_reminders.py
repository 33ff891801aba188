from django.core.management.base import BaseCommand

from schakelpunt.wmo.services import wmo_reports_send_reminders
from schakelpunt.wmo.tasks import send_reminders


class Command(BaseCommand):
    help = (
        "Daily: remind consultants by e-mail WMO_REMINDER_DAYS days before each statutory Wmo "
        "deadline (personal plan, investigation, decision), and tell them once when the deadline "
        "has passed. Run it from cron or a timer, or with --enqueue hand it to the task worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue it as a task instead of running it now."
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = send_reminders.enqueue()
            self.stdout.write(f"Taak in de wachtrij: {result.id}")
            return
        counts = wmo_reports_send_reminders()
        self.stdout.write(
            "Meldingen met een termijn in zicht: {candidates}; herinnerd: {reminded}; "
            "termijn verstreken: {overdue}".format(**counts)
        )
