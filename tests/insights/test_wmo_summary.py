"""The Wmo section of the dashboards, from the summary tables: equal to ``wmo_figures`` (whose
figures tests/wmo/test_selectors.py checks against hand-computed values) on random but fixed
reports, the small-cell rule for the policy officer, and the nightly refresh moving an
investigation from the month of its deadline to the month it was completed."""

from __future__ import annotations

import datetime
import random

import pytest
import time_machine

from schakelpunt.insights.periods import Period
from schakelpunt.insights.selectors import dashboard
from schakelpunt.insights.services import months_to_refresh, summaries_refresh
from schakelpunt.wmo import deadlines
from schakelpunt.wmo.models import WmoReport
from schakelpunt.wmo.selectors import wmo_figures
from tests.insights.conftest import TODAY
from tests.organisations.factories import DeskFactory, MunicipalityFactory
from tests.residents.factories import ResidentFactory
from tests.wmo.factories import WmoReportFactory

pytestmark = pytest.mark.django_db
S = WmoReport.Status
D = datetime.date
PERIOD = Period(D(2024, 11, 1), D(2025, 6, 1))


def report(*, desk, resident, reported_on, staff, **kwargs) -> WmoReport:
    return WmoReportFactory(
        desk=desk, resident=resident, reported_on=reported_on, registered_by=staff, support_types=[], **kwargs
    )


@pytest.fixture
def wmo_city(today, desk, staff):
    """Sixty-one reports at two desks over eight months, in every phase: not started, in
    investigation (some suspended), completed before or after their deadline, withdrawn.
    Desk A serves Teststad and Buurdorp, desk B Teststad only."""
    rng = random.Random(11)
    teststad = desk.municipalities.get()
    buurdorp = MunicipalityFactory(name="Buurdorp")
    desk.municipalities.add(buurdorp)
    desk_b = DeskFactory(municipalities=[teststad])
    people = [
        ResidentFactory(registered_desk=desk, municipality=rng.choice([teststad, buurdorp]))
        for _ in range(15)
    ]
    today = TODAY.date()
    for _ in range(60):
        reported_on = D(2024, 11, 1) + datetime.timedelta(days=rng.randrange((today - D(2024, 11, 1)).days))
        started = min(reported_on + datetime.timedelta(days=rng.randint(0, 5)), today)
        completed = reported_on + datetime.timedelta(days=rng.randint(10, 70))
        kind = rng.choice(["reported", "investigation", "suspended", "completed", "withdrawn"])
        if kind == "completed" and completed > today:
            kind = "investigation"
        fields: dict = {"status": S.REPORTED}
        if kind in ("investigation", "suspended"):
            fields = {"status": S.INVESTIGATION, "investigation_started_on": started}
            if kind == "suspended":
                fields["suspended_since"] = started
        elif kind == "completed":
            fields = {
                "status": rng.choice([S.CLOSED, S.APPLICATION]),
                "investigation_started_on": started,
                "investigation_completed_on": completed,
                "application_received_on": completed,
            }
        elif kind == "withdrawn":
            fields = {"status": S.WITHDRAWN}
        where = {"desk": rng.choice([desk, desk_b]), "resident": rng.choice(people)}
        report(reported_on=reported_on, staff=staff, **where, **fields)
    # And one completed on the very day of its deadline: in time.
    due = deadlines.investigation_deadline(D(2025, 2, 3))
    report(
        desk=desk, resident=people[0], reported_on=D(2025, 2, 3), staff=staff, status=S.CLOSED,
        investigation_started_on=D(2025, 2, 4), investigation_completed_on=due,
    )  # fmt: skip
    return desk, desk_b, teststad, buurdorp


def shown(board) -> list[tuple]:
    table = board.table("wmo-per-maand")
    return [
        (row.key, row.cell("reports").value, row.cell("assessed").value, row.cell("in_time").value)
        for row in [*table.rows, table.total]
    ]


def counted(months: list[dict]) -> list[tuple]:
    rows = [
        (m["month"].isoformat(), m["reports"], m["investigations_assessed"], m["share_in_time"])
        for m in months
    ]
    assessed = sum(m["investigations_assessed"] for m in months)
    in_time = sum(m["investigations_in_time"] for m in months)
    total = ("total", sum(m["reports"] for m in months), assessed, in_time / assessed if assessed else None)
    return [*rows, total]


