"""Demo data of insights: nothing of its own, but the summary tables of the demo's contacts,
questions and referrals, so the dashboards show figures at once (load after referrals)."""

from schakelpunt.insights.services import summaries_refresh


def load(*, rng, fake, stdout) -> None:
    counts = summaries_refresh()
    stdout.write(f"Inzicht: cijfers berekend voor {counts['months']} maanden.\n")
