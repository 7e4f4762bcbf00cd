"""What a dashboard widget is: a figure with its trend, a gauge, a chart or a short table.

Plugins return :class:`Widget` values from the ``dashboard_widgets`` hook.
Build them with the constructors :meth:`Widget.figure`, :meth:`Widget.gauge`,
:meth:`Widget.chart` and :meth:`Widget.table`; every widget can export its
numbers as CSV rows. A figure counts what happened in the chosen period; a
gauge shows how things stand *now* (open orders, requests waiting), whatever
the period.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from balai.types import Dimension

WidgetKind = Literal["figure", "gauge", "chart", "table"]
Unit = Literal["count", "rupiah", "percent"]
ChartType = Literal["bar", "line"]
_KEY = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9_]+$")


@dataclass(frozen=True)
class ChartPoint:
    """One point of a chart: a label on the x axis and its value."""

    label: str
    value: int | float


@dataclass(frozen=True)
class Widget:
    """One card of the mayor's dashboard.

    Attributes:
        key: Stable name ``<slug>.<what>`` (lower case, digits, ``_``); used
            in the widget's CSV and refresh URLs, so keep it across versions.
        dimension: The smart-city dimension whose section shows it.
        title: A gettext msgid, translated when shown.
        kind: ``figure``, ``gauge``, ``chart`` or ``table``.
        value: Figure: the number for the period. Gauge: the number now.
        previous: Figure: the number for the period before, for the trend
            arrow (``None``: no trend shown).
        limit: Gauge: the scale's end (a capacity, a target), drawn as a
            meter; ``None``: the number alone.
        high: Gauge: from this value on the meter shows a warning (a queue
            too long); ``None``: never.
        unit: Figure, gauge and chart values: ``count``, ``rupiah`` (integer
            rupiah) or ``percent``.
        points: Chart: the series of (label, value) points, in order.
        chart_type: Chart: ``bar`` or ``line``.
        columns: Table: the column headings (gettext msgids).
        rows: Table: the rows, each as many cells as there are columns.
        note: Optional one-line explanation under the title (a msgid).
        order: Lower comes first within its dimension.
    """

    key: str
    dimension: Dimension
    title: str
    kind: WidgetKind
    value: int | float | None = None
    previous: int | float | None = None
    limit: int | float | None = None
    high: int | float | None = None
    unit: Unit = "count"
    points: tuple[ChartPoint, ...] = ()
    chart_type: ChartType = "bar"
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[Any, ...], ...] = ()
    note: str = ""
    order: int = 100

    def __post_init__(self) -> None:
        if not _KEY.match(self.key):
            raise ValueError(f"widget key {self.key!r} must look like 'slug.what'")
        if self.kind not in ("figure", "gauge", "chart", "table"):
            raise ValueError(f"widget {self.key!r}: unknown kind {self.kind!r}")
        if self.unit not in ("count", "rupiah", "percent"):
            raise ValueError(f"widget {self.key!r}: unknown unit {self.unit!r}")
        if self.kind in ("figure", "gauge") and self.value is None:
            raise ValueError(f"{self.kind} widget {self.key!r} needs a value")
        if self.kind == "gauge" and self.limit is not None and self.limit <= 0:
            raise ValueError(f"gauge widget {self.key!r}: limit must be above zero")
        if self.kind == "chart" and self.chart_type not in ("bar", "line"):
            raise ValueError(f"chart widget {self.key!r}: chart_type must be 'bar' or 'line'")
        if self.kind == "table":
            width = len(self.columns)
            if not width or any(len(row) != width for row in self.rows):
                raise ValueError(f"table widget {self.key!r}: every row needs {width} cells")

    # --- constructors ----------------------------------------------------

    @classmethod
    def figure(
        cls,
        key: str,
        dimension: Dimension,
        title: str,
        value: int | float,
        *,
        previous: int | float | None = None,
        unit: Unit = "count",
        note: str = "",
        order: int = 100,
    ) -> Widget:
        """A single number for the period, with the previous period's for the trend."""
        return cls(
            key,
            dimension,
            title,
            "figure",
            value=value,
            previous=previous,
            unit=unit,
            note=note,
            order=order,
        )

    @classmethod
    def gauge(
        cls,
        key: str,
        dimension: Dimension,
        title: str,
        value: int | float,
        *,
        limit: int | float | None = None,
        high: int | float | None = None,
        unit: Unit = "count",
        note: str = "",
        order: int = 100,
    ) -> Widget:
        """A current value (open items now), with a meter when ``limit`` is given.

        Read it when the page asks (a ``COUNT`` of open rows): it does not
        depend on the period, and the card says "now".
        """
        return cls(
            key,
            dimension,
            title,
            "gauge",
            value=value,
            limit=limit,
            high=high,
            unit=unit,
            note=note,
            order=order,
        )

    @classmethod
    def chart(
        cls,
        key: str,
        dimension: Dimension,
        title: str,
        points: Sequence[tuple[str, int | float]] | Sequence[ChartPoint],
        *,
        chart_type: ChartType = "bar",
        unit: Unit = "count",
        note: str = "",
        order: int = 100,
    ) -> Widget:
        """A bar or line chart of ``(label, value)`` points."""
        shown = tuple(
            p if isinstance(p, ChartPoint) else ChartPoint(str(p[0]), p[1]) for p in points
        )
        return cls(
            key,
            dimension,
            title,
            "chart",
            points=shown,
            chart_type=chart_type,
            unit=unit,
            note=note,
            order=order,
        )

    @classmethod
    def table(
        cls,
        key: str,
        dimension: Dimension,
        title: str,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        note: str = "",
        order: int = 100,
    ) -> Widget:
        """A short table (keep it to about ten rows)."""
        return cls(
            key,
            dimension,
            title,
            "table",
            columns=tuple(columns),
            rows=tuple(tuple(r) for r in rows),
            note=note,
            order=order,
        )

    # --- reading ---------------------------------------------------------

    @property
    def trend(self) -> Literal["up", "down", "flat"] | None:
        """Figure: whether the value went up, down or stayed against ``previous``."""
        if self.kind != "figure" or self.previous is None or self.value is None:
            return None
        if self.value > self.previous:
            return "up"
        if self.value < self.previous:
            return "down"
        return "flat"

    @property
    def meter_high(self) -> int | float | None:
        """Gauge: where the meter's warning starts (above the limit: never)."""
        if self.high is None or self.limit is None:
            return None
        return min(self.high, self.limit)

    @property
    def change_percent(self) -> float | None:
        """Figure: the change against ``previous`` in percent (``None`` from zero)."""
        if self.trend is None or not self.previous:
            return None
        return (self.value - self.previous) * 100.0 / abs(self.previous)  # type: ignore[operator]

    def csv_rows(self) -> list[list[str]]:
        """The widget's numbers as CSV rows, the header row first (untranslated keys)."""
        if self.kind == "figure":
            return [
                ["value", "previous", "unit"],
                [_cell(self.value), _cell(self.previous), self.unit],
            ]
        if self.kind == "gauge":
            return [["value", "limit", "unit"], [_cell(self.value), _cell(self.limit), self.unit]]
        if self.kind == "chart":
            return [["label", "value"], *([p.label, _cell(p.value)] for p in self.points)]
        return [list(self.columns), *([_cell(c) for c in row] for row in self.rows)]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class DimensionSection:
    """The widgets of one dimension, as the page shows them."""

    dimension: Dimension
    widgets: list[Widget] = field(default_factory=list)
