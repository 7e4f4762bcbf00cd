"""The officers' ticket pages: products, their slots and occupancy, and counter sales.

Heritage officers (``wisata_heritage.manage``) create products with their
prices and add slots with a quota per sales channel. Counter staff
(``wisata_heritage.counter``) sell from the counter quota for cash; every
counter sale is audited and its tickets print at once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from balai_wisata_heritage.events.tables import Event
from balai_wisata_heritage.office_kit import history, officer
from balai_wisata_heritage.sites.tables import Site
from balai_wisata_heritage.tickets import catalogue, editing, setup
from balai_wisata_heritage.tickets.pages import order_view
from balai_wisata_heritage.tickets.product_form import (
    price_field,
    quota_field,
    read_product,
    read_slot,
)
from balai_wisata_heritage.tickets.purchase import buy
from balai_wisata_heritage.tickets.rules import (
    BuyRefused,
    Category,
    Channel,
    channel_labels,
    quantity_field,
    status_label,
)
from balai_wisata_heritage.tickets.tables import TicketOrder, TicketProduct, TicketSlot, TicketStock

MANAGE = "wisata_heritage.manage"
COUNTER = "wisata_heritage.counter"
BASE = "/kelola/wisata-heritage/tiket"
LIST_SIZE = 200
CHOICES = 500


async def _choices() -> tuple[list[dict], list[dict]]:
    sites = await Site.select(Site.id, Site.name).order_by(Site.name).limit(CHOICES)
    events = (
        await Event.select(Event.id, Event.title, Event.starts_at)
        .order_by(Event.starts_at, ascending=False)
        .limit(CHOICES)
    )
    return sites, events


@get("/tiket/", guards=[tk.require_permission(COUNTER)], name="wisata_heritage:office-tickets")
async def products_office(request: Request) -> Response:
    """Every product of the city, active or not."""
    rows = (
        await TicketProduct.select(
            TicketProduct.id,
            TicketProduct.title,
            TicketProduct.is_active,
            TicketProduct.site.name.as_alias("site_name"),
            TicketProduct.event.title.as_alias("event_title"),
        )
        .order_by(TicketProduct.title)
        .limit(LIST_SIZE)
    )
    return await tk.render(
        request, "wisata_heritage/tickets/office_products.html", {"products": rows}
    )


async def _new_form(
    request: Request, values: dict, errors: dict, status_code: int = 200
) -> Response:
    sites, events = await _choices()
    return await tk.render(
        request,
        "wisata_heritage/tickets/office_product_new.html",
        {
            "values": values,
            "errors": errors,
            "sites": sites,
            "events": events,
            "categories": [(c, price_field(c)) for c in Category],
        },
        status_code=status_code,
    )


@get("/tiket/baru", guards=[tk.require_permission(MANAGE)], name="wisata_heritage:product-new")
async def product_new(request: Request) -> Response:
    """The form for a new product."""
    return await _new_form(request, {"per_order_max": "10"}, {})


@post("/tiket/baru", guards=[tk.require_permission(MANAGE)], name="wisata_heritage:product-add")
async def product_add(request: Request) -> Response:
    """Create a product with its prices (audited)."""
    form = await request.form()
    sites, events = await _choices()
    product, errors = await read_product(
        form, {row["id"] for row in sites}, {row["id"] for row in events}, tk.current_city().tz
    )
    if errors:
        values = {k: str(v) for k, v in form.items() if k != "_csrf_token"}
        return await _new_form(request, values, errors, 400)
    product_id = await setup.add_product(
        product.title,
        site_id=product.site_id,
        event_id=product.event_id,
        prices=product.prices,
        description=product.description,
        per_order_max=product.per_order_max,
        cancel_hours=product.cancel_hours,
        cancel_fee=product.cancel_fee,
        price_note=product.price_note,
        sales_opens_at=product.sales_opens_at,
        sales_close_at=product.sales_close_at,
    )
    user = await tk.current_user(request)
    await tk.audit_record(
        "wisata_heritage.product_created",
        actor_id=user.id,
        request=request,
        subject=f"ticket_product:{product_id}",
        detail={"prices": {c.value: p for c, p in product.prices.items()}},
    )
    tk.flash(request, tk._("The product is saved. Add its time slots."), "success")
    return Redirect(tk.city_url(request, f"{BASE}/{product_id}"), status_code=303)


async def _slots_with_stock(product_id: int) -> list[dict[str, Any]]:
    slots = (
        await TicketSlot.select()
        .where(TicketSlot.product == product_id)
        .order_by(TicketSlot.starts_at, ascending=False)
        .limit(LIST_SIZE)
    )
    if not slots:
        return []
    stock = await TicketStock.select().where(TicketStock.slot.is_in([slot["id"] for slot in slots]))
    by_slot: dict[int, dict[str, dict]] = {}
    for row in stock:
        by_slot.setdefault(row["slot"], {})[row["channel"]] = row
    for slot in slots:
        channels = by_slot.get(slot["id"], {})
        slot["channels"] = channels
        slot["sold"] = sum(row["quota"] - row["remaining"] for row in channels.values())
    return slots


async def _product_office_page(
    request: Request,
    product_id: int,
    *,
    slot_values: dict | None = None,
    slot_errors: dict | None = None,
    sale_errors: dict | None = None,
    status_code: int = 200,
) -> Response:
    product = await TicketProduct.select().where(TicketProduct.id == product_id).first()
    if product is None:
        raise NotFoundException()
    user = await tk.current_user(request)
    return await tk.render(
        request,
        "wisata_heritage/tickets/office_product.html",
        {
            "product": product,
            "site_name": await catalogue.site_name(product["site"]),
            "prices": await catalogue.prices_of(product_id),
            "slots": await _slots_with_stock(product_id),
            "counter_slots": await catalogue.upcoming_slots(product_id, Channel.COUNTER),
            "channels": [(c, quota_field(c)) for c in Channel],
            "channel_labels": channel_labels(),
            "quantity_field": quantity_field,
            "slot_values": slot_values or {"quota_online": "", "quota_counter": ""},
            "slot_errors": slot_errors or {},
            "sale_errors": sale_errors or {},
            "can_manage": MANAGE in user.permissions,
        },
        status_code=status_code,
    )


@get(
    "/tiket/{product_id:int}",
    guards=[tk.require_permission(COUNTER)],
    name="wisata_heritage:product-office",
)
async def product_office(request: Request, product_id: FromPath[int]) -> Response:
    """A product's slots with places sold per channel, the slot form and the counter."""
    return await _product_office_page(request, product_id)


