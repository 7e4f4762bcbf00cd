"""The market's answer to a citizen's copy of their data and to erasing their account.

Copy (``personal_data``): the orders they placed (with the delivery address
and phone they gave), their reviews, their civil-servant (ASN) mark, and the
shops they run. Erasure (``user_deleted``): carts, the ASN mark and reviews
go; orders stay as the sale's record (number, items, amounts: they match the
city's invoice) but lose the buyer's name, phone and address; a shop keeps
its business record (its NIB is public business data) without the link to
the account.
"""

from __future__ import annotations

from balai import toolkit as tk

from balai_umkm_market.tables import AsnProfile, Cart, CartItem, Merchant, Order, Review

ORDERS_KEPT = tk.N_(
    "Orders stay as the record of each sale (number, items and amounts, matching the city's"
    " invoice), without your name, phone and address."
)
SHOPS_KEPT = tk.N_(
    "A shop's business record stays (its NIB is public business data), without the link to"
    " your account."
)


async def market_data(user_id: int) -> list[tk.PersonalData]:
    """What the market holds about account ``user_id``."""
    orders = await Order.select().where(Order.buyer_id == user_id).order_by(Order.created_at)
    reviews = await Review.select(Review.rating, Review.text, Review.created_at).where(
        Review.buyer_id == user_id
    )
    asn = await AsnProfile.select().where(AsnProfile.user_id == user_id)
    shops = await Merchant.select(
        Merchant.name, Merchant.nib, Merchant.phone, Merchant.address
    ).where(Merchant.owner_user_id == user_id)
    found = [
        tk.PersonalData(
            tk.N_("Market orders"),
            tuple(
                {
                    tk.N_("Order"): o["number"],
                    tk.N_("Status"): o["status"],
                    tk.N_("Total (Rp)"): str(o["total"]),
                    tk.N_("Name"): o["buyer_name"],
                    tk.N_("Phone"): o["buyer_phone"],
                    tk.N_("Address"): o["address"],
                    tk.N_("Ordered on"): o["created_at"].isoformat(),
                }
                for o in orders
            ),
            ORDERS_KEPT,
        ),
        tk.PersonalData(
            tk.N_("Market reviews"),
            tuple({tk.N_("Rating"): str(r["rating"]), tk.N_("Review"): r["text"]} for r in reviews),
        ),
        tk.PersonalData(
            tk.N_("Civil servant (ASN) mark"),
            tuple({k: str(v) for k, v in a.items() if k not in ("id", "city")} for a in asn),
        ),
        tk.PersonalData(
            tk.N_("Shops you run"),
            tuple(
                {
                    tk.N_("Shop"): s["name"],
                    tk.N_("NIB"): s["nib"],
                    tk.N_("Phone"): s["phone"],
                    tk.N_("Address"): s["address"],
                }
                for s in shops
            ),
            SHOPS_KEPT,
        ),
    ]
    return [section for section in found if section.records]


async def forget_user(user_id: int) -> None:
    """Erase or unlink what the market holds about account ``user_id`` (see the module)."""
    carts = Cart.select(Cart.id).where(Cart.user_id == user_id)
    await CartItem.delete().where(CartItem.cart.is_in(carts))
    await Cart.delete().where(Cart.user_id == user_id)
    await AsnProfile.delete().where(AsnProfile.user_id == user_id)
    await Review.update({Review.text: "", Review.buyer_name: "", Review.buyer_id: None}).where(
        Review.buyer_id == user_id
    )
    await Order.update(
        {
            Order.buyer_name: f"#{user_id}",
            Order.buyer_phone: "",
            Order.address: "",
            Order.buyer_department: "",
        }
    ).where(Order.buyer_id == user_id)
    await Merchant.update({Merchant.owner_user_id: None}).where(Merchant.owner_user_id == user_id)
