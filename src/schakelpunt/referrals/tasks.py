"""Background work of referrals, run daily (see docs/subsystems/referrals.md)."""

from django.tasks import task

from schakelpunt.referrals.services import referrals_check_deadlines


@task
def check_deadlines() -> dict[str, int]:
    """Mark overdue referrals, tell partners and referring employees, remind before deadlines."""
    return referrals_check_deadlines()
