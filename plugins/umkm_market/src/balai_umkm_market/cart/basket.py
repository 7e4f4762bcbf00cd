"""The shopping cart: one per buyer per city, kept for anonymous visitors too.

An anonymous visitor's cart is found through an unguessable token kept in
their (server-side) session under ``umkm_market.cart:<city>``; the core keeps
the session's data when the visitor logs in (only its id is renewed), so on
the first cart access after logging in the anonymous cart is merged into the
account's cart and the token dropped. Quantities are checked against the
product's available stock when added or changed, and again at checkout.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from balai import toolkit as tk
from litestar import Request

from balai_umkm_market.orders.states import Fulfilment
from balai_umkm_market.tables import Cart, CartItem, MerchantStatus, Product

MAX_QUANTITY = 999
_SESSION_PREFIX = "umkm_market.cart:"


class CartError(ValueError):
    """A cart change that cannot be made; the message is translated and says why."""


def _now() -> datetime:
    return datetime.now(UTC)


def _session_entry() -> str:
    return _SESSION_PREFIX + tk.current_city().slug


def _session_token(request: Request) -> str:
    return str((request.session or {}).get(_session_entry(), ""))


def _set_session_token(request: Request, token: str | None) -> None:
    session = dict(request.session or {})
    if token:
        session[_session_entry()] = token
    else:
        session.pop(_session_entry(), None)
    request.set_session(session)


async def _anonymous_cart(token: str) -> dict[str, Any] | None:
    if not token:
        return None
    return await Cart.select().where((Cart.session_key == token) & Cart.user_id.is_null()).first()


async def _user_cart(user_id: int) -> dict[str, Any] | None:
    return await Cart.select().where(Cart.user_id == user_id).order_by(Cart.id).first()


async def _new_cart(user_id: int | None, token: str = "") -> dict[str, Any]:
    now = _now()
    row = Cart(user_id=user_id, session_key=token, created_at=now, updated_at=now)
    await row.save()
    return {"id": row.id, "user_id": user_id, "session_key": token}


async def merge_carts(source_id: int, target_id: int) -> None:
    """Move every item of cart ``source_id`` into cart ``target_id``, then drop the source.

    A product in both keeps the sum of the quantities (capped at
    :data:`MAX_QUANTITY`; the stock is checked at checkout).
    """
    target_items = {
        row["product"]: row
        for row in await CartItem.select(CartItem.id, CartItem.product, CartItem.quantity).where(
            CartItem.cart == target_id
        )
    }
    for item in await CartItem.select(CartItem.product, CartItem.quantity).where(
        CartItem.cart == source_id
    ):
        existing = target_items.get(item["product"])
        if existing is None:
            await CartItem.insert(
                CartItem(cart=target_id, product=item["product"], quantity=item["quantity"])
            )
        else:
            total = min(MAX_QUANTITY, existing["quantity"] + item["quantity"])
            await CartItem.update({CartItem.quantity: total}).where(CartItem.id == existing["id"])
    await CartItem.delete().where(CartItem.cart == source_id)
    await Cart.delete().where(Cart.id == source_id)
    await Cart.update({Cart.updated_at: _now()}).where(Cart.id == target_id)


async def find_cart(request: Request, *, create: bool = False) -> dict[str, Any] | None:
    """The visitor's cart in the current city (created when ``create``), or ``None``.

    A logged-in visitor gets their account's cart, with the anonymous cart of
    this browser merged into it first.
    """
    user = await tk.current_user(request)
    token = _session_token(request)
    if user is None:
        cart = await _anonymous_cart(token)
        if cart is None and create:
            token = secrets.token_urlsafe(32)[:43]
            cart = await _new_cart(None, token)
            _set_session_token(request, token)
        return cart
    cart = await _user_cart(user.id)
    if token:
        anonymous = await _anonymous_cart(token)
        if anonymous is not None:
            if cart is None:
                await Cart.update({Cart.user_id: user.id, Cart.session_key: ""}).where(
                    Cart.id == anonymous["id"]
                )
                cart = await _user_cart(user.id)
            else:
                await merge_carts(anonymous["id"], cart["id"])
        _set_session_token(request, None)
    if cart is None and create:
        cart = await _new_cart(user.id)
    return cart


def public_product_condition() -> Any:
    """Products citizens may buy: active, of a verified merchant."""
    return (Product.is_active == True) & (  # noqa: E712 (a Piccolo condition)
        Product.merchant.status == MerchantStatus.VERIFIED.value
    )


async def buyable_product(product_id: int) -> dict[str, Any] | None:
    """The current city's product ``product_id`` if citizens may buy it, else ``None``."""
    return (
        await Product.select(
            Product.id,
            Product.name,
            Product.price,
            Product.unit,
            Product.stock,
            Product.photo,
            Product.merchant.id.as_alias("merchant_id"),
            Product.merchant.name.as_alias("merchant_name"),
        )
        .where((Product.id == product_id) & public_product_condition())
        .first()
    )


