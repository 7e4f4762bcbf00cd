"""Demo accounts for the market: a merchant owner, and the citizen's own orders.

After the demo market is written (:mod:`balai_umkm_market.demo`):

* ``penjual@<city>.test`` owns the city's first verified merchant (by name),
  so the merchant portal (``/umkm_market/toko-saya/``, orders to handle) can
  be tried at once;
* the demo citizen ``warga@<city>.test`` becomes the buyer of two completed
  orders: one cash on delivery, one paid cashless through a settled ledger
  invoice (``tk.seed_paid_invoices``, ``source_ref="checkout:<ref>"`` as the
  checkout writes it), so "My orders" shows an order with its receipt;
* the market officer ``umkm_market.officer@<city>.test`` has hidden one
  abusive review with a reason, through the same code as the office page
  (rating taken out, audited), so the hidden-review log is not empty.

The accounts come from ``tk.demo_user`` (the demo's password).
"""

from __future__ import annotations

from datetime import timedelta

from balai import toolkit as tk

from balai_umkm_market.orders.service import CHECKOUT_PREFIX, SLUG
from balai_umkm_market.reviews import service as reviews
from balai_umkm_market.tables import (
    Merchant,
    MerchantStatus,
    Order,
    OrderStatus,
    PaymentMethod,
    Review,
)

# What a buyer wrote and why the officer hid it (the demo cities speak Indonesian).
ABUSIVE_REVIEW = "Penjualnya bodoh dan penipu! Jangan ada yang beli di toko sampah ini."
HIDDEN_REASON = "Kata-kata kasar dan tuduhan menipu tanpa bukti; melanggar pedoman ulasan."


async def seed(city: tk.City) -> tk.DemoReport:
    """The owner and the citizen's orders (after the market's demo data), once."""
    report = tk.DemoReport()
    merchant = await (
        Merchant.select(Merchant.id, Merchant.name, Merchant.owner_name)
        .where(Merchant.status == MerchantStatus.VERIFIED.value)
        .order_by(Merchant.name)
        .first()
    )
    if merchant is None:
        return report
    owner = await tk.demo_user(f"penjual@{city.slug}.test", merchant["owner_name"])
    await Merchant.update({Merchant.owner_user_id: owner.id}).where(Merchant.id == merchant["id"])
    report.accounts.append(owner.account)
    report.summary.append(f"umkm_market: {owner.account.login} runs {merchant['name']}")

    citizen = await tk.demo_user(f"warga@{city.slug}.test", f"Warga {city.name}")
    bought = await (
        Order.select(
            Order.id,
            Order.number,
            Order.checkout_ref,
            Order.total,
            Order.created_at,
            Order.merchant.name.as_alias("merchant_name"),
        )
        .where(
            (Order.status == OrderStatus.COMPLETED.value)
            & (Order.merchant != merchant["id"])
            & Order.buyer_id.is_null()
        )
        .order_by(Order.created_at, ascending=False)
        .limit(2)
    )
    if len(bought) < 2:
        return report
    name = f"Warga {city.name}"
    await Order.update({Order.buyer_id: citizen.id, Order.buyer_name: name}).where(
        Order.id.is_in([o["id"] for o in bought])
    )
    cashless = bought[0]
    (paid,) = await tk.seed_paid_invoices(
        [
            tk.DemoPayment(
                payer_id=citizen.id,
                payer_name=name,
                items=[
                    tk.InvoiceItem(
                        tk._(
                            "Order %(number)s from %(merchant)s",
                            number=cashless["number"],
                            merchant=cashless["merchant_name"],
                        ),
                        cashless["total"],
                    )
                ],
                source=SLUG,
                source_ref=CHECKOUT_PREFIX + cashless["checkout_ref"],
                channel="qris",
                paid_at=cashless["created_at"] + timedelta(minutes=3),
            )
        ]
    )
    await Order.update(
        {
            Order.payment_method: PaymentMethod.CASHLESS.value,
            Order.invoice_number: paid.invoice_number,
        }
    ).where(Order.id == cashless["id"])
    report.summary.append(
        f"umkm_market: {citizen.account.login} has 2 orders, {cashless['number']} paid by QRIS"
    )
    hidden = await hide_an_abusive_review(city)
    if hidden:
        report.summary.append(hidden)
    return report


async def hide_an_abusive_review(city: tk.City) -> str:
    """The officer hides the first of the lowest-rated reviews, whose buyer wrote abuse.

    The text is set to :data:`ABUSIVE_REVIEW` (the demo's reviews are polite)
    and the review hidden by :func:`reviews.hide_review`, as the office page does.
    Returns the banner's line, '' without reviews.
    """
    review = await Review.select(Review.id).order_by(Review.rating).order_by(Review.id).first()
    if review is None:
        return ""
    await Review.update({Review.text: ABUSIVE_REVIEW}).where(Review.id == review["id"])
    officer = await tk.demo_user(
        f"umkm_market.officer@{city.slug}.test", "Petugas pasar UMKM", role="umkm_market.officer"
    )
    await reviews.hide_review(review["id"], officer.id, HIDDEN_REASON, request=None)
    return f"umkm_market: {officer.account.login} hid 1 abusive review (hidden-review log)"
