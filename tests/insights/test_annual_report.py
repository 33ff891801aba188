"""The annual report as PDF: its figures, its charts, the small-cell rule, offline rendering.

The small city of ``conftest.py`` (today 16 June 2025), report year 2025.
"""

import re
import shutil
import subprocess

import pytest
from PIL import Image

from schakelpunt.core import pdf as pdf_module
from schakelpunt.insights.annual_report import (
    annual_report,
    annual_report_document,
    annual_report_html,
    pdf_chart_data,
)
from schakelpunt.insights.charts import svg_chart
from schakelpunt.insights.tables import PERCENT, Cell, Column, Row, Table

pytestmark = pytest.mark.django_db

PDFTOPPM = shutil.which("pdftoppm")
PDFTOTEXT = shutil.which("pdftotext")
BLUE = (31, 95, 153)  # the first chart colour, charts.COLOURS[0]


@pytest.fixture
def coordinator(user_for):
    return user_for("Coördinator")


@pytest.fixture
def policy(user_for):
    return user_for("Beleidsmedewerker", desks=[])


def page_texts(document) -> list[str]:
    """The text WeasyPrint laid out on each page, the footer included."""

    def walk(box):
        if getattr(box, "text", None):
            yield box.text
        for child in getattr(box, "children", ()):
            yield from walk(child)

    return [" ".join(walk(page._page_box)) for page in document.pages]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def coordinator_pdf(city, coordinator):
    report = annual_report(viewer=coordinator, year=2025)
    document = annual_report_document(report)
    return report, page_texts(document), document.write_pdf()


