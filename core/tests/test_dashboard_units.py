"""Rules of the dashboard's parts: periods, widgets, daily metrics and SVG charts."""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from balai import toolkit as tk
from balai.dashboard.charts import format_value, nice_ceiling, render_chart
from balai.dashboard.metrics import (
    bump_metric,
    metric_months,
    metric_series,
    metric_total,
    set_metric,
)
from balai.dashboard.period import Period, PeriodError, parse_period
from balai.i18n import _current_locale

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 22, 18, 30, tzinfo=UTC)  # 23 November 01:30 WIB
SVG = "{http://www.w3.org/2000/svg}"


# --- periods ------------------------------------------------------------------


def test_presets_end_today_in_the_city_zone():
    week = parse_period({"period": "7d"}, WIB, NOW)
    assert (week.start, week.end, week.granularity, week.days) == (
        date(2026, 11, 17),
        date(2026, 11, 23),
        "day",
        7,
    )
    assert parse_period({}, WIB, NOW).days == 30  # the default: last 30 days
    month = parse_period({"period": "month"}, WIB, NOW)
    assert (month.start, month.end) == (date(2026, 11, 1), date(2026, 11, 23))
    year = parse_period({"period": "year"}, WIB, NOW)
    assert (year.start, year.granularity) == (date(2026, 1, 1), "month")
    assert [year.label(b) for b in year.buckets()][-2:] == ["2026-10", "2026-11"]


def test_custom_period_and_its_previous_one():
    period = parse_period({"period": "custom", "from": "2026-03-01", "to": "2026-03-10"}, WIB, NOW)
    assert (period.days, period.granularity) == (10, "day")
    before = period.previous()
    assert (before.start, before.end) == (date(2026, 2, 19), date(2026, 2, 28))
    long = parse_period({"period": "custom", "from": "2025-01-01", "to": "2026-06-30"}, WIB, NOW)
    assert long.granularity == "month"
    assert long.query() == {"period": "custom", "from": "2025-01-01", "to": "2026-06-30"}


