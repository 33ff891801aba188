"""The annual report of the desk as PDF: for the municipality and the financing partners.

:func:`annual_report` gathers, for a year, what the dashboard, the quality scan and the reach
analysis show, as the viewer may see it: the coordinator the complete figures of their desks,
the policy officer the aggregates about residents of their municipality with small cells hidden
("< 5", :meth:`Table.suppress`). Every table comes from the same selectors as the pages, so the
report hides exactly the cells they hide. :func:`annual_report_pdf` lays it out on A4 with
WeasyPrint, offline: the charts are SVG drawn with pygal (:mod:`schakelpunt.insights.charts`),
inline in the HTML, and the URL fetcher refuses every URL, so nothing is fetched while rendering.

The report is made by a background job (:mod:`schakelpunt.insights.jobs`); ``progress`` is
called along the way with a percentage and a short Dutch message.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from schakelpunt.core.pdf import render_document
from schakelpunt.insights import definitions as d
from schakelpunt.insights.charts import svg_chart
from schakelpunt.insights.periods import Period
from schakelpunt.insights.quality import QualityScan, Quarter, average_score, quality_scan, self_assessments
from schakelpunt.insights.reach import TOTAL_KEY as REACH_TOTAL
from schakelpunt.insights.reach import Reach, reach_analysis
from schakelpunt.insights.selectors import Dashboard, Scope, dashboard, insight_scope
from schakelpunt.insights.tables import Cell, Column, Row, Table
from schakelpunt.organisations.models import Desk, Municipality

Progress = Callable[[int, str], None]

PDF_TEMPLATE = "insights/pdf/annual_report.html"
PDF_STYLESHEET = Path(__file__).parent / "templates" / "insights" / "pdf" / "annual_report.css"
PDF_TYPE = "application/pdf"
LONG_LABEL = 18  # characters: a bar chart with longer category names is drawn horizontally


def _no_progress(percent: int, message: str) -> None:
    return None


@dataclass
class ReportTable:
    """A table of the report with its chart (inline SVG), if it has one."""

    table: Table
    chart: str | None = None


@dataclass
class ReportSection:
    key: str
    title: Any
    description: Any = ""
    tables: list[ReportTable] = field(default_factory=list)


@dataclass
class QualitySummary:
    scan: QualityScan
    table: Table
    unavailable: list[tuple[Any, Any]]  # (title, why) of measures without figures
    self_assessment: float | None = None  # the year's average score (1-4), when filled in
    may_view_self_assessment: bool = False


@dataclass
class AnnualReport:
    year: int
    period: Period
    board: Dashboard
    subject: str  # desks, or the municipality: on the cover and in the footer
    scope_label: str
    sections: list[ReportSection]
    quality: list[QualitySummary]
    reach: Reach
    reach_tables: list[ReportTable]
    desks_label: str
    municipalities_label: str
    made_at: datetime.datetime
    incomplete_year: bool
    key_figures: list[tuple[Any, str]] = field(default_factory=list)

    @property
    def suppressed(self) -> bool:
        return self.board.suppressed

    @property
    def filename(self) -> str:
        return f"schakelpunt-jaarverslag-{self.year}-{slugify(self.subject)[:60] or 'loket'}.pdf"


def pdf_chart_data(table: Table) -> dict[str, Any] | None:
    """The table's chart data (one kind of value, see :meth:`Table.chart_data`); bars with
    long names are drawn horizontally."""
    data = table.chart_data()
    if data is None:
        return None
    if data["type"] == "bar" and max((len(label) for label in data["labels"]), default=0) > LONG_LABEL:
        data["type"] = "horizontal"  # long names read better beside their bars than turned under them
    return data


def _with_chart(table: Table) -> ReportTable:
    return ReportTable(table, svg_chart(pdf_chart_data(table), title=str(table.title)))


def reach_chart(reach: Reach) -> str | None:
    """Residents reached per 1,000 inhabitants of each district (hidden rates left out)."""
    if not reach.has_population:
        return None
    data = {
        "type": "horizontal",
        "labels": [str(row.label) for row in reach.rates.rows],
        "percent": False,
        "datasets": [
            {
                "label": str(_("Bereikte inwoners per 1.000 inwoners (hele wijk)")),
                "data": [row.cell(REACH_TOTAL).chart_value() for row in reach.rates.rows],
            }
        ],
    }
    return svg_chart(data, title=str(reach.rates.title))


def report_subject(scope: Scope, desks: list[Desk], municipality: Municipality | None) -> str:
    """Who a report or export is about: the chosen desks (or all in scope) or, for the policy
    officer, the municipality."""
    if scope.by_municipality:
        municipalities = [municipality] if municipality else list(scope.municipalities)
        where = ", ".join(_("Gemeente %(name)s") % {"name": m.name} for m in municipalities)
        if desks:
            return f"{where} · {', '.join(desk.name for desk in desks)}"
        return where
    subject = ", ".join(desk.name for desk in desks or scope.desks)
    if municipality is not None:
        subject += " · " + _("inwoners van %(name)s") % {"name": municipality.name}
    return subject


def key_figures(board: Dashboard) -> list[tuple[Any, str]]:
    """The figures on the cover: the headline, the median lead time of a question, the share
    of referrals handled in time and the Wmo reports; as displayed (hidden cells as "< 5")."""
    figures: list[tuple[Any, str]] = [(row.label, cells[0].display()) for row, cells in board.headline.body]
    lead_times = board.table("doorlooptijden")
    question = (
        next((row for row in lead_times.rows if row.key == d.LEAD_QUESTION), None) if lead_times else None
    )
    if question is not None:
        figures.append((_("Mediaan doorlooptijd van een vraag (dagen)"), question.cell("p50").display()))
    usage = board.table("gebruik-per-partner")
    if usage is not None and usage.total is not None:
        figures.append((_("Verwijzingen op tijd afgehandeld"), usage.total.cell("on_time").display()))
    wmo = board.table("wmo-per-maand")
    if wmo is not None and wmo.total is not None:
        figures.append((_("Wmo-meldingen"), wmo.total.cell("reports").display()))
        figures.append((_("Wmo-onderzoeken binnen de termijn"), wmo.total.cell("in_time").display()))
    return figures


def quality_summary(scan: QualityScan) -> QualitySummary:
    """The scan's main figures (the charted columns of each measure) with the quarters as
    columns; the cells are those of the scan, hidden ones included."""
    columns = [Column(quarter.slug, quarter.label, additive=False) for quarter in scan.quarters]
    rows: list[Row] = []
    unavailable = []
    for measure in scan.measures:
        if measure.table is None:
            unavailable.append((measure.title, measure.unavailable))
            continue
        by_quarter = {row.key: row for row in measure.table.rows}
        for column in measure.table.columns:
            if not column.chart:
                continue
            cells = {
                quarter.slug: by_quarter[quarter.slug].cell(column.key)
                if quarter.slug in by_quarter
                else Cell()
                for quarter in scan.quarters
            }
            rows.append(Row(f"{measure.key}-{column.key}", f"{measure.title}: {column.label}", cells))
    table = Table(
        f"kwaliteit-{scan.desk.slug}",
        _("Kwaliteitsscan %(desk)s") % {"desk": scan.desk.name},
        _("Meting"),
        columns,
        rows,
        chart=None,
        suppressed=scan.suppressed,
    )
    return QualitySummary(scan, table, unavailable)


def annual_report(
    *,
    viewer,
    year: int,
    desks=None,
    municipality=None,
    scope: Scope | None = None,
    progress: Progress = _no_progress,
    today: datetime.date | None = None,
) -> AnnualReport:
    """Everything the annual report of ``year`` shows, as ``viewer`` may see it now."""
    today = today or timezone.localdate()
    scope = scope if scope is not None else insight_scope(viewer)
    period = Period.year(year)
    progress(5, _("Kerncijfers berekenen"))
    board = dashboard(viewer=viewer, period=period, desks=desks, municipality=municipality, scope=scope)

    progress(20, _("Grafieken tekenen"))
    sections = [
        ReportSection(
            section.key, section.title, section.description, [_with_chart(t) for t in section.tables]
        )
        for section in board.sections
    ]

    quality = []
    scan_desks = board.desks or list(scope.desks)
    for index, desk in enumerate(scan_desks):
        progress(
            30 + 30 * index // max(1, len(scan_desks)), _("Kwaliteitsscan van %(desk)s") % {"desk": desk.name}
        )
        scan = quality_scan(viewer=viewer, desk=desk, last_quarter=Quarter(year, 4), today=today, scope=scope)
        summary = quality_summary(scan)
        summary.may_view_self_assessment = viewer.has_perm("organisations.view_selfassessment")
        assessment = self_assessments(viewer=viewer, desk=desk).filter(year=year).first()
        summary.self_assessment = average_score(assessment) if assessment else None
        quality.append(summary)

    progress(60, _("Bereik per wijk berekenen"))
    reach = reach_analysis(
        viewer=viewer,
        period=period,
        desks=[d.pk for d in board.desks],
        municipality=municipality,
        scope=scope,
    )
    reach_tables = [ReportTable(reach.counts)]
    if reach.has_population:
        reach_tables.append(ReportTable(reach.rates, reach_chart(reach)))
    return AnnualReport(
        year=year,
        period=period,
        board=board,
        subject=report_subject(scope, board.desks, board.municipality),
        scope_label=board.scope_label,
        desks_label=", ".join(desk.name for desk in board.desks or scope.desks) or _("geen"),
        municipalities_label=(
            board.municipality.name
            if board.municipality
            else ", ".join(m.name for m in scope.municipalities) or _("geen")
        ),
        sections=sections,
        quality=quality,
        reach=reach,
        reach_tables=reach_tables,
        made_at=timezone.localtime(),
        incomplete_year=period.last >= today.replace(day=1),
        key_figures=key_figures(board),
    )


# --- rendering --------------------------------------------------------------------------------


def annual_report_html(report: AnnualReport) -> str:
    return render_to_string(PDF_TEMPLATE, {"report": report})


def annual_report_document(report: AnnualReport):
    """The laid-out WeasyPrint document (pages with their boxes): tests read its text."""
    return render_document(annual_report_html(report), PDF_STYLESHEET)


def annual_report_pdf(report: AnnualReport, *, progress: Progress = _no_progress) -> bytes:
    """The report as an A4 PDF in Dutch: cover, contents, figures with charts, quality, reach."""
    progress(70, _("Pagina's opmaken"))
    document = annual_report_document(report)
    progress(90, _("PDF schrijven"))
    return document.write_pdf()
