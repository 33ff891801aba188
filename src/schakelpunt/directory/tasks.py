"""Background work of the social map, run daily (see docs/admin-guide.md)."""

from django.tasks import task

from schakelpunt.directory.services import stale_reminders_send


@task
def remind_stale() -> dict[str, int]:
    """Mail organisations whose services are to be checked (at most once per interval)."""
    return stale_reminders_send()
