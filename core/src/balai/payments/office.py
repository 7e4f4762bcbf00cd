"""Officer pages at ``/kelola/bayar/``: search, detail, cash, refunds, reconciliation."""

from __future__ import annotations

import logging
from datetime import date
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from balai.auth.access import current_user, require_permission
from balai.db.keywords import contains
from balai.i18n import gettext as _
from balai.payments import ledger, numbers, perms, reconcile
from balai.payments.gateway_client import GatewayError
from balai.payments.labels import status_title
from balai.payments.tables import (
    PaymentAttempt,
    PaymentEvent,
    PaymentInvoice,
    ReconciliationDiff,
    ReconciliationRun,
)
from balai.payments.types import InvoiceStatus
from balai.web.rendering import city_url, flash, render

log = logging.getLogger("balai.payments.office")

PAGE_SIZE = 25
MAX_QUERY = 80
MAX_REASON = 300


async def _audit(request: Request, action: str, subject: str, detail: dict) -> None:
    from balai.audit.log import record

    user = await current_user(request)
    await record(
        action, actor_id=user.id if user else None, request=request, subject=subject, detail=detail
    )


async def _invoice(number: str):
    parsed = numbers.INVOICE.parse(number[:64])
    if parsed is None:
        raise NotFoundException()
    invoice = await ledger.invoice_by_number(parsed)
    if invoice is None:
        raise NotFoundException()
    return invoice