def test_period_utc_bounds_follow_the_city_day():
    period = Period(date(2026, 11, 1), date(2026, 11, 1), tz=WIB)
    start, end = period.utc_bounds()
    assert (start, end) == (
        datetime(2026, 10, 31, 17, tzinfo=UTC),
        datetime(2026, 11, 1, 17, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"period": "decade"}, "Unknown period"),
        ({"period": "custom", "from": "2026-01-01"}, "both a start and an end"),
        (
            {"period": "custom", "from": "01/02/2026", "to": "2026-02-01"},
            "start date must be a date",
        ),
        ({"period": "custom", "from": "2026-01-01", "to": "2026-02-30"}, "end date must be a date"),
        ({"period": "custom", "from": "2026-02-01", "to": "2026-01-01"}, "must not be after"),
        (
            {"period": "custom", "from": "2026-11-01", "to": "2026-11-24"},
            "cannot end in the future",
        ),
        ({"period": "custom", "from": "2020-01-01", "to": "2026-01-01"}, "at most three years"),
    ],
)
def test_bad_periods_are_refused_with_a_reason(args, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(args, WIB, NOW)


# --- widgets ------------------------------------------------------------------


def test_figure_trend_and_csv():
    up = tk.Widget.figure("pasar.orders", tk.Dimension.ECONOMY, "Orders", 150, previous=100)
    assert (up.trend, up.change_percent) == ("up", 50.0)
    assert up.csv_rows() == [["value", "previous", "unit"], ["150", "100", "count"]]
    down = tk.Widget.figure("pasar.orders", tk.Dimension.ECONOMY, "Orders", 5, previous=10)
    assert down.trend == "down"
    assert tk.Widget.figure("pasar.x", tk.Dimension.ECONOMY, "X", 5, previous=5).trend == "flat"
    assert tk.Widget.figure("pasar.x", tk.Dimension.ECONOMY, "X", 5).trend is None


def test_gauge_is_a_value_now_with_an_optional_meter():
    queue = tk.Widget.gauge("pasar.open", tk.Dimension.ECONOMY, "Open", 42, limit=50, high=40)
    assert queue.kind == "gauge" and queue.trend is None
    assert queue.csv_rows() == [["value", "limit", "unit"], ["42", "50", "count"]]
    assert queue.meter_high == 40
    bare = tk.Widget.gauge("pasar.open", tk.Dimension.ECONOMY, "Open", 7)
    assert bare.csv_rows()[1] == ["7", "", "count"] and bare.meter_high is None
    assert tk.Widget.gauge("pasar.x", tk.Dimension.ECONOMY, "X", 1, limit=5, high=9).meter_high == 5


def test_chart_and_table_csv_rows():
    chart = tk.Widget.chart(
        "pasar.daily", tk.Dimension.ECONOMY, "Daily", [("2026-11-01", 3), ("2026-11-02", 4.0)]
    )
    assert chart.csv_rows() == [["label", "value"], ["2026-11-01", "3"], ["2026-11-02", "4"]]
    table = tk.Widget.table(
        "pasar.top", tk.Dimension.ECONOMY, "Top", ["Stall", "Orders"], [["A", 3], ["B", 1]]
    )
    assert table.csv_rows() == [["Stall", "Orders"], ["A", "3"], ["B", "1"]]


@pytest.mark.parametrize(
    "make",
    [
        lambda: tk.Widget.figure("NoDot", tk.Dimension.ECONOMY, "X", 1),
        lambda: tk.Widget("pasar.x", tk.Dimension.ECONOMY, "X", "figure"),
        lambda: tk.Widget.chart("pasar.x", tk.Dimension.ECONOMY, "X", [], chart_type="pie"),
        lambda: tk.Widget.table("pasar.x", tk.Dimension.ECONOMY, "X", ["a", "b"], [[1]]),
        lambda: tk.Widget.figure("pasar.x", tk.Dimension.ECONOMY, "X", 1, unit="euro"),
        lambda: tk.Widget("pasar.x", tk.Dimension.ECONOMY, "X", "gauge"),
        lambda: tk.Widget.gauge("pasar.x", tk.Dimension.ECONOMY, "X", 1, limit=0),
    ],
)
def test_malformed_widgets_are_refused(make):
    with pytest.raises(ValueError):
        make()


# --- charts -------------------------------------------------------------------


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_bar_chart_is_well_formed_svg_with_its_values_as_text():
    widget = tk.Widget.chart(
        "pasar.daily",
        tk.Dimension.ECONOMY,
        "Daily orders",
        [("2026-11-01", 1234), ("2026-11-02", 0), ("2026-11-03", 56)],
    )
    root = _parse(str(render_chart(widget)))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert "style" not in str(render_chart(widget)) and "<script" not in str(render_chart(widget))
    assert root.find(f"{SVG}title").text == "Daily orders"
    assert "3" in root.find(f"{SVG}desc").text and "2026-11-01" in root.find(f"{SVG}desc").text
    bars = root.findall(f".//{SVG}rect")
    assert len(bars) == 3
    assert [b.find(f"{SVG}title").text for b in bars] == [
        "2026-11-01: 1.234",
        "2026-11-02: 0",
        "2026-11-03: 56",
    ]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"1.234", "0", "56"} <= set(texts)  # value labels
    assert "2026-11-01" in texts  # x axis label


def test_line_chart_in_rupiah_and_empty_chart():
    widget = tk.Widget.chart(
        "pasar.rev",
        tk.Dimension.ECONOMY,
        "Revenue",
        [("A", 1500000), ("B", 2500000)],
        chart_type="line",
        unit="rupiah",
    )
    root = _parse(str(render_chart(widget)))
    assert root.find(f".//{SVG}polyline") is not None
    assert [c.find(f"{SVG}title").text for c in root.iter(f"{SVG}circle")] == [
        "A: Rp1.500.000",
        "B: Rp2.500.000",
    ]
    empty = _parse(
        str(render_chart(tk.Widget.chart("pasar.none", tk.Dimension.ECONOMY, "None", [])))
    )
    assert "No data" in "".join(empty.itertext())


def test_chart_escapes_labels():
    widget = tk.Widget.chart("pasar.esc", tk.Dimension.ECONOMY, "A <b> & c", [("<x>", 1)])
    root = _parse(str(render_chart(widget)))
    assert root.find(f"{SVG}title").text == "A <b> & c"


def test_number_formats_follow_the_readers_language():
    shown = (
        format_value(1250000, "rupiah"),
        format_value(12.345, "percent"),
        format_value(1234, "count"),
        format_value(1234.56, "count"),
    )
    assert shown == ("Rp1.250.000", "12,3%", "1.234", "1.234,6")
    token = _current_locale.set("en")
    try:
        assert format_value(12.345, "percent") == "12.3%"
        assert format_value(1234, "count") == "1,234"
        assert format_value(1250000, "rupiah") == "Rp1.250.000"
    finally:
        _current_locale.reset(token)
    assert [nice_ceiling(v) for v in (0, 7, 13, 230, 1)] == [1, 10, 20, 250, 1]


