"""The payments service as a built-in plugin (slug ``payments``, pages at ``/bayar/``)."""

from __future__ import annotations

from typing import Any

from balai import __version__
from balai.auth.access import current_user
from balai.hookimpl import hookimpl
from balai.i18n import N_
from balai.payments import api, jobs, labels, office, pages, perms, service, widgets
from balai.payments.providers import builtin_providers
from balai.payments.tables import PaymentInvoice
from balai.types import Dimension, NavItem, PersonalData, PluginInfo, Routes

SLUG = "payments"


@hookimpl
def plugin_info() -> PluginInfo:
    """The payments service."""
    return PluginInfo(
        slug=SLUG,
        title="Payments",
        dimension=Dimension.GOVERNANCE,
        version=__version__,
        description="One ledger of invoices and payments for every city service.",
        path="bayar",
        department="Bapenda",
    )


@hookimpl
def piccolo_apps() -> list[str]:
    """The ledger's tables."""
    return ["balai.payments.piccolo_app"]


@hookimpl
def register_routes() -> Routes:
    """Invoice and receipt pages, officer pages, the gateway callback."""
    return Routes(
        pages=[
            pages.my_invoices,
            pages.invoice_page,
            pages.invoice_status,
            pages.start,
            pages.receipt,
            pages.verify,
        ],
        office=[
            office.search,
            office.detail,
            office.confirm_cash,
            office.refund,
            office.reconciliation,
            office.run_reconciliation,
        ],
        api=[api.callback],
    )


@hookimpl
def permissions():
    """View, confirm cash, refund, reconcile."""
    return perms.PERMISSIONS


@hookimpl
def roles():
    """Cashier and payments officer."""
    return perms.ROLES


@hookimpl
def payment_providers():
    """Cash, bank virtual account, QRIS, e-wallet."""
    return builtin_providers()


@hookimpl
def scheduled_jobs():
    """Expiry every five minutes; reconciliation daily at 01:00."""
    return jobs.declared_jobs()


@hookimpl
async def dashboard_widgets(request: Any, period: Any):
    """Revenue received, and payments per channel."""
    found = service.providers(request.app.state.ui.registry)
    return await widgets.payment_widgets(period, [(k, p.title) for k, p in found.items()])


@hookimpl
def template_context(request: Any) -> dict[str, Any]:
    """``status_title(value)``: an invoice status in the page's language."""
    return {"status_title": labels.status_title}


@hookimpl
async def nav_items(request: Any):
    """The citizen's invoices, for logged-in users."""
    if await current_user(request) is None:
        return []
    return [NavItem("My invoices", "/bayar/", 800, icon="wallet")]


@hookimpl
def office_nav_items(request: Any):
    """Invoices and reconciliation, for officers who may see them."""
    return [
        NavItem("Invoices", "/kelola/bayar/", 300, perms.VIEW),
        NavItem("Reconciliation", "/kelola/bayar/rekonsiliasi", 310, perms.VIEW),
    ]


@hookimpl
async def personal_data(city, user_id):
    """The account's invoices: kept on erasure, as the city's financial records."""
    rows = await (
        PaymentInvoice.select(
            PaymentInvoice.number,
            PaymentInvoice.status,
            PaymentInvoice.amount,
            PaymentInvoice.source,
            PaymentInvoice.created_at,
            PaymentInvoice.paid_at,
        )
        .where(PaymentInvoice.payer_id == user_id)
        .order_by(PaymentInvoice.created_at)
    )
    records = tuple(
        {
            N_("Invoice"): r["number"],
            N_("Status"): r["status"],
            N_("Amount (Rp)"): str(r["amount"]),
            N_("Service"): r["source"],
            N_("Issued"): r["created_at"].isoformat(),
            N_("Paid"): r["paid_at"].isoformat() if r["paid_at"] else "",
        }
        for r in rows
    )
    kept = N_(
        "Kept: invoices and payments are the city's financial records, which it must keep"
        " (regional finance and tax law; retention period belum diverifikasi / unverified)."
    )
    return [PersonalData(N_("Invoices and payments"), records, kept=kept)] if records else []
