"""Checkout: turning the cart into one order per merchant, paid at once.

The buyer chooses, per merchant, delivery (to one address, at the
merchant's fee) or pickup, as the merchant offers, and one way to pay for
everything: cash on delivery/pickup (COD) or cashless through ONE invoice of
the city's payments ledger (``source="umkm_market"``,
``source_ref="checkout:<ref>"``), paid on the core's invoice page by virtual
account, QRIS or e-wallet.

Everything happens in one write transaction: the stock of every line is
reserved (:mod:`stock`), the orders, their items and first events are
written, the invoice is created and the ordered items leave the cart. When a
product turns out to have too little stock left, the whole checkout rolls
back and the buyer is told which one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from balai import toolkit as tk

from balai_umkm_market.asn import asn_profile_of
from balai_umkm_market.cart.basket import CartView, MerchantGroup, clear_products
from balai_umkm_market.catalogue import stock
from balai_umkm_market.orders import service as orders
from balai_umkm_market.orders.states import (
    ORDER_NUMBERS,
    Fulfilment,
    OrderStatus,
    PaymentMethod,
    initial_status,
)
from balai_umkm_market.tables import Order, OrderItem

PAYMENT_WINDOW = timedelta(hours=2)  # unpaid cashless checkouts lapse (and free their stock)
MAX_ADDRESS = 500
MAX_PHONE = 20


def new_checkout_ref() -> str:
    """The reference shared by the orders of one checkout (and its invoice)."""
    return secrets.token_hex(12)


@dataclass
class CheckoutChoice:
    """What the buyer chose on the checkout form."""

    fulfilment: dict[int, Fulfilment] = field(default_factory=dict)
    address: str = ""
    phone: str = ""
    payment: PaymentMethod | None = None

    @property
    def needs_address(self) -> bool:
        """Whether some merchant delivers (so an address is required)."""
        return Fulfilment.DELIVERY in self.fulfilment.values()


def fulfilment_field(group: MerchantGroup) -> str:
    """The form field of a merchant's delivery-or-pickup choice."""
    return f"fulfilment_{group.merchant_id}"


_PHONE_DIGITS = tk.N_("Enter the phone number with digits only, for example 0812 3456 7890.")
_PAYMENT = tk.N_("Choose how you want to pay.")


class ContactPhoneField(tk.Field):
    """A number the seller can call: 8 to 15 digits, spaces, dashes and a leading ``+`` allowed.

    Not only a mobile number (``tk.PhoneField``): a shop's landline will do.
    """

    input_type = "tel"
    inputmode = "tel"
    default_autocomplete = "tel"
    max_input = MAX_PHONE

    def parse(self, text: str) -> str:
        """The number as typed (trimmed)."""
        digits = text.replace(" ", "").replace("-", "").removeprefix("+")
        if not (digits.isascii() and digits.isdigit() and 8 <= len(digits) <= 15):
            raise tk.FieldError(tk._(_PHONE_DIGITS))
        return text

    def too_long(self) -> tk.FieldError:
        """Longer than any phone number."""
        return tk.FieldError(tk._(_PHONE_DIGITS))


class ContactForm(tk.Form):
    """The checkout's address, phone and way to pay (the per-merchant choices are read apart)."""

    address = tk.TextField(
        "Delivery address",
        max_length=MAX_ADDRESS,
        required=False,
        invalid=tk.N_("The address can be at most %(max)s characters long."),
    )
    phone = ContactPhoneField(
        tk.N_("Phone number"), missing=tk.N_("Enter a phone number the seller can reach you at.")
    )
    payment = tk.ChoiceField(
        "Payment",
        choices=lambda: [(method.value, method.value) for method in PaymentMethod],
        translate=False,
        missing=_PAYMENT,
        invalid=_PAYMENT,
    )


def fulfilment_form(view: CartView) -> type[tk.Form]:
    """A form with one delivery-or-pickup choice per merchant of the cart.

    Any of the ways is accepted here; whether the merchant offers it is
    checked by :func:`read_choice`, which says so in the merchant's name.
    """
    ways = [(way.value, way.value) for way in Fulfilment]
    fields = {
        fulfilment_field(group): tk.ChoiceField(
            "Delivery or pickup", choices=ways, translate=False, required=False
        )
        for group in view.groups
    }
    return type("FulfilmentForm", (tk.Form,), fields)


