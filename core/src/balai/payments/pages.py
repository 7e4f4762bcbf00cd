"""Citizen pages at ``/bayar/``: invoices, starting a payment, status, receipts, verification."""

from __future__ import annotations

import logging

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from balai.auth.access import PUBLIC, VerificationRequired, current_user, require_login
from balai.i18n import gettext as _
from balai.payments import ledger, numbers, receipts, service
from balai.payments.gateway_client import GatewayError
from balai.payments.labels import provider_title
from balai.payments.qris import QrisError, qr_svg
from balai.payments.sandbox.routes import sandbox_enabled
from balai.payments.tables import PaymentInvoice
from balai.references import ReferenceFormat
from balai.web.rendering import base_url, city_url, flash, render

log = logging.getLogger("balai.payments")

MAX_TOKEN = 64
MY_INVOICES_LIMIT = 50


def _number(raw: str, kind: ReferenceFormat) -> str:
    """The invoice or payment number in the path, written the standard way; 404 if it is none."""
    number = kind.parse(raw[:64])
    if number is None:
        raise NotFoundException()
    return number


async def _visible_invoice(request: Request, number: str, token: str):
    """The invoice if this visitor may see it; 404 otherwise (never saying it exists)."""
    invoice = await ledger.invoice_by_number(_number(number, numbers.INVOICE))
    user = await current_user(request)
    if invoice is None or not service.may_see(invoice, user, token[:MAX_TOKEN]):
        if invoice is not None:
            log.warning("invoice %s asked for without the right account or token", invoice.number)
        raise NotFoundException()
    return invoice


async def _invoice_context(request: Request, invoice, token: str) -> dict:
    ui = request.app.state.ui
    attempt = await service.latest_attempt(invoice) if invoice.is_pending else None
    payment = await ledger.payment_of(invoice)
    qr = ""
    if attempt and attempt["qris_payload"]:
        try:
            qr = qr_svg(attempt["qris_payload"], title="QRIS")
        except QrisError:
            qr = ""
    methods = [
        {"name": key, "title": provider_title(key, p.title, invoice.kind)}
        for key, p in service.providers(ui.registry).items()
    ]
    query = f"?t={token}" if token else ""
    sandbox_url = ""
    if (
        attempt
        and attempt["provider"] != "cash"
        and attempt["external_id"]
        and sandbox_enabled(request)
    ):
        sandbox_url = base_url(request, f"/sandbox-bank/{attempt['external_id']}")
    return {
        "sandbox_url": sandbox_url,
        "invoice": invoice,
        "attempt": attempt,
        "payment": payment,
        "qris_svg": qr,
        "methods": methods,
        "token": token,
        "invoice_url": city_url(request, f"/bayar/{invoice.number}{query}"),
        "status_url": city_url(request, f"/bayar/{invoice.number}/status{query}"),
        "live": False,
        "start_url": city_url(request, f"/bayar/{invoice.number}/mulai"),
        "receipt_url": city_url(request, f"/bayar/kuitansi/{payment['number']}{query}")
        if payment
        else "",
    }


# Opened with the invoice's secret token by anyone holding the link: never cached.
TOKEN_PAGE = {**PUBLIC, "private": True}


@get("/", guards=[require_login], name="payments-mine")
async def my_invoices(request: Request) -> Response:
    """The logged-in citizen's invoices, newest first."""
    user = await current_user(request)
    rows = await (
        PaymentInvoice.select()
        .where(PaymentInvoice.payer_id == user.id)  # type: ignore[union-attr]
        .order_by(PaymentInvoice.id, ascending=False)
        .limit(MY_INVOICES_LIMIT)
    )
    return await render(request, "payments/my_invoices.html", {"invoices": rows})


@get("/{number:str}", opt=TOKEN_PAGE, name="payments-invoice")
async def invoice_page(request: Request, number: FromPath[str], t: FromQuery[str] = "") -> Response:
    """An invoice: its items, amount and status, the ways to pay, and how to go on."""
    invoice = await _visible_invoice(request, number, t)
    return await render(
        request, "payments/invoice.html", await _invoice_context(request, invoice, t)
    )


