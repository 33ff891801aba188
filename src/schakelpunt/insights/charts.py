"""Charts drawn on the server, as SVG: for the PDF annual report, where no JavaScript runs.

:func:`svg_chart` draws the data of :meth:`Table.chart_data` (the same data the dashboard's
Chart.js draws) as a bar chart (``bar``), horizontal bars (``horizontal``) or lines (``line``).
The SVG is self-contained: no scripts, no fonts or images to fetch, every text escaped, so it
can be placed inline in the report's HTML. A hidden cell (``< 5``) has no value and is left
out: a gap, never a guess.
"""

from __future__ import annotations

import math
from typing import Any

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

COLOURS = ["#1f5f99", "#d0661a", "#2d7d46", "#7b3f98", "#8a6d00", "#535353"]  # as js/insights.js
FONT = "Liberation Sans, DejaVu Sans, sans-serif"
WIDTH = 640  # user units; the stylesheet scales the chart to the text width
TEXT = "#1a1a1a"
MUTED = "#535353"
GRID = "#d5d5d5"
MAX_LABEL = 40  # characters of a category label before it is shortened


def nice_maximum(value: float) -> tuple[float, float]:
    """A round top for the value axis and the step between its grid lines (1, 2, 2.5 or 5
    times a power of ten, four or five steps)."""
    if value <= 0:
        return 1.0, 0.25
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * power
        if step * 5 >= value:
            break
    if value >= 1 and step < 1:
        step = 1.0
    return math.ceil(value / step) * step, step


def _axis(data: dict[str, Any]) -> tuple[float, float]:
    """Percentages always run to 100%; counts and days to a round number above the largest."""
    if data["percent"]:
        return 100.0, 20.0
    return nice_maximum(max(_values(data), default=0))


def _number(value: float, percent: bool) -> str:
    if percent:
        return f"{number_format(round(value, 1), decimal_pos=0 if value == int(value) else 1)}%"
    if value == int(value):
        return number_format(int(value), force_grouping=True)
    return number_format(round(value, 1), decimal_pos=1, force_grouping=True)


def _short(label: str, limit: int = MAX_LABEL) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _text(x: float, y: float, content: str, *, size: float = 11, anchor: str = "start", fill: str = TEXT,
          weight: str = "normal", extra: str = "") -> str:  # fmt: skip
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" fill="{fill}" '
        f'text-anchor="{anchor}" font-weight="{weight}"{extra}>{escape(content)}</text>'
    )


def _legend(datasets: list[dict[str, Any]], top: float) -> tuple[list[str], float]:
    """One line of coloured keys when there is more than one series; returns the height used."""
    if len(datasets) < 2:
        return [], 0
    parts, x = [], 0.0
    for index, dataset in enumerate(datasets):
        colour = COLOURS[index % len(COLOURS)]
        parts.append(f'<rect x="{x:.1f}" y="{top + 2:.1f}" width="12" height="12" fill="{colour}"/>')
        parts.append(_text(x + 17, top + 12.5, str(dataset["label"])))
        x += 17 + 7 * len(str(dataset["label"])) + 24
    return parts, 26


def _values(data: dict[str, Any]) -> list[float]:
    return [value for dataset in data["datasets"] for value in dataset["data"] if value is not None]