def test_the_summary_equals_counting_the_reports(wmo_city, user_for):
    desk, desk_b, teststad, buurdorp = wmo_city
    coordinator = user_for("Coördinator", desks=[desk, desk_b])
    summaries_refresh()
    everything = dashboard(viewer=coordinator, period=PERIOD)
    raw = wmo_figures(viewer=coordinator, start=PERIOD.first, end=PERIOD.last)
    assert shown(everything) == counted(raw)
    totals = shown(everything)[-1]
    assert totals[1] == 61 and 0 < totals[3] < 1  # every report, some late and some in time
    for desks, municipality in (([desk_b], None), ([desk], buurdorp), (None, teststad)):
        board = dashboard(viewer=coordinator, period=PERIOD, desks=desks, municipality=municipality)
        raw = wmo_figures(
            viewer=coordinator, start=PERIOD.first, end=PERIOD.last, desks=desks, municipality=municipality
        )
        assert shown(board) == counted(raw)


def test_the_policy_officer_sees_the_wmo_figures_with_small_cells_hidden(today, desk, staff, user_for):
    teststad = desk.municipalities.get()
    people = [ResidentFactory(registered_desk=desk, municipality=teststad) for _ in range(6)]
    for person in people:  # March: six residents, one report each
        report(desk=desk, resident=person, reported_on=D(2025, 3, 3), staff=staff)
    for person in people[:2]:  # April: two residents, three reports
        report(desk=desk, resident=person, reported_on=D(2025, 4, 7), staff=staff)
    report(desk=desk, resident=people[0], reported_on=D(2025, 4, 8), staff=staff)
    summaries_refresh()
    board = dashboard(viewer=user_for("Beleidsmedewerker"), period=Period(D(2025, 3, 1), D(2025, 4, 1)))
    table = board.table("wmo-per-maand")

    def column(key):
        return [row.cell(key).display() for row in [*table.rows, table.total]]

    # April's reports are about two residents: hidden; March's then too, or April's could be
    # found by subtracting March from the total (nine reports, about six residents: shown).
    assert column("reports") == ["< 5", "< 5", "9"]
    assert table.rows[0].cell("reports").secondary
    # March's six investigations ran past their deadline (14 April) without being completed:
    # assessed in April, all late; about six residents, so shown.
    assert column("assessed") == ["0", "6", "6"]
    assert column("in_time") == ["–", "0%", "0%"]


def test_a_late_investigation_moves_to_the_month_it_was_completed(desk, staff, user_for):
    """Reported on 2 January, due 13 February: on 10 March still running, so late in
    February; completed on 20 April, late in April. The nightly run after the completion
    counts February again, although February is neither this month nor the last."""
    coordinator = user_for("Coördinator")
    resident = ResidentFactory(registered_desk=desk, municipality=desk.municipalities.get())
    with time_machine.travel(datetime.datetime(2025, 3, 10, 12), tick=False):
        late = report(
            desk=desk, resident=resident, reported_on=D(2025, 1, 2), staff=staff,
            status=S.INVESTIGATION, investigation_started_on=D(2025, 1, 3),
        )  # fmt: skip
        assert late.due_investigation == D(2025, 2, 13)
        summaries_refresh()
        assessed = {row.key: row.cell("assessed").value for row in _wmo_rows(coordinator)}
        assert (assessed["2025-02-01"], assessed["2025-04-01"]) == (1, 0)
    with time_machine.travel(datetime.datetime(2025, 5, 12, 12), tick=False):
        late.investigation_completed_on = D(2025, 4, 20)
        late.status = S.CLOSED
        late.save()
        assert D(2025, 2, 1) in months_to_refresh()
        summaries_refresh()
        rows = {row.key: row for row in _wmo_rows(coordinator)}
        assert rows["2025-02-01"].cell("assessed").value == 0
        assert rows["2025-04-01"].cell("assessed").value == 1
        assert rows["2025-04-01"].cell("in_time").value == 0.0


def _wmo_rows(viewer):
    board = dashboard(viewer=viewer, period=Period(D(2025, 1, 1), D(2025, 4, 1)))
    return board.table("wmo-per-maand").rows