@post(
    "/tiket/{product_id:int}/sesi",
    guards=[tk.require_permission(MANAGE)],
    name="wisata_heritage:slot-add",
)
async def slot_add(request: Request, product_id: FromPath[int]) -> Response:
    """Add a slot with its quotas (audited)."""
    if not await TicketProduct.exists().where(TicketProduct.id == product_id):
        raise NotFoundException()
    form = await request.form()
    slot, errors = await read_slot(form, datetime.now(UTC), tk.current_city().tz)
    if errors:
        values = {k: str(v) for k, v in form.items() if k != "_csrf_token"}
        return await _product_office_page(
            request, product_id, slot_values=values, slot_errors=errors, status_code=400
        )
    assert slot.starts_at is not None and slot.ends_at is not None
    slot_id = await setup.add_slot(product_id, slot.starts_at, slot.ends_at, slot.quotas)
    user = await tk.current_user(request)
    await tk.audit_record(
        "wisata_heritage.slot_added",
        actor_id=user.id,
        request=request,
        subject=f"ticket_slot:{slot_id}",
        detail={"quotas": {c.value: q for c, q in slot.quotas.items()}},
    )
    tk.flash(request, tk._("The time slot is added."), "success")
    return Redirect(tk.city_url(request, f"{BASE}/{product_id}"), status_code=303)


async def _product_row(product_id: int) -> dict[str, Any]:
    product = await TicketProduct.select().where(TicketProduct.id == product_id).first()
    if product is None:
        raise NotFoundException()
    return product


async def _edit_page(
    request: Request, product: dict[str, Any], form: editing.ProductEditForm, status: int = 200
) -> Response:
    return await tk.render(
        request,
        "wisata_heritage/tickets/office_product_edit.html",
        {
            "product": product,
            "form": form,
            "steps": await history(editing.PRODUCTS, product["id"]),
        },
        status_code=status,
    )


@get(
    "/tiket/{product_id:int}/ubah",
    guards=[tk.require_permission(MANAGE)],
    name="wisata_heritage:product-edit",
)
async def product_edit(request: Request, product_id: FromPath[int]) -> Response:
    """The product's edit form (prices, window, rules, on sale) and its history."""
    product = await _product_row(product_id)
    prices = await catalogue.prices_of(product_id)
    initial = editing.product_initial(product, prices, tk.current_city().tz)
    return await _edit_page(request, product, editing.ProductEditForm(initial=initial))


@post(
    "/tiket/{product_id:int}/ubah",
    guards=[tk.require_permission(MANAGE)],
    name="wisata_heritage:product-save",
)
async def product_save(request: Request, product_id: FromPath[int]) -> Response:
    """Save the product's edit with the officer's reason (history, audited)."""
    product = await _product_row(product_id)
    user = await officer(request)
    form = editing.ProductEditForm(await request.form())
    if not await form.validate(owner_id=user.id):
        return await _edit_page(request, product, form, 400)
    await editing.save_product(product_id, form.clean, user=user, request=request)
    tk.flash(request, tk._("The product is saved."), "success")
    return Redirect(tk.city_url(request, f"{BASE}/{product_id}"), status_code=303)