def test_the_figures_of_the_coordinators_report(coordinator_pdf):
    report, pages, pdf = coordinator_pdf
    assert pdf.startswith(b"%PDF-")
    text = squeeze(" ".join(pages))
    # The cover: the desk and the year, and the key figures of 2025 at desk A: contacts c1-c6
    # and c9 (7), their questions q1-q7 and q9 (8), referrals ref1-ref4 (4), questions without
    # supply q2 and q7 (2), the unmet need of ref2 (1); the median lead time of the six closed
    # questions (0, 0, 3, 9, 10, 15-21 days) is 3; one of the two handled referrals on time.
    cover = squeeze(pages[0])
    assert "Jaarverslag 2025" in cover and "Zorgloket Teststad" in cover
    assert "januari 2025 – december 2025" in cover
    assert [(str(label), value) for label, value in report.key_figures] == [
        ("Contacten", "7"),
        ("Vragen", "8"),
        ("Doorverwijzingen", "4"),
        ("Vragen zonder passend aanbod", "2"),
        ("Verwijzingen die niet konden helpen", "1"),
        ("Mediaan doorlooptijd van een vraag (dagen)", "3"),
        ("Verwijzingen op tijd afgehandeld", "50%"),
        ("Wmo-meldingen", "0"),
        ("Wmo-onderzoeken binnen de termijn", "–"),
    ]
    assert "7 Contacten" in cover and "8 Vragen" in cover and "50% Verwijzingen op tijd afgehandeld" in cover
    # Per-partner usage for the financing partners: Thuiszorg Oost received ref1, ref2 and ref4,
    # handled ref1 (on time) and ref2 (rejected late); Woonstede received ref3, still open.
    assert "Gebruik per partner: ontvangen en afgehandeld" in text
    assert "Thuiszorg Oost 3 2 50%" in text
    assert "Woonstede 1 0 –" in text
    assert "Totaal 4 2 50%" in text
    # Channels in 2025 at desk A: desk c1, c4; phone c2, c3, c6, c9; e-mail c5.
    assert "Balie 2 3" in text and "Telefoon 4 4" in text and "E-mail 1 1" in text
    # The quality scan, the reach table and the Wmo section (the coordinator's, as on the dashboard).
    assert "Kwaliteitsscan Zorgloket Teststad" in text
    assert "Bereikte inwoners per wijk en leeftijdsgroep" in text
    assert "Wmo-meldingen per maand" in text
    # Page numbers in the footer, from the second page on (the cover has none).
    assert f"Pagina 2 van {len(pages)}" in pages[1]
    assert "Pagina" not in pages[0]
    assert "< 5" not in text  # the coordinator sees every figure
    if PDFTOTEXT:  # poppler, when installed: the text is really in the PDF file
        extracted = subprocess.run(  # noqa: S603 - a fixed program on our own output
            [PDFTOTEXT, "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert "Jaarverslag 2025" in extracted and "Thuiszorg Oost" in extracted


def test_the_policy_officers_report_hides_small_cells(city, policy):
    report = annual_report(viewer=policy, year=2025)
    assert report.suppressed
    pages = page_texts(annual_report_document(report))
    text = squeeze(" ".join(pages))
    assert "Gemeente Teststad" in squeeze(pages[0])
    # Residents of Teststad in 2025: contacts c1-c4, c7, c9 (6, by five residents: shown);
    # referrals ref1, ref2, ref4 (of two residents: hidden), and so on.
    figures = {str(label): value for label, value in report.key_figures}
    assert figures["Contacten"] == "6" and figures["Vragen"] == "7"
    assert figures["Doorverwijzingen"] == "< 5"
    # No Wmo reports in the fixed city: the section is there, with nothing to hide.
    assert figures["Wmo-meldingen"] == "0" and figures["Wmo-onderzoeken binnen de termijn"] == "–"
    assert "Wmo-meldingen per maand" in text
    usage = report.board.table("gebruik-per-partner")
    assert [cell.display() for cell in usage.rows[0].cells.values()] == ["< 5", "< 5", "< 5"]
    assert "Thuiszorg Oost < 5 < 5 < 5" in text
    # Every hidden cell of every table is printed as "< 5", never as its value.
    hidden = sum(
        cell.suppressed
        for table in [*report.board.tables, *(s.table for s in report.quality), report.reach.counts]
        for row in [*table.rows, *([table.total] if table.total else [])]
        for cell in row.cells.values()
    )
    assert hidden > 20
    assert text.count("< 5") >= hidden
    for resident in city.residents:
        assert resident.surname not in text


def test_no_resident_is_named_in_the_coordinators_report(city, coordinator_pdf):
    _report, pages, _pdf = coordinator_pdf
    text = " ".join(pages)
    for resident in city.residents:
        assert resident.surname not in text


def test_nothing_is_fetched_while_rendering(city, coordinator, monkeypatch):
    """No network, no files: the charts are inline SVG and every URL would be refused."""
    asked = []
    refusing = pdf_module.refusing_fetcher

    def recording():
        fetcher = refusing()
        original = fetcher.fetch

        def fetch(url, headers=None):
            asked.append(url)
            return original(url, headers)

        fetcher.fetch = fetch
        return fetcher

    monkeypatch.setattr(pdf_module, "refusing_fetcher", recording)
    report = annual_report(viewer=coordinator, year=2025)
    html = annual_report_html(report)
    assert "<svg" in html and "<script" not in html and "<img" not in html and "<link" not in html
    annual_report_document(report).write_pdf()
    assert asked == []


def test_the_refusing_fetcher_refuses_the_network():
    with pytest.raises(ValueError, match="not loaded"):
        pdf_module.refusing_fetcher().fetch("https://example.org/chart.js")


def _render_page(pdf: bytes, page: int, tmp_path) -> Image.Image:
    subprocess.run(  # noqa: S603 - a fixed program on our own output
        [PDFTOPPM, "-png", "-r", "40", "-f", str(page), "-l", str(page), "-", str(tmp_path / "page")],
        input=pdf,
        check=True,
    )
    (image,) = tmp_path.glob("page*.png")
    return Image.open(image).convert("RGB")


@pytest.mark.skipif(
    PDFTOPPM is None, reason="pdftoppm (poppler-utils) is not installed: cannot draw the page"
)
def test_the_cover_and_the_chart_page_are_not_blank(coordinator_pdf, tmp_path):
    _report, pages, pdf = coordinator_pdf
    cover = _render_page(pdf, 1, tmp_path)
    assert cover.size[0] > 250 and cover.size[1] > 350  # A4 at 40 dpi: about 331 × 468
    # Below the coloured band at the top: the title, the facts and the key figures.
    width, height = cover.size
    body = cover.crop((0, height // 8, width, height))
    ink = sum(count for count, colour in body.getcolors(1 << 20) if sum(colour) < 600)
    assert ink > 0.01 * width * height, ink
    # The page with the monthly chart: drawn, in the chart's blue.
    number = next(i for i, text in enumerate(pages, start=1) if "Contacten en vragen per maand" in text)
    for old in tmp_path.glob("page*.png"):
        old.unlink()
    chart_page = _render_page(pdf, number, tmp_path)
    blue = sum(
        count
        for count, colour in chart_page.getcolors(1 << 20)
        if all(abs(a - b) < 40 for a, b in zip(colour, BLUE, strict=True))
    )
    assert blue > 20, blue


# --- the charts ---------------------------------------------------------------------------------


def _table(values, kind="count"):
    column = Column("n", "Aantal", kind)
    rows = [Row(str(i), f"Rij {i}", {"n": Cell(value, kind, 10)}) for i, value in enumerate(values)]
    return Table("t", "Titel", "Wat", [column], rows, chart="bar")


def _drawn_values(svg: str) -> list[str]:
    """The values pygal drew, one for each bar or point, as formatted for the report."""
    return re.findall(r'<desc class="value">([^<]*)</desc>', svg)


def test_a_chart_leaves_hidden_cells_out():
    table = _table([3, 5, 8])
    table.rows[1].cells["n"].suppressed = True
    svg = str(svg_chart(table.chart_data(), title="Titel"))
    assert svg.startswith("<svg") and "<title>Titel</title>" in svg
    assert _drawn_values(svg) == ["3", "8"]  # two bars: the hidden one is a gap
    assert svg.count('<g class="bar">') == 2


def test_a_chart_is_self_contained():
    """Inline in the report's HTML: no script, no XML declaration, nothing to fetch (the only
    web addresses are the SVG namespaces), one legend key per series when there are more."""
    table = _table([3, 5, 8])
    table.columns.append(Column("m", "Vragen"))
    for index, row in enumerate(table.rows):
        row.cells["m"] = Cell(index, persons=10)
    for kind in ("bar", "horizontal", "line"):
        svg = str(svg_chart({**table.chart_data(), "type": kind}, title="Titel"))
        assert svg.startswith("<svg") and 'width="640"' in svg
        assert "<script" not in svg and "<?xml" not in svg and "<!--" not in svg
        addresses = set(re.findall(r"(?:https?:)?//[^\s\"'<>)]+", svg))
        assert addresses <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, addresses
        assert "url(" not in svg and "@import" not in svg and "href" not in svg
        assert re.search(r'class="legends".*>Aantal<.*>Vragen<', svg)
    single = str(svg_chart(_table([3, 5]).chart_data(), title="Titel"))
    assert 'class="legend ' not in single  # one series: no legend


def test_chart_axes_and_figures_in_dutch():
    percent = {"type": "horizontal", "labels": ["A", "B"], "percent": True,
               "datasets": [{"label": "Deel", "data": [12.5, 50]}]}  # fmt: skip
    svg = str(svg_chart(percent, title="x"))
    assert ">100%</text>" in svg  # the axis runs to 100%
    assert sorted(_drawn_values(svg)) == ["12,5%", "50%"]
    counts = str(svg_chart(_table([1234, 3]).chart_data(), title="x"))
    assert _drawn_values(counts) == ["1.234", "3"] and "%" not in "".join(_drawn_values(counts))
    small = str(svg_chart(_table([1, 3]).chart_data(), title="x"))
    assert ">0,5<" not in small and ">3</text>" in small  # counts: no grid line at half a person


def test_a_line_breaks_at_a_hidden_value():
    data = {"type": "line", "labels": ["jan", "feb", "mrt", "apr"], "percent": False,
            "datasets": [{"label": "Contacten", "data": [4, 6, None, 5]}]}  # fmt: skip
    svg = str(svg_chart(data, title="x"))
    assert _drawn_values(svg) == ["4", "6", "5"]
    # The line joins jan and feb and stops: apr is a dot of its own, not joined across the gap.
    lines = re.findall(r'<path d="([^"]*)" class="line reactive nofill"', svg)
    assert sum(len(re.findall(r"[\d.]+ [\d.]+", line)) for line in lines) == 2, lines


def test_a_chart_of_nothing_is_no_chart():
    assert svg_chart(_table([0, 0]).chart_data(), title="x") is None
    table = _table([2])
    table.rows[0].cells["n"].suppressed = True
    assert svg_chart(table.chart_data(), title="x") is None


def test_chart_labels_are_escaped():
    table = _table([1, 2])
    table.rows[0].label = "<script>alert(1)</script> & co"
    svg = str(svg_chart({**table.chart_data(), "type": "horizontal"}, title="<b>"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&amp; co" in svg and "&lt;b&gt;" in svg


def test_counts_and_percentages_are_not_drawn_on_one_axis():
    columns = [Column("n", "Aantal"), Column("a", "Deel", PERCENT), Column("b", "Ander deel", PERCENT)]
    row = Row("x", "X", {"n": Cell(4, persons=9), "a": Cell(0.5, PERCENT), "b": Cell(0.25, PERCENT)})
    data = pdf_chart_data(Table("t", "T", "Wat", columns, [row], chart="horizontal"))
    assert [d["label"] for d in data["datasets"]] == ["Deel", "Ander deel"] and data["percent"]


def test_reach_per_1000_with_its_chart_when_population_figures_exist(city, coordinator):
    from schakelpunt.organisations.models import PopulationFigure

    assert len(annual_report(viewer=coordinator, year=2025).reach_tables) == 1  # no figures: counts only
    for district, number in ((city.centrum, 400), (city.noord, 900), (city.dorp, 300)):
        for band in ("0-17", "18-26", "27-44", "45-64", "65-74", "75-84", "85+"):
            PopulationFigure.objects.create(
                municipality=district.municipality,
                district=district,
                age_band=band,
                year=2025,
                inhabitants=number,
            )
    report = annual_report(viewer=coordinator, year=2025)
    _counts, rates = report.reach_tables
    assert rates.table.key == "bereik-per-1000" and "<svg" in rates.chart
    text = squeeze(" ".join(page_texts(annual_report_document(report))))
    # Centrum (Teststad): r1, r2 and r6 reached, of 7 × 400 inhabitants: 1.1 per 1,000.
    assert "Centrum (Teststad)" in text and "1,1" in text
    assert "Onderbereikt:" in text
