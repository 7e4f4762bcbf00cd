"""The sandbox bank as a built-in plugin (slug ``payments_sandbox``, at ``/sandbox-bank/``).

Its routes work without a city, like a bank's: the API under
``/api/sandbox-bank/v1.0/`` and the pages under ``/sandbox-bank/``. They
answer only on development instances or with ``BALAI_SANDBOX_BANK=1``.
"""

from __future__ import annotations

from balai import __version__
from balai.hookimpl import hookimpl
from balai.payments.sandbox import routes
from balai.types import Dimension, PluginInfo, Routes

SLUG = "payments_sandbox"


@hookimpl
def plugin_info() -> PluginInfo:
    """The sandbox bank."""
    return PluginInfo(
        slug=SLUG,
        title="Sandbox bank",
        dimension=Dimension.GOVERNANCE,
        version=__version__,
        description="A payment gateway for development and tests, served by the app itself.",
        path="sandbox-bank",
    )


@hookimpl
def register_routes() -> Routes:
    """The bank's pages and its SNAP API."""
    return Routes(
        pages=[routes.bank_page, routes.bank_action],
        api=[routes.create_va, routes.create_qris, routes.create_ewallet, routes.settlement_report],
    )