async def _slot_page(
    request: Request, slot: dict[str, Any], form: editing.SlotQuotaForm, status: int = 200
) -> Response:
    return await tk.render(
        request,
        "wisata_heritage/tickets/office_slot.html",
        {
            "product": await _product_row(slot["product"]),
            "slot": slot,
            "stock": await editing.slot_stock(slot["id"]),
            "channel_labels": channel_labels(),
            "form": form,
        },
        status_code=status,
    )


async def _slot_row(slot_id: int) -> dict[str, Any]:
    slot = await TicketSlot.select().where(TicketSlot.id == slot_id).first()
    if slot is None:
        raise NotFoundException()
    return slot


@get(
    "/tiket/sesi/{slot_id:int}",
    guards=[tk.require_permission(MANAGE)],
    name="wisata_heritage:slot-edit",
)
async def slot_edit(request: Request, slot_id: FromPath[int]) -> Response:
    """A slot's places per channel, with what each sold, and the form to change them."""
    slot = await _slot_row(slot_id)
    initial = editing.slot_initial(await editing.slot_stock(slot_id))
    return await _slot_page(request, slot, editing.SlotQuotaForm(initial=initial))


@post(
    "/tiket/sesi/{slot_id:int}",
    guards=[tk.require_permission(MANAGE)],
    name="wisata_heritage:slot-save",
)
async def slot_save(request: Request, slot_id: FromPath[int]) -> Response:
    """Change a slot's quotas, never below what a channel sold (history, audited)."""
    slot = await _slot_row(slot_id)
    user = await officer(request)
    form = editing.SlotQuotaForm(await request.form())
    if not await form.validate(owner_id=user.id):
        return await _slot_page(request, slot, form, 400)
    try:
        await editing.save_quotas(slot, form.clean, user=user, request=request)
    except BuyRefused as exc:
        form.add_error(exc.field, exc.message)
        return await _slot_page(request, slot, form, 400)
    tk.flash(request, tk._("The places are changed."), "success")
    return Redirect(tk.city_url(request, f"{BASE}/{slot['product']}"), status_code=303)


class CounterVisitorForm(tk.Form):
    """The visitor's name a counter sale may print on the tickets (the rest is the buy form)."""

    buyer_name = tk.TextField("Visitor's name", max_length=120, required=False)


@post(
    "/tiket/{product_id:int}/loket",
    guards=[tk.require_permission(COUNTER)],
    name="wisata_heritage:counter-sale",
)
async def counter_sale(request: Request, product_id: FromPath[int]) -> Response:
    """Sell tickets at the counter for cash (audited); the tickets print at once."""
    form = await request.form()
    user = await tk.current_user(request)
    visitor = CounterVisitorForm(form)
    if not await visitor.validate(owner_id=user.id):
        return await _product_office_page(
            request, product_id, sale_errors=visitor.errors, status_code=400
        )
    name = visitor.clean["buyer_name"] or tk._("Counter visitor")
    try:
        bought = await buy(
            product_id,
            form,
            channel=Channel.COUNTER,
            buyer_id=None,
            buyer_name=name,
            sold_by=user.id,
            request=request,
        )
    except BuyRefused as exc:
        return await _product_office_page(
            request, product_id, sale_errors={exc.field: exc.message}, status_code=400
        )
    tk.flash(
        request,
        tk._("Sold for %(total)s in cash.", total=tk.rupiah(bought.total)),
        "success",
    )
    return Redirect(tk.city_url(request, f"{BASE}/pesanan/{bought.order_number}"), status_code=303)


@get(
    "/tiket/pesanan/{number:str}",
    guards=[tk.require_permission(COUNTER)],
    name="wisata_heritage:office-order",
)
async def office_order(request: Request, number: FromPath[str]) -> Response:
    """An order's tickets for printing at the counter (the view is audited)."""
    order = await TicketOrder.select().where(TicketOrder.number == number[:40]).first()
    if order is None:
        raise NotFoundException()
    user = await tk.current_user(request)
    await tk.audit_record(
        "wisata_heritage.order_viewed",
        actor_id=user.id,
        request=request,
        subject=f"ticket_order:{order['number']}",
        personal_data_of=order["buyer_id"],
    )
    context = await order_view(order)
    context["status_label"] = status_label
    return await tk.render(request, "wisata_heritage/tickets/order.html", context)


OFFICE = [
    products_office,
    product_new,
    product_add,
    product_office,
    product_edit,
    product_save,
    slot_edit,
    slot_save,
    slot_add,
    counter_sale,
    office_order,
]
