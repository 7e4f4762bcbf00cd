"""The checkout page: delivery or pickup per merchant, one payment for everything.

Logged-in buyers only (the login brings them back here, with the cart they
filled before logging in merged into theirs). COD checkouts end on the
order history; cashless ones on the core's invoice page, where the buyer
pays by virtual account, QRIS or e-wallet.
"""

from __future__ import annotations

from typing import Any

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.response import Redirect

from balai_umkm_market.cart import basket as cart
from balai_umkm_market.cart.checkout import (
    CheckoutChoice,
    OutOfStock,
    fulfilment_field,
    place_orders,
    read_choice,
)
from balai_umkm_market.orders.states import Fulfilment, PaymentMethod

CART_PATH = "/umkm-market/keranjang"
ORDERS_PATH = "/umkm-market/pesanan/"


def _form_values(choice: CheckoutChoice, view: cart.CartView) -> dict[str, Any]:
    values: dict[str, Any] = {
        "address": choice.address,
        "phone": choice.phone,
        "payment": choice.payment.value if choice.payment else "",
    }
    for group in view.groups:
        chosen = choice.fulfilment.get(group.merchant_id)
        values[fulfilment_field(group)] = chosen.value if chosen else ""
    return values


async def _render(
    request: Request,
    view: cart.CartView,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    return await tk.render(
        request,
        "umkm_market/checkout.html",
        {
            "view": view,
            "values": values,
            "errors": errors,
            "fulfilment_field": fulfilment_field,
            "DELIVERY": Fulfilment.DELIVERY.value,
            "PICKUP": Fulfilment.PICKUP.value,
            "COD": PaymentMethod.COD.value,
            "CASHLESS": PaymentMethod.CASHLESS.value,
        },
        status_code=status_code,
    )


async def _cart_or_redirect(request: Request) -> cart.CartView | Response:
    """The buyer's cart if it can be checked out; otherwise a redirect back to it."""
    found = await cart.find_cart(request)
    view = await cart.cart_view(found["id"] if found else None)
    if not view.groups:
        tk.flash(request, tk._("Your cart is empty."), "info")
        return Redirect(tk.city_url(request, CART_PATH), status_code=303)
    if view.has_problem:
        tk.flash(request, tk._("Fix the items marked in your cart before checking out."), "error")
        return Redirect(tk.city_url(request, CART_PATH), status_code=303)
    return view


@get("/checkout", guards=[tk.require_verified], name="umkm_market:checkout")
async def checkout_page(request: Request) -> Response:
    """The checkout form, filled with what is known about the buyer."""
    view = await _cart_or_redirect(request)
    if isinstance(view, Response):
        return view
    user = await tk.current_user(request)
    values: dict[str, Any] = {"address": "", "phone": user.phone or "", "payment": ""}
    for group in view.groups:
        offered = group.fulfilments
        values[fulfilment_field(group)] = offered[0].value if len(offered) == 1 else ""
    return await _render(request, view, values, {})


@post("/checkout", guards=[tk.require_verified], name="umkm_market:checkout-place")
async def place(request: Request) -> Response:
    """Place the orders: reserve the stock, write the orders, and bill a cashless checkout."""
    view = await _cart_or_redirect(request)
    if isinstance(view, Response):
        return view
    form = await request.form()
    choice, errors = await read_choice(form, view)
    if errors:
        return await _render(request, view, _form_values(choice, view), errors, 400)
    user = await tk.current_user(request)
    try:
        placed = await place_orders(view, choice, user)
    except OutOfStock as exc:
        fresh = await cart.cart_view(view.cart_id)
        return await _render(
            request, fresh, _form_values(choice, fresh), {"__all__": exc.message}, 400
        )
    if placed.invoice is not None:
        tk.flash(
            request,
            tk._("Your order is placed. Pay the invoice to send it to the seller."),
            "success",
        )
        return Redirect(tk.city_url(request, f"/bayar/{placed.invoice.number}"), status_code=303)
    tk.flash(
        request,
        tk.ngettext(
            "Your order is placed. Pay the seller when you receive it.",
            "Your %(num)s orders are placed, one per seller. Pay each seller when you receive it.",
            len(placed.order_numbers),
        ),
        "success",
    )
    if len(placed.order_numbers) == 1:
        return Redirect(
            tk.city_url(request, ORDERS_PATH + placed.order_numbers[0]), status_code=303
        )
    return Redirect(tk.city_url(request, ORDERS_PATH), status_code=303)


PAGES = [checkout_page, place]
