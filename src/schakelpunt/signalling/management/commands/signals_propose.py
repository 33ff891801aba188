from django.conf import settings
from django.core.management.base import BaseCommand

from schakelpunt.signalling.services import signals_propose
from schakelpunt.signalling.tasks import propose_signals


class Command(BaseCommand):
    help = (
        "Daily: propose a signal wherever unmet needs with the same life domain and reason pile up "
        "in one district (SIGNALLING_PROPOSAL_THRESHOLD questions within "
        "SIGNALLING_PROPOSAL_PERIOD_DAYS days), counting only unmet needs that no signal counts "
        "yet. Running it twice proposes nothing new. Run it from cron or a timer, or with "
        "--enqueue hand it to the task worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue it as a task instead of running it now."
        )
        parser.add_argument("--threshold", type=int, help="Override SIGNALLING_PROPOSAL_THRESHOLD once.")
        parser.add_argument("--days", type=int, help="Override SIGNALLING_PROPOSAL_PERIOD_DAYS once.")

    def handle(self, *args, enqueue=False, threshold=None, days=None, **options):
        if enqueue:
            result = propose_signals.enqueue()
            self.stdout.write(f"Taak in de wachtrij: {result.id}")
            return
        proposals = signals_propose(threshold=threshold, period_days=days)
        self.stdout.write(
            f"Nieuwe voorstellen: {len(proposals)} (drempel "
            f"{threshold or settings.SIGNALLING_PROPOSAL_THRESHOLD} in "
            f"{days or settings.SIGNALLING_PROPOSAL_PERIOD_DAYS} dagen)"
        )
        for signal in proposals:
            self.stdout.write(f"  {signal.pk}: {signal.title} ({signal.desk.name})")
