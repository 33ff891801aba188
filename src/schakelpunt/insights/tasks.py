"""Background work of insights: the daily refresh of the summary tables, and long exports."""

import datetime

from django.tasks import task

from schakelpunt.insights.jobs import export_job_run
from schakelpunt.insights.services import summaries_refresh


@task
def refresh_summaries(since: str | None = None) -> dict[str, int]:
    """Rebuild the months that changed (or every month from ``since``, an ISO date)."""
    return summaries_refresh(since=datetime.date.fromisoformat(since) if since else None)


@task
def build_export(job_id: int) -> dict[str, object]:
    """Build a long export (annual report, all tables) and record its progress on the job."""
    job = export_job_run(job_id=job_id)
    return {"job": job_id, "status": job.status if job else "missing"}
