"""Order pages: the buyer's history and order page, the merchant's orders, the officers' search.

* Buyers (logged in) see only their own orders; anyone else's number is a 404.
  The order page polls a status fragment with htmx while the order is open
  and works as a plain page without JavaScript.
* Merchants see only the orders of the businesses their account runs, and
  move them with one form per allowed step; an illegal step is refused with
  the reason.
* Market officers search every order of the city by number, merchant,
  status and date; opening one (buyer's name, phone and address) is audited.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from balai_umkm_market.cart.checkout import PAYMENT_WINDOW
from balai_umkm_market.catalogue.stock import write_transaction
from balai_umkm_market.orders import service as orders
from balai_umkm_market.orders.states import (
    ORDER_NUMBERS,
    Actor,
    OrderStatus,
    PaymentMethod,
    allowed_moves,
)
from balai_umkm_market.settings import MANAGE
from balai_umkm_market.tables import Order, Review

HISTORY_LIMIT = 100
MERCHANT_LIMIT = 200
OFFICE_PAGE_SIZE = 50
MAX_REASON = 500
BUYER_PATH = "/umkm-market/pesanan/"
MERCHANT_PATH = "/umkm-market/penjual/pesanan/"


def _number(raw: str) -> str:
    number = ORDER_NUMBERS.parse(raw)
    if number is None:  # not one of ours, or mistyped (the check character)
        raise NotFoundException()
    return number


def _refusal(exc: tk.MoveRefused | tk.StateChanged) -> tuple[str, int]:
    """Why a move was refused and the status to answer: 409 when the order moved meanwhile."""
    if isinstance(exc, tk.StateChanged):
        return exc.detail, 409
    return str(exc), 400


def _common(extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "labels": orders.status_labels(),
        "tones": orders.STATUS_TONES,
        "actions": orders.action_labels(),
        "shown_note": orders.shown_note,
        **extra,
    }


async def _buyer_order(request: Request, number: str) -> dict[str, Any]:
    """The logged-in buyer's order ``number``; 404 when it is anyone else's."""
    user = await tk.current_user(request)
    order = await orders.load_order((Order.number == _number(number)) & (Order.buyer_id == user.id))
    if order is None:
        raise NotFoundException()
    return order


async def _reviewed_items(order_id: int) -> set[int]:
    rows = await Review.select(Review.order_item).where(Review.order == order_id)
    return {row["order_item"] for row in rows}


async def _order_context(order: dict[str, Any], *, for_buyer: bool = False) -> dict[str, Any]:
    items = await orders.order_items(order["id"])
    events = await orders.order_events(order["id"])
    review_links = for_buyer and order["status"] == OrderStatus.COMPLETED.value
    return _common(
        {
            "order": order,
            "items": items,
            "events": events,
            "review_links": review_links,
            "poll_path": f"{BUYER_PATH}{order['number']}/status" if for_buyer else "",
            "reviewed": await _reviewed_items(order["id"]) if review_links else set(),
            "open": order["status"] not in (OrderStatus.COMPLETED, OrderStatus.CANCELLED),
            "awaiting_payment": order["status"] == OrderStatus.AWAITING_PAYMENT.value,
            "payment_hours": int(PAYMENT_WINDOW.total_seconds() // 3600),
            "receipt_url": "",  # the buyer's page fills it for a paid cashless order
            "can_cancel": OrderStatus.CANCELLED
            in allowed_moves(order["status"], order["fulfilment"], Actor.BUYER),
            "refund_due": order["status"] == OrderStatus.CANCELLED.value
            and order["payment_method"] == PaymentMethod.CASHLESS.value
            and any(e["to_state"] == OrderStatus.NEW.value for e in events),
        }
    )


# --- buyers ---------------------------------------------------------------------------


@get("/pesanan/", guards=[tk.require_login], name="umkm_market:my-orders")
async def my_orders(request: Request) -> Response:
    """The buyer's orders, newest first."""
    user = await tk.current_user(request)
    rows = await (
        Order.select(
            Order.number,
            Order.status,
            Order.total,
            Order.created_at,
            Order.payment_method,
            Order.merchant.name.as_alias("merchant_name"),
        )
        .where(Order.buyer_id == user.id)
        .order_by(Order.created_at, ascending=False)
        .order_by(Order.id, ascending=False)
        .limit(HISTORY_LIMIT)
    )
    return await tk.render(request, "umkm_market/my_orders.html", _common({"orders": rows}))


@get("/pesanan/{number:str}", guards=[tk.require_login], name="umkm_market:my-order")
async def my_order(request: Request, number: FromPath[str]) -> Response:
    """One of the buyer's orders: items, status, history, and what comes next."""
    order = await _buyer_order(request, number)
    context = await _order_context(order, for_buyer=True)
    if order["payment_method"] == PaymentMethod.CASHLESS.value and order["invoice_number"]:
        context["receipt_url"] = await tk.receipt_url(request, order["invoice_number"])
    return await tk.render(request, "umkm_market/order.html", context)


