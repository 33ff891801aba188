"""The small-cell rule and the building blocks of the figures, without a database."""

import datetime

import pytest

from schakelpunt.insights import definitions as d
from schakelpunt.insights.periods import Period, parse_month
from schakelpunt.insights.tables import COUNT, PERCENT, Cell, Column, Row, Table


def table(counts: dict[str, tuple[int, int]], total: tuple[int, int] | None = None) -> Table:
    """A one-column table: {row key: (count, persons)}."""
    rows = [Row(key, key, {"n": Cell(count, COUNT, persons)}) for key, (count, persons) in counts.items()]
    total_row = Row("total", "Totaal", {"n": Cell(total[0], COUNT, total[1])}) if total else None
    return Table("t", "T", "Wat", [Column("n", "Aantal")], rows, total_row)


def shown(t: Table) -> dict[str, str]:
    return {row.key: row.cell("n").display() for row in [*t.rows, *([t.total] if t.total else [])]}


def test_nothing_is_hidden_without_small_cells():
    t = table({"a": (10, 8), "b": (6, 5)}, (16, 13)).suppress()
    assert shown(t) == {"a": "10", "b": "6", "total": "16"}
    assert not t.has_hidden_cells


def test_a_small_cell_shows_less_than_five():
    # Counted by persons, not by rows: 7 contacts of 3 residents is small.
    t = table({"a": (7, 3), "b": (9, 6), "c": (8, 7)}, (24, 16)).suppress()
    assert shown(t)["a"] == "< 5"


def test_the_subtraction_case_hides_a_second_cell():
    # With the total known, a lone hidden cell would be 20 - 6 - 10 = 4. So the smallest other
    # cell is hidden too; the two hidden cells together (4 + 6) do not tell either one.
    t = table({"a": (10, 10), "b": (4, 4), "c": (6, 6)}, (20, 20)).suppress()
    assert shown(t) == {"a": "10", "b": "< 5", "c": "< 5", "total": "20"}
    assert t.rows[2].cell("n").secondary and not t.rows[1].cell("n").secondary


def test_two_small_cells_need_no_second_round():
    t = table({"a": (10, 10), "b": (2, 2), "c": (3, 3)}, (15, 15)).suppress()
    assert shown(t) == {"a": "10", "b": "< 5", "c": "< 5", "total": "15"}


def test_with_nothing_else_to_hide_the_total_goes():
    # One hidden cell and only zeros besides it: the total would tell; hide the total.
    t = table({"a": (3, 3), "b": (0, 0)}, (3, 3)).suppress()
    assert shown(t) == {"a": "< 5", "b": "0", "total": "< 5"}
    t = table({"a": (3, 3), "b": (0, 0)}, (9, 6)).suppress()  # (the total counts more, elsewhere)
    assert shown(t)["total"] == "< 5"


def test_a_zero_is_about_nobody_and_is_shown():
    t = table({"a": (0, 0), "b": (12, 9)}, (12, 9)).suppress()
    assert shown(t) == {"a": "0", "b": "12", "total": "12"}


def test_columns_that_do_not_add_up_are_not_protected_by_subtraction():
    t = Table(
        "t",
        "T",
        "Wat",
        [Column("n", "Aantal", additive=False)],
        [Row("a", "a", {"n": Cell(3, COUNT, 3)}), Row("b", "b", {"n": Cell(50, COUNT, 40)})],
    ).suppress()
    assert [row.cell("n").display() for row in t.rows] == ["< 5", "50"]


def test_rates_and_exports_show_the_same_as_the_page():
    rate = Cell(0.5, PERCENT, 2)
    t = Table("t", "T", "Wat", [Column("r", "Rate", PERCENT, additive=False)], [Row("a", "a", {"r": rate})])
    assert rate.display() == "50%" and rate.export_value() == 50.0 and rate.chart_value() == 50.0
    t.suppress()
    assert rate.display() == "< 5" and rate.export_value() == "< 5" and rate.chart_value() is None
    assert t.export_rows() == [["a", "< 5"]]
    assert Cell(None, PERCENT).display() == "–"
    assert Cell(12345).display() == "12.345"


def test_chart_data_leaves_hidden_cells_out():
    t = table({"a": (10, 10), "b": (4, 4), "c": (6, 6)}, (20, 20)).suppress()
    data = t.chart_data()
    assert data["labels"] == ["a", "b", "c"]
    assert data["datasets"] == [{"label": "Aantal", "data": [10, None, None]}]


def test_a_chart_draws_one_kind_of_value():
    """Counts and percentages on one axis would read a share of 100 % as a hundred: the chart
    takes the kind with more columns, counts on a tie (the table keeps every figure)."""
    row = Row("x", "X", {"n": Cell(36, persons=9), "a": Cell(0.5, PERCENT), "b": Cell(0.25, PERCENT)})
    count, share, other = (
        Column("n", "Meldingen"),
        Column("a", "Deel", PERCENT),
        Column("b", "Ander", PERCENT),
    )
    tie = Table("t", "T", "Wat", [count, share], [row]).chart_data()
    assert [d["label"] for d in tie["datasets"]] == ["Meldingen"] and not tie["percent"]
    more = Table("t", "T", "Wat", [count, share, other], [row]).chart_data()
    assert [d["label"] for d in more["datasets"]] == ["Deel", "Ander"] and more["percent"]


@pytest.mark.parametrize(
    ("born", "on", "band"),
    [
        (datetime.date(1950, 6, 1), datetime.date(2025, 5, 31), "65-74"),  # 74: the day before
        (datetime.date(1950, 6, 1), datetime.date(2025, 6, 1), "75-84"),  # 75 on the birthday
        (datetime.date(2007, 6, 1), datetime.date(2025, 6, 1), "18-26"),
        (datetime.date(2007, 6, 2), datetime.date(2025, 6, 1), "0-17"),
        (datetime.date(1930, 1, 1), datetime.date(2025, 1, 1), "85+"),
        (None, datetime.date(2025, 1, 1), ""),
    ],
)
def test_age_band_on_the_day(born, on, band):
    assert d.age_band(born, on) == band


def test_lead_time_buckets_and_percentiles():
    assert [d.bucket_for(days) for days in (0, 14, 15, 21, 22, 365, 366, 5000)] == [
        0, 14, 21, 21, 28, 365, 366, 366,
    ]  # fmt: skip
    assert d.bucket_label(21) == "15–21" and d.bucket_label(366) == "> 365" and d.bucket_label(3) == "3"
    # Nearest rank: of 1, 2, 3, 4 the median is the 2nd, 90% the 4th.
    histogram = {1: 1, 2: 1, 3: 1, 4: 1}
    assert (d.percentile(histogram, 0.5), d.percentile(histogram, 0.9)) == (2, 4)
    assert d.percentile({0: 2, 3: 1, 9: 1, 10: 1, 21: 1}, 0.9) == 21
    assert d.percentile({}, 0.5) is None


def test_periods():
    period = Period.months_up_to(datetime.date(2025, 2, 14), 12)
    assert (period.first, period.last) == (datetime.date(2024, 3, 1), datetime.date(2025, 2, 1))
    assert len(period.months) == 12 and period.slug == "2024-03_2025-02"
    assert Period.year(2024).months[-1] == datetime.date(2024, 12, 1)
    assert parse_month("2025-3") == datetime.date(2025, 3, 1)
    with pytest.raises(ValueError):
        parse_month("maart")
    with pytest.raises(ValueError):
        Period(datetime.date(2025, 3, 1), datetime.date(2025, 2, 1))