async def read_choice(form: Any, view: CartView) -> tuple[CheckoutChoice, dict[str, str]]:
    """The buyer's choices from the checkout form, and what is wrong with them.

    Returns:
        The choices (as far as they could be read) and a mapping field name →
        translated message; empty when the form is fine.
    """
    contact = ContactForm(form)
    await contact.validate()
    errors = contact.errors
    choice = CheckoutChoice(address=contact.values["address"], phone=contact.values["phone"])
    if "payment" in contact.clean:
        choice.payment = PaymentMethod(contact.clean["payment"])
    fulfilments = fulfilment_form(view)(form)
    await fulfilments.validate()
    for group in view.groups:
        name = fulfilment_field(group)
        offered = group.fulfilments
        chosen = fulfilments.clean.get(name)
        if chosen is None and len(offered) == 1 and not fulfilments.values[name]:
            chosen = offered[0].value
        if chosen is None:
            errors[name] = tk._(
                "Choose delivery or pickup for %(merchant)s.", merchant=group.merchant_name
            )
            continue
        chosen = Fulfilment(chosen)
        if chosen not in offered:
            errors[name] = (
                tk._("%(merchant)s does not deliver; choose pickup.", merchant=group.merchant_name)
                if chosen == Fulfilment.DELIVERY
                else tk._(
                    "%(merchant)s offers no pickup; choose delivery.",
                    merchant=group.merchant_name,
                )
            )
            continue
        choice.fulfilment[group.merchant_id] = chosen
    if choice.needs_address and not choice.address:
        contact.add_error("address", tk._("Enter the delivery address."))
    return choice, errors


class OutOfStock(Exception):
    """A product had too little stock left at checkout (the checkout rolled back)."""

    def __init__(self, product_name: str) -> None:
        super().__init__(product_name)
        self.product_name = product_name

    @property
    def message(self) -> str:
        """What to tell the buyer."""
        return tk._(
            "Someone bought %(name)s just before you and too little is left. "
            "Check the quantity in your cart.",
            name=self.product_name,
        )


@dataclass(frozen=True)
class Placed:
    """What a checkout created."""

    checkout_ref: str
    order_numbers: list[str]
    invoice: tk.Invoice | None


async def place_orders(view: CartView, choice: CheckoutChoice, buyer: tk.CurrentUser) -> Placed:
    """Reserve the stock and write one order per merchant; one invoice for a cashless checkout.

    Raises:
        OutOfStock: a product has too little stock left; nothing was written.
        tk.LedgerError: the invoice could not be created; nothing was written.
    """
    assert choice.payment is not None
    ref = new_checkout_ref()
    now = datetime.now(UTC)
    asn = await asn_profile_of(buyer.id)
    department = asn["department"] if asn else None
    status = initial_status(choice.payment)
    placed: list[dict[str, Any]] = []
    async with stock.write_transaction():
        for group in view.groups:
            for line in group.lines:
                if not await stock.reserve(line.product_id, line.quantity):
                    raise OutOfStock(line.name)
        for group in view.groups:
            fulfilment = choice.fulfilment[group.merchant_id]
            fee = group.fee_for(fulfilment)
            order = Order(
                number=await ORDER_NUMBERS.new_unique(Order.number),
                checkout_ref=ref,
                buyer_id=buyer.id,
                buyer_name=buyer.name,
                buyer_phone=choice.phone,
                merchant=group.merchant_id,
                status=status.value,
                fulfilment=fulfilment.value,
                address=choice.address if fulfilment == Fulfilment.DELIVERY else "",
                delivery_fee=fee,
                subtotal=group.subtotal,
                total=group.subtotal + fee,
                payment_method=choice.payment.value,
                invoice_number="",
                cancel_reason="",
                buyer_is_asn=department is not None,
                buyer_department=department or "",
                created_at=now,
                updated_at=now,
            )
            await order.save()
            await OrderItem.insert(
                *[
                    OrderItem(
                        order=order.id,
                        product=line.product_id,
                        product_name=line.name,
                        unit_price=line.price,
                        quantity=line.quantity,
                        line_total=line.line_total,
                    )
                    for line in group.lines
                ]
            )
            await orders.record_placed(order.id, status.value, buyer.id)
            row = {
                "id": order.id,
                "number": order.number,
                "buyer_id": buyer.id,
                "buyer_name": buyer.name,
                "total": order.total,
                "subtotal": order.subtotal,
                "buyer_is_asn": order.buyer_is_asn,
                "buyer_department": order.buyer_department,
                "payment_method": order.payment_method,
                "merchant_name": group.merchant_name,
                "merchant_owner_id": group.owner_user_id,
            }
            placed.append(row)
            if status == OrderStatus.NEW:
                await orders.count_purchase(row, +1)
                await orders.notify_merchant(row)
            await orders.notify_buyer(row, status.value)
        invoice = None
        if choice.payment == PaymentMethod.CASHLESS:
            invoice = await tk.create_invoice(
                payer_id=buyer.id,
                payer_name=buyer.name,
                items=[
                    tk.InvoiceItem(
                        tk._(
                            "Order %(number)s from %(merchant)s",
                            number=row["number"],
                            merchant=row["merchant_name"],
                        ),
                        row["total"],
                    )
                    for row in placed
                ],
                due_at=now + PAYMENT_WINDOW,
                source=orders.SLUG,
                source_ref=orders.CHECKOUT_PREFIX + ref,
                kind=tk.InvoiceKind.GOODS,
            )
            await Order.update({Order.invoice_number: invoice.number}).where(
                Order.checkout_ref == ref
            )
        await clear_products(
            view.cart_id, [line.product_id for group in view.groups for line in group.lines]
        )
    return Placed(ref, [row["number"] for row in placed], invoice)
