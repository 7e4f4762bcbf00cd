"""The visitors' ticket pages: products, buying, my tickets and a ticket page.

A ticket page shows every ticket of an order with its QR code; it is plain
HTML (no JavaScript), printable, and the browser may keep it
(``Cache-Control: private``) to show it again without a connection.
"""

from __future__ import annotations

from typing import Any

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from balai_wisata_heritage.tickets import catalogue, changes
from balai_wisata_heritage.tickets.purchase import buy, product_rules
from balai_wisata_heritage.tickets.qr import ticket_qr
from balai_wisata_heritage.tickets.rules import (
    BuyRefused,
    Category,
    Channel,
    OrderStatus,
    TicketStatus,
    quantity_field,
    status_label,
)
from balai_wisata_heritage.tickets.tables import Ticket, TicketOrder, TicketProduct, TicketSlot

BASE = "/wisata-heritage/tiket"
ORDERS_SHOWN = 50
TICKET_PAGE_CACHE = "private, max-age=2592000"  # 30 days: the page must open offline


@get("/tiket/", opt=tk.PUBLIC, name="wisata_heritage:tickets")
async def products(request: Request, acara: FromQuery[str] = "") -> Response:
    """What the city sells tickets for (``?acara=<id>``: for one event, as its page links)."""
    event_id = int(acara) if acara.isdigit() and len(acara) < 12 else None
    return await tk.render(
        request,
        "wisata_heritage/tickets/products.html",
        {"products": await catalogue.products_on_sale(event_id)},
    )


