"""Tables of figures: what the dashboard shows, the exports write and the charts draw.

A :class:`Table` has columns and rows of :class:`Cell`; a count cell knows how many distinct
persons it is about. :meth:`Table.suppress` applies the small-cell rule of the policy view:

1. *primary*: a count about fewer than ``SMALL_CELL`` persons shows "< 5" (a zero is shown:
   it is about nobody);
2. *secondary*: where rows add up to a total that is known (here or in another table), one
   hidden cell could be found by subtraction; so when a column has exactly one hidden cell, the
   smallest other non-zero cell of that column is hidden too, or the total when there is none.

Rates and lead times are not counts: their builder gives them the persons of the smallest
group they reveal (e.g. the rejected referrals behind an acceptance rate), so they are hidden
by the same rule. Exports and the PDF use the same tables, so they hide the same cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from schakelpunt.insights.definitions import EXACT_DAYS, bucket_label
from schakelpunt.insights.models import SMALL_CELL

COUNT = "count"
PERCENT = "percent"
DAYS = "days"

SUPPRESSED_TEXT = f"< {SMALL_CELL}"
NOT_APPLICABLE = "–"


@dataclass
class Cell:
    value: int | float | None = None
    kind: str = COUNT
    persons: int | None = None  # distinct persons behind the figure; None: not about persons
    suppressed: bool = False
    secondary: bool = False  # hidden only to protect another hidden cell

    @property
    def is_small(self) -> bool:
        return self.persons is not None and bool(self.value) and self.persons < SMALL_CELL

    def display(self) -> str:
        if self.suppressed:
            return SUPPRESSED_TEXT
        if self.value is None:
            return NOT_APPLICABLE
        if self.kind == PERCENT:
            return f"{round(self.value * 100)}%"
        if self.kind == DAYS:
            return bucket_label(int(self.value))
        return number_format(self.value, force_grouping=True)

    def export_value(self) -> Any:
        """What a CSV or XLSX file holds: the number, or the same text the page shows."""
        if self.suppressed:
            return SUPPRESSED_TEXT
        if self.value is None:
            return ""
        if self.kind == PERCENT:
            return round(self.value * 100, 1)
        if self.kind == DAYS and self.value > EXACT_DAYS:
            return bucket_label(int(self.value))
        return self.value

    def chart_value(self) -> float | None:
        """Hidden cells are gaps in a chart, never a value."""
        if self.suppressed or self.value is None:
            return None
        return round(self.value * 100, 1) if self.kind == PERCENT else self.value


@dataclass
class Column:
    key: str
    label: Any
    kind: str = COUNT
    additive: bool = True  # the rows add up to a known total: protect against subtraction
    chart: bool = True


@dataclass
class Row:
    key: str
    label: Any
    cells: dict[str, Cell] = field(default_factory=dict)

    def cell(self, key: str) -> Cell:
        return self.cells.get(key) or Cell()


@dataclass
class Table:
    key: str  # a slug: the export's address and file name
    title: Any
    label_heading: Any  # the heading of the first column
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    total: Row | None = None
    description: Any = ""
    chart: str | None = "bar"  # "bar", "horizontal", "line" or None
    suppressed: bool = False  # whether the small-cell rule was applied

    def suppress(self) -> Table:
        """Apply the small-cell rule (module docstring). Returns the table itself."""
        self.suppressed = True
        for row in self._all_rows():
            for cell in row.cells.values():
                if cell.is_small:
                    cell.suppressed = True
        for column in self.columns:
            if column.additive:
                self._protect(column.key)
        return self

    def _protect(self, key: str) -> None:
        hidden = [row for row in self.rows if row.cell(key).suppressed]
        if len(hidden) != 1:
            return
        others = [row for row in self.rows if not row.cell(key).suppressed and row.cell(key).value]
        if others:
            victim = min(others, key=lambda row: (row.cell(key).value, row.cell(key).persons or 0))
            victim.cells[key].suppressed = victim.cells[key].secondary = True
        elif self.total is not None and key in self.total.cells and not self.total.cells[key].suppressed:
            self.total.cells[key].suppressed = self.total.cells[key].secondary = True

    def _all_rows(self) -> list[Row]:
        return [*self.rows, *([self.total] if self.total else [])]

    @property
    def is_empty(self) -> bool:
        return not any(cell.value for row in self.rows for cell in row.cells.values())

    @property
    def has_hidden_cells(self) -> bool:
        return any(cell.suppressed for row in self._all_rows() for cell in row.cells.values())

    # --- for the page -------------------------------------------------------------------------

    @property
    def body(self) -> list[tuple[Row, list[Cell]]]:
        return [(row, [row.cell(column.key) for column in self.columns]) for row in self.rows]

    @property
    def footer(self) -> tuple[Row, list[Cell]] | None:
        if self.total is None:
            return None
        return self.total, [self.total.cell(column.key) for column in self.columns]

    # --- for exports --------------------------------------------------------------------------

    def header(self) -> list[str]:
        return [str(self.label_heading), *(str(column.label) for column in self.columns)]

    def export_rows(self) -> list[list[Any]]:
        return [
            [str(row.label), *(row.cell(column.key).export_value() for column in self.columns)]
            for row in self._all_rows()
        ]

    # --- for the charts -----------------------------------------------------------------------

    def chart_data(self) -> dict[str, Any] | None:
        """The data a chart is drawn from (static/js/insights.js, and the PDF's charts), or None
        for no chart. One axis cannot show counts and percentages together: when a table has
        both, the chart shows the kind with more columns (counts on a tie); the table under it
        has every figure."""
        columns = [column for column in self.columns if column.chart]
        percents = [column for column in columns if column.kind == PERCENT]
        others = [column for column in columns if column.kind != PERCENT]
        if percents and others:
            columns = percents if len(percents) > len(others) else others
        if not self.chart or not columns or self.is_empty:
            return None
        return {
            "type": self.chart,
            "labels": [str(row.label) for row in self.rows],
            "percent": all(column.kind == PERCENT for column in columns),
            "datasets": [
                {
                    "label": str(column.label),
                    "data": [row.cell(column.key).chart_value() for row in self.rows],
                }
                for column in columns
            ],
        }


TOTAL_LABEL = _("Totaal")
