"""The partners service as a built-in plugin (slug ``partners``, pages at ``/kelola/mitra/``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from balai import __version__
from balai.hookimpl import hookimpl
from balai.partners import api, catalogue, lookup, office, orders, perms
from balai.tenants import City
from balai.types import Dimension, NavItem, PluginInfo, Routes

SLUG = "partners"


@hookimpl
def plugin_info() -> PluginInfo:
    """The partners service."""
    return PluginInfo(
        slug=SLUG,
        title="Partner channels",
        dimension=Dimension.GOVERNANCE,
        version=__version__,
        description="Banks, e-wallets and delivery apps pay and sell the city's services.",
        path="mitra",
        department="Bapenda",
    )


@hookimpl
def piccolo_apps() -> list[str]:
    """Partners, their tokens, messages, inquiries and payments."""
    return ["balai.partners.piccolo_app"]


@hookimpl
def register_routes() -> Routes:
    """Officer pages and the partners' signed API."""
    return Routes(office=office.ROUTES, api=[*api.ROUTES, *catalogue.ROUTES, *orders.ROUTES])


@hookimpl
def permissions():
    """View, manage, reconcile."""
    return perms.PERMISSIONS


@hookimpl
def roles():
    """Partner channels officer."""
    return perms.ROLES


@hookimpl
async def payables(city: City, customer_number: str, today: date) -> Any:
    """Any pending ledger invoice, by its number."""
    return await lookup.ledger_invoice(customer_number)


@hookimpl
def office_nav_items(request: Any):
    """Partners, for officers who may see them."""
    return [NavItem("Partners", "/kelola/mitra/", 320, perms.VIEW)]