@get("/pesanan/{number:str}/status", guards=[tk.require_login], name="umkm_market:my-order-status")
async def my_order_status(request: Request, number: FromPath[str]) -> Response:
    """The status fragment the order page polls (htmx); polling stops once the order ends."""
    order = await _buyer_order(request, number)
    return await tk.render(
        request, "umkm_market/_order_status.html", await _order_context(order, for_buyer=True)
    )


_REASON_LONG = tk.N_("The reason can be at most %(max)s characters long.")


class CancelForm(tk.Form):
    """The buyer's optional reason for withdrawing an order."""

    reason = tk.TextField("Reason", max_length=MAX_REASON, required=False, invalid=_REASON_LONG)


@post("/pesanan/{number:str}/batal", guards=[tk.require_login], name="umkm_market:my-order-cancel")
async def cancel_my_order(request: Request, number: FromPath[str]) -> Response:
    """The buyer withdraws an order the merchant has not confirmed yet."""
    order = await _buyer_order(request, number)
    user = await tk.current_user(request)
    form = CancelForm(await request.form())
    if not await form.validate():
        context = await _order_context(order, for_buyer=True)
        context["error"] = form.errors["reason"]
        return await tk.render(request, "umkm_market/order.html", context, status_code=400)
    reason = form.clean["reason"]
    back = tk.city_url(request, BUYER_PATH + order["number"])
    try:
        async with write_transaction():
            await orders.move_order(
                order,
                OrderStatus.CANCELLED,
                Actor.BUYER,
                by_user_id=user.id,
                reason=reason or orders.NOTE_BUYER_CANCELLED,
                request=request,
            )
    except (tk.MoveRefused, tk.StateChanged) as exc:
        context = await _order_context(await _buyer_order(request, number), for_buyer=True)
        context["error"], status = _refusal(exc)
        return await tk.render(request, "umkm_market/order.html", context, status_code=status)
    tk.flash(request, tk._("Your order is cancelled."), "success")
    return Redirect(back, status_code=303)


# --- merchants --------------------------------------------------------------------------

_STEP = tk.N_("Choose one of the steps offered.")


class MoveForm(tk.Form):
    """A merchant's step for an order: the state to move to, and a reason where one is asked."""

    status = tk.ChoiceField(
        "Step",
        choices=lambda: [(status.value, status.value) for status in OrderStatus],
        translate=False,
        missing=_STEP,
        invalid=_STEP,
    )
    reason = tk.TextField("Reason", max_length=MAX_REASON, required=False, invalid=_REASON_LONG)


async def _merchant_ids(request: Request) -> list[int]:
    """The businesses the logged-in account runs; 403 when it runs none."""
    user = await tk.current_user(request)
    ids = [row["id"] for row in await orders.merchants_of(user.id)]
    if not ids:
        raise PermissionDeniedException(tk._("Only sellers of the market have an order list."))
    return ids


async def _merchant_order(request: Request, number: str) -> dict[str, Any]:
    """An order of one of the account's businesses; 404 for any other order."""
    ids = await _merchant_ids(request)
    order = await orders.load_order((Order.number == _number(number)) & Order.merchant.is_in(ids))
    if order is None:
        raise NotFoundException()
    return order


@get("/penjual/pesanan/", guards=[tk.require_login], name="umkm_market:merchant-orders")
async def merchant_orders(request: Request, status: FromQuery[str] = "") -> Response:
    """The orders of the seller's businesses, open ones first, newest first."""
    ids = await _merchant_ids(request)
    query = Order.select(
        Order.number,
        Order.status,
        Order.total,
        Order.fulfilment,
        Order.payment_method,
        Order.channel,
        Order.buyer_name,
        Order.created_at,
        Order.merchant.name.as_alias("merchant_name"),
    ).where(Order.merchant.is_in(ids))
    if status in {s.value for s in OrderStatus}:
        query = query.where(Order.status == status)
    rows = await query.order_by(Order.created_at, ascending=False).limit(MERCHANT_LIMIT)
    return await tk.render(
        request,
        "umkm_market/merchant_orders.html",
        _common({"orders": rows, "status": status, "statuses": list(OrderStatus)}),
    )


async def _merchant_context(order: dict[str, Any]) -> dict[str, Any]:
    context = await _order_context(order)
    context["moves"] = allowed_moves(order["status"], order["fulfilment"], Actor.MERCHANT)
    context["reason"] = ""
    return context


@get("/penjual/pesanan/{number:str}", guards=[tk.require_login], name="umkm_market:merchant-order")
async def merchant_order(request: Request, number: FromPath[str]) -> Response:
    """One order of the seller's business, with the buttons for its next steps."""
    order = await _merchant_order(request, number)
    return await tk.render(
        request, "umkm_market/merchant_order.html", await _merchant_context(order)
    )


