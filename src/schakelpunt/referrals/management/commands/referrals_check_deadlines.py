from django.core.management.base import BaseCommand

from schakelpunt.referrals.services import referrals_check_deadlines
from schakelpunt.referrals.tasks import check_deadlines


class Command(BaseCommand):
    help = (
        "Daily: mark overdue referrals, mail the partner's team and the referring employee once, "
        "and remind partners the working day before a deadline. Run it from cron or a timer, "
        "or with --enqueue hand it to the task worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue it as a task instead of running it now."
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = check_deadlines.enqueue()
            self.stdout.write(f"Taak in de wachtrij: {result.id}")
            return
        counts = referrals_check_deadlines()
        message = (
            "Over de termijn: {overdue} (nieuw: {newly_overdue}); gemeld: {notified}; herinnerd: {reminded}"
        )
        self.stdout.write(message.format(**counts))
