"""Gathering the widgets of a city's plugins and grouping them by dimension."""

from __future__ import annotations

import logging

from litestar import Request

from balai.dashboard.metrics import reading_window
from balai.dashboard.period import Period
from balai.dashboard.widgets import DimensionSection, Widget
from balai.tenants import current_city
from balai.types import Dimension

log = logging.getLogger("balai.dashboard")

# What would feed each dimension, shown where a dimension has no widget yet.
FEEDERS = {
    Dimension.GOVERNANCE: "Permits, complaints, local taxes and the city's own accounts.",
    Dimension.LIVING: "Health, housing, transport and public safety services.",
    Dimension.ECONOMY: "Payments, markets and small businesses (UMKM), and investment.",
    Dimension.BRANDING: "Tourism, events and city promotion.",
    Dimension.SOCIETY: "Education, social aid, libraries and citizen participation.",
    Dimension.ENVIRONMENT: "Waste collection, parks, air and water quality, and energy.",
}
DIMENSION_TITLES = {
    Dimension.GOVERNANCE: "Smart governance",
    Dimension.LIVING: "Smart living",
    Dimension.ECONOMY: "Smart economy",
    Dimension.BRANDING: "Smart branding",
    Dimension.SOCIETY: "Smart society",
    Dimension.ENVIRONMENT: "Smart environment",
}


async def gather_widgets(request: Request, period: Period) -> list[Widget]:
    """Every widget the city's enabled plugins give for ``period``, ordered, keys unique.

    A value that is not a ``Widget``, or a key given twice, is logged and
    left out rather than breaking the mayor's page.
    """
    registry = request.app.state.ui.registry
    with reading_window(period):
        found = await registry.gather(
            current_city(), "dashboard_widgets", request=request, period=period
        )
    widgets: dict[str, Widget] = {}
    for item in found:
        if not isinstance(item, Widget):
            log.warning(
                "dashboard_widgets returned %r, not a toolkit.Widget; skipped", type(item).__name__
            )
            continue
        if item.key in widgets:
            log.warning("dashboard widget key %r given twice; the second is skipped", item.key)
            continue
        widgets[item.key] = item
    return sorted(widgets.values(), key=lambda w: (w.order, w.key))


def sections(widgets: list[Widget]) -> list[DimensionSection]:
    """The six dimensions in their fixed order, each with its widgets (maybe none)."""
    by_dimension = {d: DimensionSection(d) for d in Dimension}
    for widget in widgets:
        by_dimension[widget.dimension].widgets.append(widget)
    return list(by_dimension.values())
