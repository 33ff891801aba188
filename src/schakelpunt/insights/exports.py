"""A table as CSV or XLSX: the same cells as on the page, hidden cells as "< 5"."""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from schakelpunt.insights.periods import Period
from schakelpunt.insights.tables import PERCENT, Table

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filename(table: Table, period: Period, extension: str) -> str:
    return f"schakelpunt-{table.key}-{period.slug}.{extension}"


def _header(table: Table) -> list[str]:
    header = table.header()
    for index, column in enumerate(table.columns, start=1):
        if column.kind == PERCENT:
            header[index] = f"{header[index]} (%)"
    return header


def table_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_header(table))
    writer.writerows(table.export_rows())
    return buffer.getvalue().encode("utf-8")


def table_xlsx(table: Table, *, period: Period, scope_label: str) -> bytes:
    """One sheet with the table, one with what it is (period, scope, the small-cell rule)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Cijfers")
    sheet.append(_header(table))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rows = table.export_rows()
    for row in rows:
        sheet.append(row)
    if table.total is not None:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    labels = [str(table.label_heading), *(str(row[0]) for row in rows)]
    sheet.column_dimensions["A"].width = min(60, max(12, *(len(label) + 2 for label in labels)))
    about = workbook.create_sheet(_("Toelichting"))
    lines = [
        (_("Tabel"), str(table.title)),
        (_("Periode"), period.label),
        (_("Loketten en gemeente"), scope_label),
        (_("Gemaakt op"), timezone.localtime().strftime("%d-%m-%Y %H:%M")),
    ]
    if table.description:
        lines.append((_("Toelichting"), str(table.description)))
    if table.suppressed:
        lines.append(
            (
                _("Kleine aantallen"),
                _(
                    "Cellen over minder dan 5 inwoners staan als ‘< 5’, net als een cel die anders "
                    "door aftrekken te vinden zou zijn."
                ),
            )
        )
    for line in lines:
        about.append(list(line))
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


SHEET_NAME_LIMIT = 31  # Excel's limit on the name of a sheet


def tables_xlsx(
    tables: list[Table], *, title: str, period: Period, scope_label: str, suppressed: bool
) -> bytes:
    """Every table in one workbook: a sheet "Toelichting" that lists them, then one sheet per
    table (named by its key), each with the same cells as on the page and "< 5" where hidden."""
    workbook = Workbook()
    about = workbook.active
    about.title = _("Toelichting")
    lines = [
        (_("Export"), title),
        (_("Periode"), period.label),
        (_("Loketten en gemeente"), scope_label),
        (_("Gemaakt op"), timezone.localtime().strftime("%d-%m-%Y %H:%M")),
    ]
    if suppressed:
        lines.append(
            (
                _("Kleine aantallen"),
                _(
                    "Cellen over minder dan 5 inwoners staan als ‘< 5’, net als een cel die anders "
                    "door aftrekken te vinden zou zijn."
                ),
            )
        )
    for line in lines:
        about.append(list(line))
    about.append([])
    about.append([_("Blad"), _("Tabel"), _("Toelichting")])
    for cell in about[about.max_row]:
        cell.font = Font(bold=True)
    used: set[str] = set()
    for table in tables:
        name = table.key[:SHEET_NAME_LIMIT]
        number = 2
        while name in used:  # keys are unique, but cut to 31 characters they might not be
            suffix = f"-{number}"
            name, number = table.key[: SHEET_NAME_LIMIT - len(suffix)] + suffix, number + 1
        used.add(name)
        about.append([name, str(table.title), str(table.description or "")])
        sheet = workbook.create_sheet(name)
        sheet.append(_header(table))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.export_rows():
            sheet.append(row)
        if table.total is not None:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        labels = [str(table.label_heading), *(str(row.label) for row in table.rows)]
        sheet.column_dimensions["A"].width = min(60, max(12, *(len(label) + 2 for label in labels)))
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 50
    about.column_dimensions["C"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