def stock_message(product: dict[str, Any], in_cart: int = 0) -> str:
    """Why a quantity is too many for ``product``'s stock, in the visitor's language."""
    if product["stock"] <= 0:
        return tk._("%(name)s is out of stock.", name=product["name"])
    if in_cart:
        return tk._(
            "Only %(stock)s %(unit)s of %(name)s are in stock, and %(in_cart)s are already "
            "in your cart.",
            stock=product["stock"],
            unit=product["unit"],
            name=product["name"],
            in_cart=in_cart,
        )
    return tk._(
        "Only %(stock)s %(unit)s of %(name)s are in stock.",
        stock=product["stock"],
        unit=product["unit"],
        name=product["name"],
    )


# Read by the toolkit's number field (ASCII digits only: not "+2", "2_0" or "٢"); the
# range is the cart's own, in its own words below.
_NOT_A_QUANTITY = tk.N_("Enter the quantity as a whole number, for example 2.")
_WHOLE_NUMBER = tk.IntegerField(
    "Quantity", min_value=-(10**15), max_value=10**15, invalid=_NOT_A_QUANTITY
)


class QuantityForm(tk.Form):
    """The quantity box of the add-to-cart and cart forms (read by :func:`parse_quantity`)."""

    quantity = tk.TextField("Quantity", max_length=30, required=False)


def parse_quantity(raw: Any) -> int:
    """A quantity typed by the visitor: a whole number from 1 to :data:`MAX_QUANTITY`.

    Raises:
        CartError: anything else, with a message saying what is expected.
    """
    text = str(raw if raw is not None else "").strip()
    try:
        quantity = _WHOLE_NUMBER.check(text)
    except tk.FieldError as exc:
        raise CartError(str(exc)) from None
    if quantity < 1:
        raise CartError(tk._("The quantity must be at least 1."))
    if quantity > MAX_QUANTITY:
        raise CartError(tk._("The quantity can be at most %(max)s.", max=MAX_QUANTITY))
    return quantity


async def quantity_in_cart(cart_id: int, product_id: int) -> int:
    """How many of ``product_id`` the cart holds already."""
    row = (
        await CartItem.select(CartItem.quantity)
        .where((CartItem.cart == cart_id) & (CartItem.product == product_id))
        .first()
    )
    return row["quantity"] if row else 0


async def add_to_cart(cart_id: int, product: dict[str, Any], quantity: int) -> None:
    """Add ``quantity`` of ``product`` (a :func:`buyable_product` row) to the cart.

    Raises:
        CartError: the cart would hold more than the available stock.
    """
    already = await quantity_in_cart(cart_id, product["id"])
    if already + quantity > min(product["stock"], MAX_QUANTITY):
        raise CartError(stock_message(product, already))
    if already:
        await CartItem.update({CartItem.quantity: already + quantity}).where(
            (CartItem.cart == cart_id) & (CartItem.product == product["id"])
        )
    else:
        await CartItem.insert(CartItem(cart=cart_id, product=product["id"], quantity=quantity))
    await Cart.update({Cart.updated_at: _now()}).where(Cart.id == cart_id)


async def item_of(cart_id: int, item_id: int) -> dict[str, Any] | None:
    """The cart item ``item_id`` if it is in cart ``cart_id`` (else ``None``)."""
    return (
        await CartItem.select(CartItem.id, CartItem.product, CartItem.quantity)
        .where((CartItem.id == item_id) & (CartItem.cart == cart_id))
        .first()
    )


async def set_quantity(cart_id: int, item: dict[str, Any], quantity: int) -> None:
    """Change a cart item's quantity, checked against the stock.

    Raises:
        CartError: the product is no longer for sale or has too little stock.
    """
    product = await buyable_product(item["product"])
    if product is None:
        raise CartError(tk._("This product is no longer for sale; remove it from your cart."))
    if quantity > product["stock"]:
        raise CartError(stock_message(product))
    await CartItem.update({CartItem.quantity: quantity}).where(CartItem.id == item["id"])
    await Cart.update({Cart.updated_at: _now()}).where(Cart.id == cart_id)


async def remove_item(item_id: int) -> None:
    """Take an item out of its cart."""
    await CartItem.delete().where(CartItem.id == item_id)


