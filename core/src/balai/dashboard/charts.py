"""Server-rendered SVG charts: bars and lines that read without JavaScript.

The markup carries no ``style`` attribute and no script (the CSP allows only
'self'); colours and fonts come from CSS classes in ``css/dashboard.css``.
Each chart has a ``<title>`` and a ``<desc>`` naming its data, every bar or
point has its own ``<title>`` with label and value, and the page adds a
visually hidden table with the same numbers for screen readers.
"""

from __future__ import annotations

import math
from html import escape

from markupsafe import Markup

from balai.dashboard.widgets import ChartPoint, Widget
from balai.i18n import format_number, rupiah
from balai.i18n import gettext as _

WIDTH = 640
HEIGHT = 260
LEFT = 92
RIGHT = 12
TOP = 22
BOTTOM = 44
MAX_X_LABELS = 8
MAX_VALUE_LABELS = 12


def format_value(value: int | float | None, unit: str) -> str:
    """A number as the dashboard shows it, in the reader's notation.

    Indonesian: ``Rp1.250.000``, ``12,5%``, ``1.234``, ``4,2``; English uses
    ``12.5%``, ``1,234``, ``4.2`` (rupiah keeps its PUEBI form in both). A
    percentage under 1 keeps two significant digits (``0,015%``, not ``0,0%``).
    """
    if value is None:
        return ""
    if unit == "rupiah":
        return rupiah(round(value))
    if unit == "percent":
        return format_number(value, _percent_digits(value)) + "%"
    if isinstance(value, float) and not value.is_integer():
        return format_number(value, 1)
    return format_number(int(value))


def _percent_digits(value: float) -> int:
    """One decimal, or as many as two significant digits of a share under 1 % need (at most 6)."""
    size = abs(value)
    if size == 0 or size >= 1:
        return 1
    return min(1 - math.floor(math.log10(size)), 6)


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at or above ``value``."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _element_id(widget: Widget, part: str) -> str:
    return f"chart-{widget.key.replace('.', '-').replace('_', '-')}-{part}"


def render_chart(widget: Widget) -> Markup:
    """The SVG markup of a chart widget (``bar`` or ``line``)."""
    points = list(widget.points)
    title_id, desc_id = _element_id(widget, "title"), _element_id(widget, "desc")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{widget.chart_type}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{title_id} {desc_id}" '
        'preserveAspectRatio="xMidYMid meet">',
        f'<title id="{title_id}">{escape(_(widget.title))}</title>',
        f'<desc id="{desc_id}">{escape(describe(widget))}</desc>',
    ]
    if not points:
        parts.append(
            f'<text class="chart-empty" x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">'
            f"{escape(_('No data for this period.'))}</text>"
        )
        parts.append("</svg>")
        return Markup("".join(parts))  # noqa: S704 (every text and attribute above is escaped)
    top = nice_ceiling(max(max(p.value for p in points), 0))
    bottom = min(min(p.value for p in points), 0)
    span = (top - bottom) or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y_of(value: float) -> float:
        return TOP + plot_h * (top - value) / span

    parts.append('<g class="chart-grid">')
    for i in range(5):
        tick = bottom + span * i / 4
        y = y_of(tick)
        parts.append(
            f'<line class="chart-gridline" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
            f'y1="{_num(y)}" y2="{_num(y)}"/>'
        )
        parts.append(
            f'<text class="chart-tick" x="{LEFT - 6}" y="{_num(y + 4)}" text-anchor="end">'
            f"{escape(format_value(tick, widget.unit))}</text>"
        )
    parts.append(
        f'<line class="chart-axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
        f'y1="{_num(y_of(0))}" y2="{_num(y_of(0))}"/>'
    )
    parts.append("</g>")

    slot = plot_w / len(points)
    centres = [LEFT + slot * (i + 0.5) for i in range(len(points))]
    if widget.chart_type == "bar":
        parts.append(_bars(points, centres, slot, y_of, widget.unit))
    else:
        parts.append(_line(points, centres, y_of, widget.unit))
    parts.append(_x_labels(points, centres))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text and attribute above is escaped)


def _point_title(point: ChartPoint, unit: str) -> str:
    return f"<title>{escape(point.label)}: {escape(format_value(point.value, unit))}</title>"


def _bars(points: list[ChartPoint], centres: list[float], slot: float, y_of, unit: str) -> str:
    width = max(slot * 0.7, 1)
    zero = y_of(0)
    out = ['<g class="chart-bars">']
    show_values = len(points) <= MAX_VALUE_LABELS
    for point, centre in zip(points, centres, strict=True):
        y = y_of(point.value)
        top, height = min(y, zero), abs(zero - y)
        out.append(
            f'<rect class="chart-bar-rect" x="{_num(centre - width / 2)}" y="{_num(top)}" '
            f'width="{_num(width)}" height="{_num(max(height, 0.5))}">'
            f"{_point_title(point, unit)}</rect>"
        )
        if show_values:
            out.append(
                f'<text class="chart-value" x="{_num(centre)}" y="{_num(top - 5)}" '
                'text-anchor="middle">'
                f"{escape(format_value(point.value, unit))}</text>"
            )
    out.append("</g>")
    return "".join(out)


def _line(points: list[ChartPoint], centres: list[float], y_of, unit: str) -> str:
    coords = [(c, y_of(p.value)) for p, c in zip(points, centres, strict=True)]
    path = " ".join(f"{_num(x)},{_num(y)}" for x, y in coords)
    out = ['<g class="chart-lines">', f'<polyline class="chart-line-path" points="{path}"/>']
    show_values = len(points) <= MAX_VALUE_LABELS
    for point, (x, y) in zip(points, coords, strict=True):
        out.append(
            f'<circle class="chart-point" cx="{_num(x)}" cy="{_num(y)}" r="3.5">'
            f"{_point_title(point, unit)}</circle>"
        )
        if show_values:
            out.append(
                f'<text class="chart-value" x="{_num(x)}" y="{_num(y - 8)}" text-anchor="middle">'
                f"{escape(format_value(point.value, unit))}</text>"
            )
    out.append("</g>")
    return "".join(out)


def _x_labels(points: list[ChartPoint], centres: list[float]) -> str:
    step = max(1, math.ceil(len(points) / MAX_X_LABELS))
    out = ['<g class="chart-xlabels">']
    for i in range(0, len(points), step):
        out.append(
            f'<text class="chart-xlabel" x="{_num(centres[i])}" y="{HEIGHT - BOTTOM + 18}" '
            f'text-anchor="middle">{escape(points[i].label)}</text>'
        )
    out.append("</g>")
    return "".join(out)


def describe(widget: Widget) -> str:
    """A one-sentence summary of a chart for ``<desc>`` and screen readers."""
    points = widget.points
    if not points:
        return _("No data for this period.")
    first, last = points[0].label, points[-1].label
    if widget.chart_type == "bar":
        text = _(
            "Bar chart of %(count)s values from %(first)s to %(last)s.",
            count=len(points),
            first=first,
            last=last,
        )
    else:
        text = _(
            "Line chart of %(count)s values from %(first)s to %(last)s.",
            count=len(points),
            first=first,
            last=last,
        )
    highest = max(points, key=lambda p: p.value)
    return (
        text
        + " "
        + _(
            "Highest: %(value)s (%(label)s).",
            value=format_value(highest.value, widget.unit),
            label=highest.label,
        )
    )