async def _product_page(
    request: Request,
    product_id: int,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    found = await product_rules(product_id)
    if found is None:
        raise NotFoundException()
    product, rules = found
    return await tk.render(
        request,
        "wisata_heritage/tickets/product.html",
        {
            "product": product,
            "site_name": await catalogue.site_name(product["site"]),
            "prices": await catalogue.prices_of(product_id),
            "slots": await catalogue.upcoming_slots(product_id, Channel.ONLINE),
            "per_order_max": rules.per_order_max,
            "quantity_field": quantity_field,
            "values": values or {},
            "errors": errors or {},
        },
        status_code=status_code,
    )


@get("/tiket/{product_id:int}", opt=tk.PUBLIC, name="wisata_heritage:ticket-product")
async def product_page(request: Request, product_id: FromPath[int]) -> Response:
    """A product: its prices, its slots with the places left, and the buy form."""
    return await _product_page(request, product_id)


@post(
    "/tiket/{product_id:int}/beli",
    guards=[tk.require_verified],
    name="wisata_heritage:ticket-buy",
)
async def buy_tickets(request: Request, product_id: FromPath[int]) -> Response:
    """Buy: reserve the places, write the order and send the buyer to its invoice."""
    form = await request.form()
    user = await tk.current_user(request)
    try:
        bought = await buy(
            product_id,
            form,
            channel=Channel.ONLINE,
            buyer_id=user.id,
            buyer_name=user.name,
        )
    except BuyRefused as exc:
        values = {k: str(v) for k, v in form.items() if k == "slot" or k.startswith("qty_")}
        return await _product_page(request, product_id, values, {exc.field: exc.message}, 400)
    except tk.LedgerError as exc:
        return await _product_page(request, product_id, dict(form), {"__all__": str(exc)}, 400)
    if bought.invoice is None:
        tk.flash(request, tk._("Your tickets are ready."), "success")
        return Redirect(
            tk.city_url(request, f"{BASE}/pesanan/{bought.order_number}"), status_code=303
        )
    tk.flash(
        request,
        tk._("Your places are held for 30 minutes. Pay the invoice to receive your tickets."),
        "success",
    )
    return Redirect(tk.city_url(request, f"/bayar/{bought.invoice.number}"), status_code=303)


@get("/tiket/saya", guards=[tk.require_login], name="wisata_heritage:my-tickets")
async def my_tickets(request: Request) -> Response:
    """The visitor's ticket orders, newest first."""
    user = await tk.current_user(request)
    orders = (
        await TicketOrder.select(
            TicketOrder.number,
            TicketOrder.status,
            TicketOrder.total,
            TicketOrder.invoice_number,
            TicketOrder.created_at,
            TicketOrder.slot.starts_at.as_alias("starts_at"),
            TicketOrder.slot.product.title.as_alias("product"),
        )
        .where(TicketOrder.buyer_id == user.id)
        .order_by(TicketOrder.created_at, ascending=False)
        .limit(ORDERS_SHOWN)
    )
    return await tk.render(
        request,
        "wisata_heritage/tickets/my_tickets.html",
        {
            "orders": orders,
            "AWAITING": OrderStatus.AWAITING_PAYMENT.value,
            "status_label": status_label,
        },
    )


async def _own_order(request: Request, number: str) -> tuple[dict[str, Any], Any]:
    user = await tk.current_user(request)
    order = (
        await TicketOrder.select()
        .where((TicketOrder.number == number[:40]) & (TicketOrder.buyer_id == user.id))
        .first()
    )
    if order is None:
        raise NotFoundException()
    return order, user


async def _order_page(
    request: Request, order: dict[str, Any], errors: dict | None = None, status_code: int = 200
) -> Response:
    context = await order_view(order)
    rules = await changes.change_rules(order)
    context["changes"] = rules
    context["errors"] = errors or {}
    context["other_slots"] = (
        [
            slot
            for slot in await catalogue.upcoming_slots(rules["product"], Channel(order["channel"]))
            if slot["id"] != order["slot"] and slot["remaining"] >= len(context["tickets"])
        ]
        if rules["can_move"]
        else []
    )
    response = await tk.render(
        request, "wisata_heritage/tickets/order.html", context, status_code=status_code
    )
    response.headers["Cache-Control"] = TICKET_PAGE_CACHE if status_code == 200 else "no-store"
    return response


@get("/tiket/pesanan/{number:str}", guards=[tk.require_login], name="wisata_heritage:ticket-order")
async def order_page(request: Request, number: FromPath[str]) -> Response:
    """One order's tickets with their QR codes (the buyer's own only), and its changes."""
    order, _ = await _own_order(request, number)
    return await _order_page(request, order)


@post(
    "/tiket/pesanan/{number:str}/pindah",
    guards=[tk.require_verified],
    name="wisata_heritage:ticket-move",
)
async def move_order(request: Request, number: FromPath[str]) -> Response:
    """Move the order to another slot, before the product's deadline (audited)."""
    order, user = await _own_order(request, number)
    form = changes.MoveForm(await request.form())
    if not await form.validate(owner_id=user.id):
        return await _order_page(request, order, form.errors, 400)
    try:
        await changes.move(order, form.clean["slot"], user.id, request)
    except BuyRefused as exc:
        return await _order_page(request, order, {exc.field: exc.message}, 400)
    tk.flash(request, tk._("Your tickets are moved to the new time slot."), "success")
    return Redirect(tk.city_url(request, f"{BASE}/pesanan/{order['number']}"), status_code=303)


@post(
    "/tiket/pesanan/{number:str}/batal",
    guards=[tk.require_verified],
    name="wisata_heritage:ticket-cancel",
)
async def cancel_order(request: Request, number: FromPath[str]) -> Response:
    """Cancel the order's tickets before the deadline: refunded less the fee (audited)."""
    return await _cancel(request, number, None)


@post(
    "/tiket/pesanan/{number:str}/tiket/{code:str}/batal",
    guards=[tk.require_verified],
    name="wisata_heritage:ticket-cancel-one",
)
async def cancel_ticket(request: Request, number: FromPath[str], code: FromPath[str]) -> Response:
    """Cancel one ticket of the order before the deadline: refunded less the fee (audited)."""
    return await _cancel(request, number, code)


async def _cancel(request: Request, number: str, code: str | None) -> Response:
    order, user = await _own_order(request, number)
    try:
        back = await changes.cancel(order, user.id, request, code)
    except BuyRefused as exc:
        return await _order_page(request, order, {exc.field: exc.message}, 400)
    tk.flash(
        request,
        tk._("Cancelled; %(amount)s is refunded to you.", amount=tk.rupiah(back))
        if back
        else tk._("Cancelled; the fee takes the whole price, nothing is refunded."),
        "success",
    )
    return Redirect(tk.city_url(request, f"{BASE}/pesanan/{order['number']}"), status_code=303)


async def order_view(order: dict[str, Any]) -> dict[str, Any]:
    """The context of an order's ticket page (also for the counter's print-out)."""
    slot = await TicketSlot.select().where(TicketSlot.id == order["slot"]).first()
    product = await TicketProduct.select().where(TicketProduct.id == slot["product"]).first()
    tickets = await Ticket.select().where(Ticket.purchase == order["id"]).order_by(Ticket.id)
    shown = []
    for ticket in tickets:
        valid = ticket["status"] == TicketStatus.VALID.value
        shown.append(
            {
                **ticket,
                "label": Category(ticket["category"]).label,
                "qr": ticket_qr(
                    ticket["code"], ticket["category"], slot["starts_at"], slot["ends_at"]
                )
                if valid
                else "",
            }
        )
    return {
        "order": order,
        "slot": slot,
        "product": product,
        "site_name": await catalogue.site_name(product["site"]),
        "tickets": shown,
        "AWAITING": OrderStatus.AWAITING_PAYMENT.value,
        "RESIDENT": Category.RESIDENT.value,
        "status_label": status_label,
    }


PAGES = [
    products,
    product_page,
    buy_tickets,
    my_tickets,
    order_page,
    move_order,
    cancel_order,
    cancel_ticket,
]
