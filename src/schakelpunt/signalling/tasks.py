"""Background work of signalling, run daily (see docs/subsystems/signalling.md)."""

from django.tasks import task

from schakelpunt.signalling.services import signals_propose


@task
def propose_signals() -> int:
    """Propose signals where unmet needs pile up; returns how many proposals were made."""
    return len(signals_propose())
