import datetime

from django.core.management.base import BaseCommand, CommandError

from schakelpunt.insights.services import summaries_refresh
from schakelpunt.insights.tasks import refresh_summaries


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Geen datum: {text!r} (gebruik jjjj-mm-dd).") from None


class Command(BaseCommand):
    help = (
        "Daily: rebuild the summary tables of the dashboards for the months that changed since the "
        "last run (the current and previous month at least; everything on the first run). With "
        "--since DATE every month from that date's month on. Safe to repeat. Run it from cron or a "
        "timer, or with --enqueue hand it to the task worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", type=_date, help="Rebuild every month from this date (jjjj-mm-dd) on.")
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue it as a task instead of running it now."
        )

    def handle(self, *args, since=None, enqueue=False, **options):
        if isinstance(since, str):  # call_command(..., since="2025-01-01") skips the parser
            since = _date(since)
        if enqueue:
            result = refresh_summaries.enqueue(since=since.isoformat() if since else None)
            self.stdout.write(f"Taak in de wachtrij: {result.id}")
            return
        log = self.stdout.write if options["verbosity"] > 1 else None
        counts = summaries_refresh(since=since, log=log)
        self.stdout.write("Cijfers bijgewerkt: {months} maanden, {rows} regels.".format(**counts))