@get("/{number:str}/status", opt=TOKEN_PAGE, name="payments-invoice-status")
async def invoice_status(
    request: Request, number: FromPath[str], t: FromQuery[str] = ""
) -> Response:
    """The status fragment the invoice page polls (htmx); it stops polling once settled.

    Asked for, the page is known to run scripts: the fragment then says that it
    updates by itself (the page as first served offers a reload link instead).
    """
    invoice = await _visible_invoice(request, number, t)
    context = await _invoice_context(request, invoice, t)
    context["live"] = True
    return await render(request, "payments/_status.html", context)


@post("/{number:str}/mulai", opt=PUBLIC, name="payments-start")
async def start(request: Request, number: FromPath[str]) -> Response:
    """Start paying with the chosen method; shows VA number, QRIS code or the e-wallet page.

    Anyone holding the invoice (or its link) may pay it; a logged-in account
    must have verified its email or phone first.
    """
    payer = await current_user(request)
    if payer is not None and not payer.verified:  # an account pays once its contact is proven
        raise VerificationRequired("verify your email or phone before paying")
    form = await request.form()
    token = str(form.get("t", ""))[:MAX_TOKEN]
    invoice = await _visible_invoice(request, number, token)
    back = city_url(request, service.invoice_path(invoice, with_token=bool(token)))
    if not invoice.is_pending:
        flash(request, _("This invoice can no longer be paid."), "error")
        return Redirect(back, status_code=303)
    provider = service.providers(request.app.state.ui.registry).get(str(form.get("method", "")))
    if provider is None:
        log.warning("payment of %s: unknown method %r", invoice.number, form.get("method"))
        context = await _invoice_context(request, invoice, token)
        context["error"] = _("Choose one of the payment methods.")
        return await render(request, "payments/invoice.html", context, status_code=400)
    try:
        _attempt, started = await service.start_payment(
            request, invoice, provider, with_token=bool(token)
        )
    except (GatewayError, QrisError) as exc:
        log.warning("payment of %s with %s could not start: %s", invoice.number, provider.key, exc)
        flash(
            request, _("The payment service is not available now. Please try again later."), "error"
        )
        return Redirect(back, status_code=303)
    if started.redirect_url:
        return Redirect(started.redirect_url, status_code=303)
    return Redirect(back, status_code=303)


@get("/kuitansi/{number:str}", opt=TOKEN_PAGE, name="payments-receipt")
async def receipt(request: Request, number: FromPath[str], t: FromQuery[str] = "") -> Response:
    """A printable receipt with a QR code leading to its public verification page."""
    payment = await receipts.payment_by_number(_number(number, numbers.PAYMENT))
    if payment is None:
        raise NotFoundException()
    invoice = await ledger.invoice_by_id(payment["invoice_id"])
    user = await current_user(request)
    if invoice is None or not service.may_see(invoice, user, t[:MAX_TOKEN]):
        raise NotFoundException()
    return await render(
        request,
        "payments/receipt.html",
        {
            "invoice": invoice,
            "payment": payment,
            "method": provider_title(payment["provider"], payment["provider"], invoice.kind),
            "qr_svg": receipts.verification_qr(request, payment["number"]),
            "verify_url": receipts.verification_url(request, payment["number"]),
        },
    )


@get("/verifikasi/{number:str}", opt=PUBLIC, name="payments-verify")
async def verify(request: Request, number: FromPath[str], k: FromQuery[str] = "") -> Response:
    """Public check of a receipt: city, payment number, amount, date and validity only."""
    found = await receipts.verify(request, _number(number, numbers.PAYMENT), k)
    if found is None:
        log.warning("receipt verification failed for %s", number[:40])
        return await render(request, "payments/verify.html", {"found": None}, status_code=404)
    return await render(request, "payments/verify.html", {"found": found})