def _svg(height: float, title: str, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 - every text in ``body`` went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _vertical(data: dict[str, Any], title: str) -> SafeString:
    """Grouped bars (``bar``) or lines (``line``) over the categories along the bottom."""
    labels = [str(label) for label in data["labels"]]
    datasets, percent, line = data["datasets"], data["percent"], data["type"] == "line"
    body, legend_height = _legend(datasets, 0)
    top = legend_height + 10
    plot_height = 210
    left, right = 56, WIDTH - 8
    maximum, step = _axis(data)
    slot = (right - left) / max(1, len(labels))
    # Labels that do not fit under their bar or group are turned (about 5.5 units a character).
    many = max((len(label) for label in labels), default=0) * 5.5 > slot - 4
    label_room = 70 if many else 24
    height = top + plot_height + label_room
    y_of = lambda value: top + plot_height - plot_height * value / maximum  # noqa: E731

    tick = 0.0
    while tick <= maximum + step / 1000:
        y = y_of(tick)
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(_text(left - 6, y + 4, _number(tick, percent), size=10, anchor="end", fill=MUTED))
        tick += step
    for index, label in enumerate(labels):
        x = left + slot * (index + 0.5)
        if many:
            extra = f' transform="rotate(-40 {x:.1f} {top + plot_height + 14:.1f})"'
            body.append(
                _text(x, top + plot_height + 14, _short(label, 16), size=10, anchor="end", extra=extra)
            )
        else:
            body.append(_text(x, top + plot_height + 16, _short(label, 18), size=10, anchor="middle"))

    for number, dataset in enumerate(datasets):
        colour = COLOURS[number % len(COLOURS)]
        values = dataset["data"]
        if line:
            segment: list[str] = []
            for index, value in enumerate([*values, None]):
                if value is not None:
                    x, y = left + slot * (index + 0.5), y_of(value)
                    segment.append(f"{x:.1f},{y:.1f}")
                    body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
                elif segment:  # a gap (a hidden or missing value) ends the line
                    if len(segment) > 1:
                        body.append(
                            f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" '
                            f'stroke-width="2.5"/>'
                        )
                    segment = []
        else:
            group = slot * 0.8
            width = group / len(datasets)
            for index, value in enumerate(values):
                if value is None:
                    continue
                x = left + slot * index + (slot - group) / 2 + width * number
                y = y_of(value)
                body.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(1.0, width - 2):.1f}" '
                    f'height="{top + plot_height - y:.1f}" fill="{colour}"/>'
                )
    body.append(
        f'<line x1="{left}" y1="{top + plot_height}" x2="{right}" y2="{top + plot_height}" stroke="{MUTED}"/>'
    )
    return _svg(height, title, body)


def _horizontal(data: dict[str, Any], title: str) -> SafeString:
    """One row of bars per category, the label on the left and the value after the bar."""
    labels = [str(label) for label in data["labels"]]
    datasets, percent = data["datasets"], data["percent"]
    body, legend_height = _legend(datasets, 0)
    bar, gap = 13, 9
    row_height = bar * len(datasets) + gap
    top = legend_height + 6
    height = top + row_height * len(labels) + 22
    left, right = 250, WIDTH - 56
    maximum, step = _axis(data)
    x_of = lambda value: left + (right - left) * value / maximum  # noqa: E731
    bottom = top + row_height * len(labels)

    tick = 0.0
    while tick <= maximum + step / 1000:
        x = x_of(tick)
        body.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(_text(x, bottom + 15, _number(tick, percent), size=10, anchor="middle", fill=MUTED))
        tick += step
    for index, label in enumerate(labels):
        y = top + row_height * index + gap / 2
        body.append(_text(left - 8, y + row_height / 2 - gap / 2 + 4, _short(label), size=10.5, anchor="end"))
        for number, dataset in enumerate(datasets):
            value = dataset["data"][index]
            if value is None:
                continue
            colour = COLOURS[number % len(COLOURS)]
            y_bar = y + bar * number
            body.append(
                f'<rect x="{left}" y="{y_bar:.1f}" width="{max(0.5, x_of(value) - left):.1f}" '
                f'height="{bar - 1}" fill="{colour}"/>'
            )
            body.append(
                _text(x_of(value) + 4, y_bar + bar - 3, _number(value, percent), size=9.5, fill=MUTED)
            )
    body.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="{MUTED}"/>')
    return _svg(height, title, body)


def svg_chart(data: dict[str, Any] | None, *, title: str) -> SafeString | None:
    """The chart of ``data`` (:meth:`Table.chart_data`) as inline SVG, or None when there is
    nothing to draw (no chart, or every value hidden)."""
    if not data or not data["labels"] or not any(value > 0 for value in _values(data)):
        return None  # nothing to draw, or only zeros
    if data["type"] == "horizontal":
        return _horizontal(data, title)
    return _vertical(data, title)