@dataclass
class CartLine:
    """One item of the cart as shown, with what is wrong with it (if anything)."""

    item_id: int
    product_id: int
    name: str
    unit: str
    price: int
    quantity: int
    stock: int
    photo: str
    problem: str = ""

    @property
    def line_total(self) -> int:
        """Price times quantity, in rupiah."""
        return self.price * self.quantity


@dataclass
class MerchantGroup:
    """The cart's items of one merchant, with the merchant's delivery terms."""

    merchant_id: int
    merchant_name: str
    delivery_fee: int
    offers_delivery: bool
    offers_pickup: bool
    owner_user_id: int | None = None
    lines: list[CartLine] = field(default_factory=list)

    @property
    def subtotal(self) -> int:
        """The goods' total, without delivery."""
        return sum(line.line_total for line in self.lines)

    @property
    def fulfilments(self) -> list[Fulfilment]:
        """The ways the merchant offers to hand over the goods (delivery first)."""
        offered = []
        if self.offers_delivery:
            offered.append(Fulfilment.DELIVERY)
        if self.offers_pickup:
            offered.append(Fulfilment.PICKUP)
        return offered

    def fee_for(self, fulfilment: Fulfilment) -> int:
        """The delivery fee for ``fulfilment`` (nothing for pickup)."""
        return self.delivery_fee if fulfilment == Fulfilment.DELIVERY else 0

    @property
    def has_problem(self) -> bool:
        """Whether some line cannot be bought as it stands."""
        return any(line.problem for line in self.lines)


@dataclass
class CartView:
    """The whole cart, grouped by merchant."""

    cart_id: int | None
    groups: list[MerchantGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many items (lines) the cart holds."""
        return sum(len(group.lines) for group in self.groups)

    @property
    def subtotal(self) -> int:
        """The goods' total over every merchant, without delivery."""
        return sum(group.subtotal for group in self.groups)

    @property
    def has_problem(self) -> bool:
        """Whether some line cannot be bought as it stands."""
        return any(group.has_problem for group in self.groups)


async def cart_view(cart_id: int | None) -> CartView:
    """The cart's items with their products and merchants, grouped by merchant by name.

    A product that is no longer for sale, or whose stock is now below the
    quantity, carries a ``problem`` to show; checkout refuses such a cart.
    """
    view = CartView(cart_id)
    if cart_id is None:
        return view
    rows = await (
        CartItem.select(
            CartItem.id,
            CartItem.quantity,
            CartItem.product.id.as_alias("product_id"),
            CartItem.product.name.as_alias("name"),
            CartItem.product.unit.as_alias("unit"),
            CartItem.product.price.as_alias("price"),
            CartItem.product.stock.as_alias("stock"),
            CartItem.product.photo.as_alias("photo"),
            CartItem.product.is_active.as_alias("is_active"),
            CartItem.product.merchant.id.as_alias("merchant_id"),
            CartItem.product.merchant.name.as_alias("merchant_name"),
            CartItem.product.merchant.status.as_alias("merchant_status"),
            CartItem.product.merchant.delivery_fee.as_alias("delivery_fee"),
            CartItem.product.merchant.offers_delivery.as_alias("offers_delivery"),
            CartItem.product.merchant.offers_pickup.as_alias("offers_pickup"),
            CartItem.product.merchant.owner_user_id.as_alias("owner_user_id"),
        )
        .where(CartItem.cart == cart_id)
        .order_by(CartItem.id)
    )
    groups: dict[int, MerchantGroup] = {}
    for row in rows:
        group = groups.get(row["merchant_id"])
        if group is None:
            group = groups[row["merchant_id"]] = MerchantGroup(
                merchant_id=row["merchant_id"],
                merchant_name=row["merchant_name"],
                delivery_fee=row["delivery_fee"],
                offers_delivery=bool(row["offers_delivery"]),
                offers_pickup=bool(row["offers_pickup"]),
                owner_user_id=row["owner_user_id"],
            )
        line = CartLine(
            item_id=row["id"],
            product_id=row["product_id"],
            name=row["name"],
            unit=row["unit"],
            price=row["price"],
            quantity=row["quantity"],
            stock=row["stock"],
            photo=row["photo"],
        )
        if not row["is_active"] or row["merchant_status"] != MerchantStatus.VERIFIED.value:
            line.problem = tk._("This product is no longer for sale; remove it from your cart.")
        elif row["quantity"] > row["stock"]:
            line.problem = stock_message(row)
        group.lines.append(line)
    view.groups = sorted(groups.values(), key=lambda g: g.merchant_name.casefold())
    return view


async def clear_products(cart_id: int, product_ids: list[int]) -> None:
    """Take the given products out of the cart (after they were ordered)."""
    if product_ids:
        await CartItem.delete().where(
            (CartItem.cart == cart_id) & CartItem.product.is_in(product_ids)
        )
