"""Texts chosen at run time (statuses, the built-in providers), written out for translation."""

from __future__ import annotations

from balai.i18n import gettext as _


def status_title(status: str) -> str:
    """The translated name of an invoice status."""
    titles = {
        "pending": _("Pending"),
        "paid": _("Paid"),
        "expired": _("Expired"),
        "refunded": _("Refunded"),
        "cancelled": _("Cancelled"),
    }
    return titles.get(status, status)


def provider_title(key: str, msgid: str, kind: str = "") -> str:
    """The translated title of a payment provider (a plugin's own msgid otherwise).

    ``kind`` is the invoice's :class:`~balai.payments.types.InvoiceKind`: cash
    is paid at the counter for a bill, on delivery for goods; ``""`` (payments
    of every kind together, as in the dashboard) says only "Cash".
    """
    cash = {
        "bill": _("Cash at the counter"),
        "goods": _("Cash on delivery"),
    }
    titles = {
        "cash": cash.get(kind) or _("Cash"),
        "va": _("Bank virtual account"),
        "qris": _("QRIS"),
        "ewallet": _("E-wallet"),
    }
    return titles.get(key) or _(msgid)
