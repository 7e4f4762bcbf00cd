"""Open data as a built-in plugin (slug ``opendata``).

Pages at ``/data/``, the API at ``/api/data/``.
"""

from __future__ import annotations

from balai import __version__
from balai.hookimpl import hookimpl
from balai.opendata import core_datasets, routes
from balai.types import Dimension, NavItem, PluginInfo, Routes

SLUG = "opendata"


@hookimpl
def plugin_info() -> PluginInfo:
    """Open data."""
    return PluginInfo(
        slug=SLUG,
        title="Open data",
        dimension=Dimension.GOVERNANCE,
        version=__version__,
        description="The city's aggregated figures, free to download and reuse.",
        path="data",
    )


@hookimpl
def register_routes() -> Routes:
    """The public pages, downloads and the JSON API."""
    return Routes(pages=routes.PAGES, api=routes.API)


@hookimpl
def nav_items(request):
    """Open data, for everyone."""
    return [NavItem("Open data", "/data/", 800, icon="chart")]


@hookimpl
def open_datasets(city):
    """The core's dataset: accounts registered per month."""
    return [core_datasets.ACCOUNTS_MONTHLY]
