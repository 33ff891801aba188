"""Background work of Wmo reports, run daily (see docs/subsystems/wmo.md)."""

from django.tasks import task

from schakelpunt.wmo.services import wmo_reports_send_reminders


@task
def send_reminders() -> dict[str, int]:
    """Remind consultants before each statutory deadline and once when it has passed."""
    return wmo_reports_send_reminders()