@get("/", guards=[require_permission(perms.VIEW)], name="payments-office-search")
async def search(
    request: Request, q: FromQuery[str] = "", status: FromQuery[str] = "", page: FromQuery[int] = 1
) -> Response:
    """Find invoices by number, payer name or source reference, and by status."""
    query = " ".join(q.split())[:MAX_QUERY]
    page = max(1, min(page, 10_000))
    where = PaymentInvoice.id > 0
    if query:
        where &= (
            contains(PaymentInvoice.number, query)
            | contains(PaymentInvoice.payer_name, query)
            | contains(PaymentInvoice.source_ref, query)
        )
    errors = {}
    if status:
        if status not in {s.value for s in InvoiceStatus}:
            errors["status"] = _("Choose a status from the list.")
            log.warning("invoice search with unknown status %r", status[:20])
        else:
            where &= PaymentInvoice.status == status
    total = await PaymentInvoice.count().where(where)
    rows = await (
        PaymentInvoice.select()
        .where(where)
        .order_by(PaymentInvoice.id, ascending=False)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    flagged = await PaymentEvent.count().where(PaymentEvent.flagged == True)  # noqa: E712
    return await render(
        request,
        "payments/office_search.html",
        {
            "query": query,
            "status": status,
            "statuses": [{"name": s.value, "title": status_title(s.value)} for s in InvoiceStatus],
            "rows": rows,
            "page": page,
            "pages": max(1, -(-total // PAGE_SIZE)),
            "page_url": lambda number: city_url(
                request,
                "/kelola/bayar/?" + urlencode({"q": query, "status": status, "page": number}),
            ),
            "errors": errors,
            "flagged": flagged,
        },
        status_code=400 if errors else 200,
    )


async def _detail_context(invoice) -> dict:
    attempts = (
        await PaymentAttempt.select()
        .where(PaymentAttempt.invoice_id == invoice.id)
        .order_by(PaymentAttempt.id)
    )
    events = (
        await PaymentEvent.select()
        .where(PaymentEvent.invoice_id == invoice.id)
        .order_by(PaymentEvent.id)
    )
    return {
        "invoice": invoice,
        "payment": await ledger.payment_of(invoice),
        "attempts": attempts,
        "events": events,
    }


@get("/{number:str}", guards=[require_permission(perms.VIEW)], name="payments-office-detail")
async def detail(request: Request, number: FromPath[str]) -> Response:
    """One invoice with its attempts, callback events (flagged ones first to act on) and payment."""
    invoice = await _invoice(number)
    return await render(request, "payments/office_detail.html", await _detail_context(invoice))


@post(
    "/{number:str}/tunai",
    guards=[require_permission(perms.CONFIRM_CASH)],
    name="payments-office-cash",
)
async def confirm_cash(request: Request, number: FromPath[str]) -> Response:
    """Confirm that the invoice's amount was received in cash; settles it once, audited."""
    invoice = await _invoice(number)
    form = await request.form()
    back = city_url(request, f"/kelola/bayar/{invoice.number}")
    amount_text = str(form.get("amount", "")).replace(".", "").strip()
    if not amount_text.isdigit() or int(amount_text) != invoice.amount:
        log.warning("cash confirmation of %s refused: amount %r", invoice.number, amount_text[:20])
        context = await _detail_context(invoice)
        context["errors"] = {
            "amount": _("Enter the amount received; it must equal the invoice amount.")
        }
        return await render(request, "payments/office_detail.html", context, status_code=400)
    if not invoice.is_pending:
        flash(request, _("This invoice is not pending; nothing was recorded."), "error")
        return Redirect(back, status_code=303)
    user = await current_user(request)
    result = await ledger.settle(
        invoice,
        ledger.SettlementEvent(
            event_key=f"cash:{invoice.number}",
            external_id=f"cash:{invoice.number}",
            provider="cash",
            kind="paid",
            amount=invoice.amount,
            confirmed_by=user.id,  # type: ignore[union-attr]
            reference="cash",
        ),
        registry=request.app.state.ui.registry,
    )
    if result.outcome == "settled":
        await _audit(
            request,
            "payments.cash_confirmed",
            f"invoice:{invoice.number}",
            {"amount": invoice.amount, "payment": result.payment_number},
        )
        flash(request, _("Cash received; the invoice is paid."), "success")
    else:
        flash(request, _("This invoice is not pending; nothing was recorded."), "error")
    return Redirect(back, status_code=303)


@post(
    "/{number:str}/refund", guards=[require_permission(perms.REFUND)], name="payments-office-refund"
)
async def refund(request: Request, number: FromPath[str]) -> Response:
    """Record that a paid invoice's money was returned (reason required), audited."""
    invoice = await _invoice(number)
    form = await request.form()
    reason = " ".join(str(form.get("reason", "")).split())
    if not reason or len(reason) > MAX_REASON:
        log.warning("refund of %s refused: reason missing or too long", invoice.number)
        context = await _detail_context(invoice)
        context["errors"] = {
            "reason": _("Give the reason for the refund (at most 300 characters).")
        }
        return await render(request, "payments/office_detail.html", context, status_code=400)
    user = await current_user(request)
    done = await ledger.refund(
        invoice,
        officer_id=user.id,
        reason=reason,
        registry=request.app.state.ui.registry,  # type: ignore[union-attr]
    )
    if done:
        await _audit(
            request,
            "payments.refunded",
            f"invoice:{invoice.number}",
            {"amount": invoice.amount, "reason": reason},
        )
        flash(request, _("The refund is recorded."), "success")
    else:
        flash(request, _("Only a paid invoice can be refunded."), "error")
    return Redirect(city_url(request, f"/kelola/bayar/{invoice.number}"), status_code=303)


@get("/rekonsiliasi", guards=[require_permission(perms.VIEW)], name="payments-office-recon")
async def reconciliation(request: Request) -> Response:
    """The latest reconciliation runs and the differences they found."""
    runs = (
        await ReconciliationRun.select().order_by(ReconciliationRun.id, ascending=False).limit(30)
    )
    diffs = (
        await ReconciliationDiff.select()
        .order_by(ReconciliationDiff.day, ascending=False)
        .limit(200)
    )
    return await render(
        request,
        "payments/office_reconcile.html",
        {"runs": runs, "diffs": diffs, "default_day": reconcile.yesterday_wib().isoformat()},
    )


@post(
    "/rekonsiliasi", guards=[require_permission(perms.RECONCILE)], name="payments-office-recon-run"
)
async def run_reconciliation(request: Request) -> Response:
    """Reconcile one day now."""
    form = await request.form()
    raw = str(form.get("day", "")).strip()
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is None or day > reconcile.now_utc().astimezone(reconcile.WIB).date():
        log.warning("reconciliation asked for a bad day %r", raw[:20])
        runs = (
            await ReconciliationRun.select()
            .order_by(ReconciliationRun.id, ascending=False)
            .limit(30)
        )
        diffs = (
            await ReconciliationDiff.select()
            .order_by(ReconciliationDiff.day, ascending=False)
            .limit(200)
        )
        return await render(
            request,
            "payments/office_reconcile.html",
            {
                "runs": runs,
                "diffs": diffs,
                "default_day": raw,
                "errors": {"day": _("Enter a past date as YYYY-MM-DD.")},
            },
            status_code=400,
        )
    try:
        matched, differences = await reconcile.reconcile_day(request.app, day)
    except GatewayError as exc:
        log.warning("reconciliation of %s failed: %s", day, exc)
        flash(request, _("The gateway's report could not be read. Try again later."), "error")
    else:
        flash(
            request,
            _(
                "Reconciled %(day)s: %(matched)s matched, %(diffs)s difference(s).",
                day=day.isoformat(),
                matched=matched,
                diffs=len(differences),
            ),
            "success" if not differences else "warning",
        )
    return Redirect(city_url(request, "/kelola/bayar/rekonsiliasi"), status_code=303)
