"""Charts drawn on the server, as SVG: for the PDF annual report, where no JavaScript runs.

:func:`svg_chart` draws the data of :meth:`Table.chart_data` (the same data the dashboard's
Chart.js draws) with pygal as a bar chart (``bar``), horizontal bars (``horizontal``) or lines
(``line``). The SVG is self-contained, to be placed inline in the report's HTML: no scripts
(pygal's tooltip script is switched off and its inline configuration script removed), no
fonts, style sheets or images to fetch, every text escaped by the XML writer. A hidden cell
(``< 5``) has no value and is left out: a gap, never a guess.
"""

from __future__ import annotations

from typing import Any

import pygal
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style
from pygal.util import truncate

COLOURS = ("#1f5f99", "#d0661a", "#2d7d46", "#7b3f98", "#8a6d00", "#535353")  # as js/insights.js
FONT = "Liberation Sans, DejaVu Sans, sans-serif"
TEXT = "#1a1a1a"
MUTED = "#535353"
GRID = "#d5d5d5"
WIDTH = 640  # user units; the stylesheet scales the chart to the text width
HEIGHT = 300  # bars and lines
ROW = 15  # horizontal bars: the height of one bar; a category has one per series and a gap
MAX_LABEL = 40  # characters of a category label before it is shortened (the table has it whole)

LOOK = {
    "colors": COLOURS,
    "font_family": FONT,
    "background": "white",
    "plot_background": "white",
    "foreground": TEXT,
    "foreground_strong": TEXT,
    "foreground_subtle": MUTED,
    "opacity": "1",  # the colours as they are, as on the dashboard
    "stroke_opacity": "1",
    "guide_stroke_color": GRID,
    "guide_stroke_dasharray": "none",
    "major_guide_stroke_color": GRID,
    "major_guide_stroke_dasharray": "none",
    "label_font_size": 11,
    "major_label_font_size": 11,
    "legend_font_size": 12,
    "value_font_size": 10,
    "value_colors": (MUTED,) * len(COLOURS),
}
# pygal centres a printed value on a point just after its bar: start it there instead, so the
# figure stands beside the bar rather than over its end (inline: nothing is fetched).
VALUE_BESIDE_BAR = "inline:.text-overlay text.value { text-anchor: start; }"


def _number(value: float, percent: bool) -> str:
    """A value in the Dutch format of the report: ``1.234``, ``2,5``, ``50%``."""
    if percent:
        return f"{number_format(round(value, 1), decimal_pos=0 if value == int(value) else 1)}%"
    if value == int(value):
        return number_format(int(value), force_grouping=True)
    return number_format(round(value, 1), decimal_pos=1, force_grouping=True)


def _values(data: dict[str, Any]) -> list[float]:
    return [value for dataset in data["datasets"] for value in dataset["data"] if value is not None]


def _self_contained(title: str):
    """An XML filter for pygal's tree: no scripts, no comments (they carry pygal's web
    address), no ids but the chart's own (the legend's repeat in every chart, and only its
    script uses them), and the chart's title for screen readers instead of "Pygal"."""

    def clean(root):
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag == "script" or not isinstance(child.tag, str):  # a script or a comment
                    parent.remove(child)
                else:
                    child.attrib.pop("id", None)
        for element in root.iter("title"):
            element.text = title
            break  # the first is the chart's; the others name the axis values
        root.set("role", "img")
        return root

    return clean


def svg_chart(data: dict[str, Any] | None, *, title: str) -> SafeString | None:
    """The chart of ``data`` (:meth:`Table.chart_data`) as inline SVG, or None when there is
    nothing to draw (no chart, or every value hidden or zero)."""
    if not data or not data["labels"] or not any(value > 0 for value in _values(data)):
        return None
    datasets, percent, kind = data["datasets"], data["percent"], data["type"]
    labels = [str(label) for label in data["labels"]]
    series = [(str(dataset["label"]), list(dataset["data"])) for dataset in datasets]
    # The legend under the chart, at most three keys a row. pygal reserves room for
    # ``len(series) // columns`` rows: what more rows need is added to the bottom margin.
    columns = 2 if len(series) == 4 else min(len(series), 3)
    legend_rows = -(-len(series) // columns) if len(series) > 1 else 0
    short = legend_rows - len(series) // columns if legend_rows else 0
    config: dict[str, Any] = {
        "width": WIDTH,
        "height": HEIGHT + 22 * legend_rows,
        "explicit_size": True,  # the stylesheet scales it to the text width
        "disable_xml_declaration": True,  # inline in the HTML
        "js": [],  # no tooltip script from the web
        "show_legend": len(series) > 1,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": columns,
        "margin_bottom": 8 + 18 * short,
        "truncate_legend": -1,
        "truncate_label": -1,  # whole labels; turned or shortened below where they need it
        "margin": 8,
        "spacing": 8,
        "value_formatter": lambda value: _number(value, percent),
        "include_x_axis": True,  # the value axis starts at zero
        "max_scale": 8,  # grid lines on the value axis, at most
    }
    if percent:  # percentages always on a full axis of 0-100%
        config.update(range=(0, 100), y_labels=[0, 20, 40, 60, 80, 100])
    elif all(value == int(value) for value in _values(data)):
        config["order_min"] = 0  # counts: no grid line at half a person
    if kind == "horizontal":
        # The first category at the top, as in the table: pygal draws the first at the bottom.
        labels = [truncate(label, MAX_LABEL) for label in reversed(labels)]
        series = [(name, values[::-1]) for name, values in series]
        config.update(
            style=Style(**LOOK),
            height=len(labels) * (ROW * len(series) + 8) + 36 + 22 * legend_rows,
            margin_right=36,  # room for the figure beside the longest bar
            print_values=True,  # the figure beside its bar (a hidden cell has none)
            print_values_position="top",
            css=["file://style.css", "file://graph.css", VALUE_BESIDE_BAR],
        )
        chart = pygal.HorizontalBar(**config)
    else:
        # Labels that do not fit under their bar or group (pygal's estimate of a text's
        # width: 0.6 of the font size a character) are turned.
        if max(len(label) for label in labels) * 0.6 * LOOK["label_font_size"] > (WIDTH - 80) / len(labels):
            config["x_label_rotation"] = 40
        if kind == "line":  # a hidden value breaks the line
            chart = pygal.Line(
                style=Style(**LOOK, stroke_width="2.5"), allow_interruptions=True, dots_size=3, **config
            )
        else:
            chart = pygal.Bar(style=Style(**LOOK), **config)
    chart.x_labels = labels
    for name, values in series:
        chart.add(name, values)
    chart.add_xml_filter(_self_contained(title))
    return mark_safe(chart.render())  # noqa: S308 - pygal's XML writer escapes every text
