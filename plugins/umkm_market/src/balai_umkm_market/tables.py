"""The tables of the ``umkm_market`` plugin (Piccolo app ``umkm_market``).

Every table holds one city's rows (:class:`tk.CityTable`). Money is integer
rupiah; times are stored in UTC. Uniqueness per city and the composite
indexes live in raw migrations (see ``migrations/``), since Piccolo columns
only express single-column ones.
"""

from __future__ import annotations

import enum

from balai import toolkit as tk
from piccolo.columns import (
    Boolean,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete


class Category(enum.StrEnum):
    """What a merchant sells, broadly (the business's category)."""

    FOOD = "food"
    CRAFT = "craft"
    FASHION = "fashion"
    FARM = "farm"
    SERVICES = "services"


class MerchantStatus(enum.StrEnum):
    """Where a merchant's application stands; only ``verified`` ones are public."""

    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


class ProductCategory(enum.StrEnum):
    """What a product is (the catalogue's category filter)."""

    SEMBAKO = "sembako"
    MAKANAN = "makanan"
    MINUMAN = "minuman"
    KERAJINAN = "kerajinan"
    FASHION = "fashion"
    PERTANIAN = "pertanian"
    KESEHATAN = "kesehatan"
    JASA = "jasa"


class OrderStatus(enum.StrEnum):
    """The states of an order (moves are the order code's business)."""

    AWAITING_PAYMENT = "awaiting_payment"
    NEW = "new"
    CONFIRMED = "confirmed"
    DELIVERING = "delivering"
    READY_FOR_PICKUP = "ready_for_pickup"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Fulfilment(enum.StrEnum):
    """How the buyer gets the goods."""

    DELIVERY = "delivery"
    PICKUP = "pickup"


class PaymentMethod(enum.StrEnum):
    """How the buyer pays (``partner``: the delivery partner collects and settles with the shop)."""

    COD = "cod"
    CASHLESS = "cashless"
    PARTNER = "partner"


class Channel(enum.StrEnum):
    """Where an order came from: the market's own pages or a delivery partner's app."""

    WEB = "web"
    PARTNER = "partner"


class Merchant(tk.CityTable, tablename="umkm_market_merchant"):
    """A local business (UMKM) that sells through the city's market.

    A citizen applies (``status`` ``pending``); a Diskopindag officer checks
    the business registration (NIB, 13 digits) and sets ``verified`` or
    ``rejected`` with a reason. ``owner_user_id`` is the account that runs the
    merchant portal. ``rating_sum``/``rating_count`` are kept by the review
    code in the same transaction as a review.
    """

    name = Varchar(length=120)
    owner_name = Varchar(length=120)
    owner_user_id = Integer(null=True, default=None)
    nib = Varchar(length=13)
    phone = Varchar(length=20)
    address = Text()
    district = Varchar(length=60)
    category = Varchar(length=20, choices=Category, default=Category.FOOD.value)
    description = Text()
    status = Varchar(length=12, choices=MerchantStatus, default=MerchantStatus.PENDING.value)
    rejection_reason = Text()
    verified_by = Integer(null=True, default=None)
    verified_at = Timestamptz(null=True, default=None)
    delivery_fee = Integer(default=0)
    offers_delivery = Boolean(default=True)
    offers_pickup = Boolean(default=True)
    photo = Varchar(length=200)
    rating_sum = Integer(default=0)
    rating_count = Integer(default=0)
    created_at = Timestamptz()
    # Publishing to delivery partners (the catalogue feed), the merchant's own choice.
    partner_feed = Boolean(default=False)
    opening_hours = Varchar(length=200, default="")
    # When the choice, the hours or the status last changed; None: never published.
    partner_feed_changed_at = Timestamptz(null=True, default=None)


class Product(tk.CityTable, tablename="umkm_market_product"):
    """Something a merchant sells, at an integer price in rupiah per ``unit``.

    ``stock`` is the quantity still available: checkout reserves with
    ``UPDATE ... SET stock = stock - q WHERE id = ? AND stock >= q`` and a
    cancelled or expired order gives it back. ``photo`` is the main photo's
    file key ('' when none).
    """

    merchant = ForeignKey(references=Merchant, on_delete=OnDelete.restrict)
    name = Varchar(length=120)
    description = Text()
    category = Varchar(length=30, choices=ProductCategory, default=ProductCategory.SEMBAKO.value)
    price = Integer(default=0)
    unit = Varchar(length=20, default="pcs")
    stock = Integer(default=0)
    is_active = Boolean(default=True)
    photo = Varchar(length=200)
    rating_sum = Integer(default=0)
    rating_count = Integer(default=0)
    sold_count = Integer(default=0)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class ProductPhoto(tk.CityTable, tablename="umkm_market_product_photo"):
    """One photo of a product (a stored file's key), in display ``position``."""

    product = ForeignKey(references=Product, on_delete=OnDelete.cascade)
    file_key = Varchar(length=200)
    position = Integer(default=0)


class Cart(tk.CityTable, tablename="umkm_market_cart"):
    """A shopping cart: a logged-in buyer's (``user_id``) or an anonymous one.

    An anonymous cart is found by ``session_key``; it is '' once the cart
    belongs to a user.
    """

    user_id = Integer(null=True, default=None)
    session_key = Varchar(length=64)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class CartItem(tk.CityTable, tablename="umkm_market_cart_item"):
    """A product and its quantity in a cart."""

    cart = ForeignKey(references=Cart, on_delete=OnDelete.cascade)
    product = ForeignKey(references=Product, on_delete=OnDelete.cascade)
    quantity = Integer(default=1)


class Order(tk.CityTable, tablename="umkm_market_order"):
    """A buyer's order from one merchant.

    ``number`` is readable, unguessable and unique per city. The orders of one
    checkout share ``checkout_ref`` and are paid by one ledger invoice whose
    source reference is ``checkout:<checkout_ref>`` (``invoice_number`` is ''
    for cash on delivery). ``buyer_is_asn``/``buyer_department`` are copied
    from the buyer's :class:`AsnProfile` at checkout.
    """

    number = Varchar(length=20)
    checkout_ref = Varchar(length=32, index=True)
    buyer_id = Integer(null=True, default=None)
    buyer_name = Varchar(length=120)
    buyer_phone = Varchar(length=20)
    merchant = ForeignKey(references=Merchant, on_delete=OnDelete.restrict)
    status = Varchar(
        length=20, choices=OrderStatus, default=OrderStatus.AWAITING_PAYMENT.value, index=True
    )
    fulfilment = Varchar(length=10, choices=Fulfilment, default=Fulfilment.DELIVERY.value)
    address = Text()
    delivery_fee = Integer(default=0)
    subtotal = Integer(default=0)
    total = Integer(default=0)
    payment_method = Varchar(length=10, choices=PaymentMethod, default=PaymentMethod.COD.value)
    invoice_number = Varchar(length=40)
    channel = Varchar(length=10, choices=Channel, default=Channel.WEB.value)
    cancel_reason = Text()
    buyer_is_asn = Boolean(default=False)
    buyer_department = Varchar(length=120)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    completed_at = Timestamptz(null=True, default=None)
    cancelled_at = Timestamptz(null=True, default=None)


class OrderItem(tk.CityTable, tablename="umkm_market_order_item"):
    """One line of an order, with the product's name and price at checkout."""

    order = ForeignKey(references=Order, on_delete=OnDelete.cascade)
    product = ForeignKey(references=Product, on_delete=OnDelete.restrict)
    product_name = Varchar(length=120)
    unit_price = Integer(default=0)
    quantity = Integer(default=1)
    line_total = Integer(default=0)


class Review(tk.CityTable, tablename="umkm_market_review"):
    """A buyer's 1–5 rating and text on one item of a completed order.

    One per order item (a unique index per city). Merchants may reply;
    officers may hide an abusive review with a reason.
    """

    order_item = ForeignKey(references=OrderItem, on_delete=OnDelete.restrict)
    order = ForeignKey(references=Order, on_delete=OnDelete.restrict)
    product = ForeignKey(references=Product, on_delete=OnDelete.restrict)
    merchant = ForeignKey(references=Merchant, on_delete=OnDelete.restrict)
    buyer_id = Integer(null=True, default=None)
    buyer_name = Varchar(length=120)
    rating = Integer(default=5)
    text = Text()
    reply = Text()
    replied_at = Timestamptz(null=True, default=None)
    is_hidden = Boolean(default=False)
    hidden_reason = Text()
    hidden_by = Integer(null=True, default=None)
    hidden_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class AsnProfile(tk.CityTable, tablename="umkm_market_asn_profile"):
    """A citizen's mark as a civil servant (ASN): NIP and department (OPD).

    One per user per city (a unique index). Their purchases count toward the
    "Beli produk lokal" programme.
    """

    user_id = Integer()
    nip = Varchar(length=18)
    department = Varchar(length=120)
    created_at = Timestamptz()


class PartnerOrderLink(tk.CityTable, tablename="umkm_market_partner_order"):
    """A delivery partner's reference of an order it placed: one order per partner reference."""

    order = ForeignKey(references=Order, on_delete=OnDelete.cascade)
    partner_id = Integer()
    partner_name = Varchar(length=120)
    reference = Varchar(length=64)
    created_at = Timestamptz()

    city_unique = (("partner_id", "reference"),)


class FeedRemoval(tk.CityTable, tablename="umkm_market_feed_removal"):
    """A deleted product of a merchant who published to partners: the feed's tombstone."""

    product_id = Integer()
    merchant_id = Integer()
    removed_at = Timestamptz()

    city_unique = (("product_id",),)


TABLES = [
    Merchant,
    Product,
    ProductPhoto,
    Cart,
    CartItem,
    Order,
    OrderItem,
    Review,
    AsnProfile,
    PartnerOrderLink,
    FeedRemoval,
]
