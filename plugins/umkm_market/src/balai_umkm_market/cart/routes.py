"""Cart pages: see the cart, add a product, change a quantity, remove an item.

Anyone may fill a cart (see :mod:`cart` for how an anonymous cart follows the
visitor into their account). The add form is posted from the product page;
when what was asked cannot be added, the add page below shows the form again
with the reason (status 400), so nothing depends on JavaScript.
"""

from __future__ import annotations

from typing import Any

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromQuery
from litestar.response import Redirect

from balai_umkm_market.cart import basket as cart
from balai_umkm_market.cart.basket import CartError

CART_PATH = "/umkm-market/keranjang"


async def _product_or_404(raw_id: Any) -> dict[str, Any]:
    product_id = tk.plain_int(raw_id)
    product = await cart.buyable_product(product_id) if product_id else None
    if product is None:
        raise NotFoundException()
    return product


async def _render_cart(
    request: Request, errors: dict[int, str] | None = None, values: dict[int, str] | None = None
) -> Response:
    found = await cart.find_cart(request)
    view = await cart.cart_view(found["id"] if found else None)
    return await tk.render(
        request,
        "umkm_market/cart.html",
        {"view": view, "errors": errors or {}, "values": values or {}},
        status_code=400 if errors else 200,
    )


@get("/keranjang", opt=tk.PUBLIC, name="umkm_market:cart")
async def cart_page(request: Request) -> Response:
    """The visitor's cart, grouped by merchant, with totals and stock warnings."""
    return await _render_cart(request)


async def _render_add(
    request: Request, product: dict[str, Any], quantity: str, error: str = ""
) -> Response:
    return await tk.render(
        request,
        "umkm_market/cart_add.html",
        {"product": product, "quantity": quantity, "error": error},
        status_code=400 if error else 200,
    )


@get("/keranjang/tambah", opt=tk.PUBLIC, name="umkm_market:cart-add-form")
async def add_form(request: Request, product_id: FromQuery[str] = "") -> Response:
    """A product's add-to-cart form on its own (also where a refused add is explained)."""
    product = await _product_or_404(product_id)
    return await _render_add(request, product, "1")


@post("/keranjang/tambah", opt=tk.PUBLIC, name="umkm_market:cart-add")
async def add(request: Request) -> Response:
    """Add ``quantity`` of ``product_id`` to the cart, within the available stock."""
    form = await request.form()
    product = await _product_or_404(form.get("product_id"))
    raw_quantity = cart.QuantityForm(form).values["quantity"]
    try:
        quantity = cart.parse_quantity(raw_quantity)
        found = await cart.find_cart(request, create=True)
        await cart.add_to_cart(found["id"], product, quantity)
    except CartError as exc:
        return await _render_add(request, product, raw_quantity[:10], str(exc))
    tk.flash(
        request,
        tk._(
            "%(quantity)s %(unit)s of %(name)s added to your cart.",
            quantity=quantity,
            unit=product["unit"],
            name=product["name"],
        ),
        "success",
    )
    return Redirect(tk.city_url(request, CART_PATH), status_code=303)


async def _own_item(request: Request, raw_id: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The visitor's cart and the item ``raw_id`` in it; 404 for anyone else's item."""
    item_id = tk.plain_int(raw_id)
    found = await cart.find_cart(request)
    item = await cart.item_of(found["id"], item_id) if found and item_id else None
    if item is None:
        raise NotFoundException()
    return found, item


@post("/keranjang/ubah", opt=tk.PUBLIC, name="umkm_market:cart-update")
async def update(request: Request) -> Response:
    """Change the quantity of an item of the visitor's cart."""
    form = await request.form()
    found, item = await _own_item(request, form.get("item_id"))
    raw_quantity = cart.QuantityForm(form).values["quantity"]
    try:
        await cart.set_quantity(found["id"], item, cart.parse_quantity(raw_quantity))
    except CartError as exc:
        return await _render_cart(request, {item["id"]: str(exc)}, {item["id"]: raw_quantity[:10]})
    tk.flash(request, tk._("Quantity changed."), "success")
    return Redirect(tk.city_url(request, CART_PATH), status_code=303)


@post("/keranjang/hapus", opt=tk.PUBLIC, name="umkm_market:cart-remove")
async def remove(request: Request) -> Response:
    """Take an item out of the visitor's cart."""
    form = await request.form()
    _found, item = await _own_item(request, form.get("item_id"))
    await cart.remove_item(item["id"])
    tk.flash(request, tk._("Removed from your cart."), "success")
    return Redirect(tk.city_url(request, CART_PATH), status_code=303)


PAGES = [cart_page, add_form, add, update, remove]