def test_a_small_percentage_keeps_two_significant_digits():
    # 126 of about 850,000 people: "0,0%" would read as nobody
    assert format_value(100 * 126 / 850_000, "percent") == "0,015%"
    assert format_value(0.5, "percent") == "0,50%"
    assert format_value(0.0, "percent") == "0,0%"
    assert format_value(-0.25, "percent") == "-0,25%"
    assert format_value(1e-9, "percent") == "0,000000%"
    assert format_value(99.96, "percent") == "100,0%"


# --- daily metrics ------------------------------------------------------------


async def _metric_roundtrip() -> tuple:
    period = Period(date(2026, 11, 1), date(2026, 11, 3), tz=WIB)
    await bump_metric("uji.visits", 2, day=date(2026, 11, 1))
    await bump_metric("uji.visits", 3, day=date(2026, 11, 1))
    await bump_metric("uji.visits", day=date(2026, 11, 3))
    await set_metric("uji.visits", date(2026, 10, 31), 7)
    series = await metric_series("uji.visits", period)
    total = await metric_total("uji.visits", period)
    cumulative = await metric_total("uji.visits", period, cumulative=True)
    months = await metric_months("uji.visits")
    return series, total, cumulative, months


async def _metric_series_only() -> list:
    return await metric_series("uji.visits", Period(date(2026, 11, 1), date(2026, 11, 3), tz=WIB))


def test_bumped_metrics_add_up_per_day_and_per_city(balai_app, city_run):
    series, total, cumulative, months = city_run("malang", _metric_roundtrip)
    assert series == [("2026-11-01", 5), ("2026-11-02", 0), ("2026-11-03", 1)]
    assert (total, cumulative) == (6, 13)
    assert months == [("2026-10", 7), ("2026-11", 6)]
    assert city_run("semarang", _metric_series_only) == [
        ("2026-11-01", 0),
        ("2026-11-02", 0),
        ("2026-11-03", 0),
    ]


def test_metric_names_are_namespaced():
    with pytest.raises(ValueError, match=r"slug\.what"):
        asyncio.run(bump_metric("visits"))


async def _window_reads() -> tuple:
    from balai.dashboard.metrics import reading_window
    from balai.dashboard.tables import DailyMetric

    for day, value in ((date(2026, 9, 1), 4), (date(2026, 10, 30), 2), (date(2026, 11, 2), 3)):
        await set_metric("uji.visits", day, value)
    await set_metric("uji.sales", date(2026, 11, 1), 9)
    period = Period(date(2026, 11, 1), date(2026, 11, 3), tz=WIB)
    before = period.previous()

    async def reads() -> tuple:
        return (
            await metric_series("uji.visits", period),
            await metric_total("uji.visits", period),
            await metric_total("uji.visits", before),
            await metric_total("uji.visits", period, cumulative=True),
            await metric_total("uji.visits", before, cumulative=True),
            await metric_total("uji.sales", period),
        )

    outside = await reads()
    with reading_window(period):
        inside = await reads()
        await DailyMetric.delete(force=True)  # the window answers totals from what it read
        cached = await reads()
    return outside, inside, cached, await reads()


def test_a_reading_window_gives_the_same_totals_from_one_read(balai_app, city_run):
    outside, inside, cached, after = city_run("malang", _window_reads)
    assert outside == ([("2026-11-01", 0), ("2026-11-02", 3), ("2026-11-03", 0)], 3, 2, 9, 6, 9)
    assert inside == outside
    # totals come from the window's one read; series are read afresh (one metric's days)
    assert cached[1:] == outside[1:] and cached[0] == [
        ("2026-11-01", 0),
        ("2026-11-02", 0),
        ("2026-11-03", 0),
    ]
    assert after == ([("2026-11-01", 0), ("2026-11-02", 0), ("2026-11-03", 0)], 0, 0, 0, 0, 0)


async def _bump_together() -> int:
    day = date(2026, 11, 5)
    await asyncio.gather(*(bump_metric("uji.taps", n, day=day) for n in range(1, 31)))
    return await metric_total("uji.taps", Period(day, day, tz=WIB))


def test_concurrent_bumps_are_not_lost(balai_app, city_run):
    """One upsert per bump: 30 writers at once on the same row add up (run with PostgreSQL too)."""
    assert city_run("malang", _bump_together) == sum(range(1, 31))
