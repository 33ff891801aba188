"""The daily sync as a background task (django-tasks-db); schedule it with cron or a timer."""

from django.tasks import task

from schakelpunt.contrib.brp.services import brp_sync


@task
def brp_sync_task() -> int:
    """Run :func:`brp_sync` once; returns the id of the stored run."""
    return brp_sync().pk