@post(
    "/penjual/pesanan/{number:str}/status",
    guards=[tk.require_login],
    name="umkm_market:merchant-order-move",
)
async def move_merchant_order(request: Request, number: FromPath[str]) -> Response:
    """Move an order one step on (or cancel it with a reason); illegal steps are refused."""
    order = await _merchant_order(request, number)
    user = await tk.current_user(request)
    form = MoveForm(await request.form())
    reason = form.values["reason"]
    context = await _merchant_context(order)
    context["reason"] = reason[:MAX_REASON]
    if not await form.validate():
        context["error"] = form.errors.get("status") or form.errors["reason"]
        return await tk.render(request, "umkm_market/merchant_order.html", context, status_code=400)
    target = OrderStatus(form.clean["status"])
    try:
        async with write_transaction():
            await orders.move_order(
                order, target, Actor.MERCHANT, by_user_id=user.id, reason=reason, request=request
            )
    except (tk.MoveRefused, tk.StateChanged) as exc:
        context = await _merchant_context(await _merchant_order(request, number))
        context["reason"] = reason[:MAX_REASON]
        context["error"], status = _refusal(exc)
        context["error_field"] = "reason" if exc.reason == "comment_required" else "status"
        return await tk.render(
            request, "umkm_market/merchant_order.html", context, status_code=status
        )
    tk.flash(
        request,
        tk._(
            "Order %(number)s: %(status)s.",
            number=order["number"],
            status=orders.status_labels()[target],
        ),
        "success",
    )
    return Redirect(tk.city_url(request, MERCHANT_PATH + order["number"]), status_code=303)


# --- officers ---------------------------------------------------------------------------


def _parse_day(raw: str) -> tuple[date | None, bool]:
    """A ``YYYY-MM-DD`` date from the search form: (date or None, whether it was valid)."""
    if not raw.strip():
        return None, True
    try:
        return date.fromisoformat(raw.strip()), True
    except ValueError:
        return None, False


@get("/pesanan/", guards=[tk.require_permission(MANAGE)], name="umkm_market:office-orders")
async def office_orders(
    request: Request,
    number: FromQuery[str] = "",
    merchant: FromQuery[str] = "",
    status: FromQuery[str] = "",
    date_from: FromQuery[str] = "",
    date_to: FromQuery[str] = "",
) -> Response:
    """Every order of the city, searched by number, merchant name, status and order date."""
    values = {
        "number": number.strip()[:20],
        "merchant": merchant.strip()[:120],
        "status": status,
        "date_from": date_from[:10],
        "date_to": date_to[:10],
    }
    errors: dict[str, str] = {}
    query_filter: Any = Order.id > 0
    if values["number"]:
        query_filter &= Order.number == values["number"].upper()
    by_merchant = tk.keyword_filter(values["merchant"], [Order.merchant.name])
    if by_merchant is not None:
        query_filter &= by_merchant
    if status:
        if status in {s.value for s in OrderStatus}:
            query_filter &= Order.status == status
        else:
            errors["status"] = tk._("Choose one of the statuses.")
    tz = tk.current_city().tz
    start, ok = _parse_day(date_from)
    if not ok:
        errors["date_from"] = tk._("Enter a date like 2026-11-23.")
    elif start:
        query_filter &= Order.created_at >= datetime.combine(start, time(), tz)
    end, ok = _parse_day(date_to)
    if not ok:
        errors["date_to"] = tk._("Enter a date like 2026-11-23.")
    elif end:
        query_filter &= Order.created_at < datetime.combine(end + timedelta(days=1), time(), tz)
    if start and end and end < start:
        errors["date_to"] = tk._("The end date is before the start date.")
    found = None
    if not errors:
        found = await tk.paginate(
            request,
            Order.select(
                Order.number,
                Order.status,
                Order.total,
                Order.payment_method,
                Order.invoice_number,
                Order.buyer_is_asn,
                Order.created_at,
                Order.merchant.name.as_alias("merchant_name"),
            )
            .where(query_filter)
            .order_by(Order.created_at, ascending=False)
            .order_by(Order.id, ascending=False),
            per_page=OFFICE_PAGE_SIZE,
            keep=values,
        )
    return await tk.render(
        request,
        "umkm_market/office_orders.html",
        _common(
            {
                "orders": found.rows if found else [],
                "found": found,
                "values": values,
                "errors": errors,
                "statuses": list(OrderStatus),
            }
        ),
        status_code=400 if errors else 200,
    )


@get(
    "/pesanan/{number:str}", guards=[tk.require_permission(MANAGE)], name="umkm_market:office-order"
)
async def office_order(request: Request, number: FromPath[str]) -> Response:
    """One order for an officer: buyer, merchant, items, payment and history (audited)."""
    order = await orders.load_order(Order.number == _number(number))
    if order is None:
        raise NotFoundException()
    user = await tk.current_user(request)
    await tk.audit_record(
        "umkm_market.order_viewed",
        actor_id=user.id,
        request=request,
        subject="order:" + order["number"],
        personal_data_of=order["buyer_id"],
    )
    return await tk.render(request, "umkm_market/office_order.html", await _order_context(order))


PAGES = [
    my_orders,
    my_order,
    my_order_status,
    cancel_my_order,
    merchant_orders,
    merchant_order,
    move_merchant_order,
]
OFFICE = [office_orders, office_order]
