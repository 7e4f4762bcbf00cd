"""A test plugin, ``papan``, that feeds the dashboard and open data (no tests here).

Malang enables it, Semarang does not, so the tests can check that a disabled
plugin's widgets and datasets are absent.
"""

from __future__ import annotations

from balai import toolkit as tk
from balai.builtins import builtin_plugins
from balai.plugins import PluginRegistry

SLUG = "papan"


async def _waste_rows(city):
    return [
        {"month": "2026-10", "district": "Klojen", "tonnes": 120.5, "collected": True},
        {"month": "2026-11", "district": "Lowokwaru", "tonnes": 98, "collected": False},
    ]


class PapanPlugin:
    """Widgets in economy and environment (a figure, a gauge, a chart, a table), one dataset."""

    @tk.hookimpl
    def plugin_info(self):
        return tk.PluginInfo(
            slug=SLUG, title="Papan", dimension=tk.Dimension.ENVIRONMENT, version="0.1"
        )

    @tk.hookimpl
    async def dashboard_widgets(self, request, period):
        return [
            tk.Widget.figure(
                "papan.revenue",
                tk.Dimension.ECONOMY,
                "Market revenue",
                2500000,
                previous=2000000,
                unit="rupiah",
            ),
            tk.Widget.gauge(
                "papan.open_requests",
                tk.Dimension.ENVIRONMENT,
                "Pickup requests waiting",
                42,
                limit=50,
                high=40,
            ),
            tk.Widget.chart(
                "papan.tonnes",
                tk.Dimension.ENVIRONMENT,
                "Waste collected",
                [("2026-10", 120), ("2026-11", 98)],
                chart_type="line",
            ),
            tk.Widget.table(
                "papan.districts",
                tk.Dimension.ENVIRONMENT,
                "Districts",
                ["District", "Tonnes"],
                [["Klojen", 120], ["Lowokwaru", 98]],
            ),
        ]

    @tk.hookimpl
    def open_datasets(self, city):
        return [
            tk.Dataset(
                slug="papan-waste",
                title="Waste collected per district",
                description="Tonnes of waste collected per district and month.",
                dimension=tk.Dimension.ENVIRONMENT,
                columns=(
                    tk.DatasetColumn("month", "month", "Month"),
                    tk.DatasetColumn("district", "string", "District"),
                    tk.DatasetColumn("tonnes", "number", "Tonnes collected"),
                    tk.DatasetColumn("collected", "boolean", "Collected on schedule"),
                ),
                fetch=_waste_rows,
                publisher="DLH",
            )
        ]


def papan_registry() -> PluginRegistry:
    """The core, its built-in services and ``papan``."""
    registry = PluginRegistry()
    for slug, builtin in builtin_plugins().items():
        registry.register(builtin, slug)
    registry.register(PapanPlugin(), SLUG)
    return registry
