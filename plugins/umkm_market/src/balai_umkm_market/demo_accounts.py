"""Demo accounts for the market: a merchant owner, and the citizen's own orders.

After the demo market is written (:mod:`balai_umkm_market.demo`):

* ``penjual@<city>.test`` owns the city's first verified merchant (by name),
  so the merchant portal (``/umkm_market/toko-saya/``, orders to handle) can
  be tried at once;
* the demo citizen ``warga@<city>.test`` becomes the buyer of two completed
  orders: one cash on delivery, one paid cashless through a settled ledger
  invoice (``tk.seed_paid_invoices``, ``source_ref="checkout:<ref>"`` as the
  checkout writes it), so "My orders" shows an order with its receipt.

Both accounts come from ``tk.demo_user`` (the demo's password).
"""

from __future__ import annotations

from datetime import timedelta

from balai import toolkit as tk

from balai_umkm_market.orders import CHECKOUT_PREFIX, SLUG
from balai_umkm_market.tables import Merchant, MerchantStatus, Order, OrderStatus, PaymentMethod


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
    return report
