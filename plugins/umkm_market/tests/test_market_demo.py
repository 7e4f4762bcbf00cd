"""The demo market: enough realistic data, deterministic, once per city, counted in the metrics."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from balai import toolkit as tk
from balai_umkm_market import demo
from balai_umkm_market.orders.states import ORDERS
from balai_umkm_market.tables import Merchant, Order, OrderItem, Product, Review
from market_setup import MALANG_DISTRICTS, market_config

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


@pytest.fixture
def balai_config(tmp_path):
    return market_config(tmp_path)


def seed(balai_app, city_run, slug):
    city = balai_app.ui.config.cities[slug]
    return city_run(slug, demo.seed, city, NOW)


def table(city_run, slug, query):
    async def run():
        return await query()

    return city_run(slug, run)


def test_malang_demo_market(balai_app, city_run, client):
    report = seed(balai_app, city_run, "malang")
    assert report.summary and report.summary[0].startswith("umkm_market: 73 merchants")
    merchants = table(city_run, "malang", lambda: Merchant.select())
    verified = [m for m in merchants if m["status"] == "verified"]
    assert len(verified) >= 60
    assert {m["district"] for m in verified} == set(MALANG_DISTRICTS)
    assert {m["status"] for m in merchants} == {"verified", "pending", "rejected", "suspended"}
    assert all(len(m["nib"]) == 13 and m["nib"].isdigit() for m in merchants)
    products = table(city_run, "malang", lambda: Product.select())
    names = {p["name"] for p in products}
    for expected in ("Beras Premium 5 kg", "Kopi Dampit Robusta 250 g", "Bakpao Telo isi 10"):
        assert expected in names
    assert any(name.startswith("Keripik Tempe Sanan") for name in names)
    assert any(name.startswith("Kain Batik") and "Malangan" in name for name in names)
    assert all(p["price"] > 0 and p["price"] % 500 == 0 for p in products)
    orders = table(city_run, "malang", lambda: Order.select())
    completed = [o for o in orders if o["status"] == "completed"]
    assert len(completed) > 100
    assert any(o["buyer_is_asn"] for o in completed)
    items = table(city_run, "malang", lambda: OrderItem.select())
    by_order: dict[int, int] = {}
    for item in items:
        by_order[item["order"]] = by_order.get(item["order"], 0) + item["line_total"]
    assert all(by_order[o["id"]] == o["subtotal"] for o in orders)
    assert all(o["total"] == o["subtotal"] + o["delivery_fee"] for o in orders)
    reviews = table(city_run, "malang", lambda: Review.select())
    assert len(reviews) > 50
    for merchant in verified:
        own = [r["rating"] for r in reviews if r["merchant"] == merchant["id"]]
        assert (merchant["rating_sum"], merchant["rating_count"]) == (sum(own), len(own))
    sales = table(
        city_run,
        "malang",
        lambda: tk.metric_total(
            "umkm_market.sales", tk.Period(datetime(2026, 1, 1).date(), NOW.date())
        ),
    )
    assert sales == sum(o["subtotal"] for o in orders)
    # the public market lists the verified businesses
    assert verified[0]["name"] in client.get("/malang/umkm-market/").text


def aware(moment: datetime) -> datetime:
    """A stored time as an aware UTC time (SQLite may hand it back naive)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_nothing_in_the_demo_happens_after_now(balai_app, city_run):
    seed(balai_app, city_run, "malang")
    orders = table(city_run, "malang", lambda: Order.select())
    order_ids = [o["id"] for o in orders]
    events = [
        {**step, "order": order_id}
        for order_id in order_ids
        for step in city_run("malang", ORDERS.history, order_id)
    ]
    reviews = table(city_run, "malang", lambda: Review.select())
    times = [o["created_at"] for o in orders] + [o["updated_at"] for o in orders]
    times += [o["completed_at"] for o in orders if o["completed_at"]]
    times += [e["created_at"] for e in events] + [r["created_at"] for r in reviews]
    times += [r["replied_at"] for r in reviews if r["replied_at"]]
    assert max(aware(t) for t in times) <= NOW
    placed = {o["id"]: aware(o["created_at"]) for o in orders}
    assert all(aware(e["created_at"]) >= placed[e["order"]] for e in events)
    # each order's history in the order it happened
    history: dict[int, list[datetime]] = {}
    for event in sorted(events, key=lambda e: e["id"]):
        history.setdefault(event["order"], []).append(aware(event["created_at"]))
    assert all(steps == sorted(steps) for steps in history.values())


def test_demo_is_deterministic_and_seeded_once(balai_app, city_run):
    seed(balai_app, city_run, "malang")
    first = table(city_run, "malang", lambda: Product.select(Product.name, Product.price))
    assert seed(balai_app, city_run, "malang").summary == []
    assert table(city_run, "malang", lambda: Product.count()) == len(first)
    planner = demo.Planner(balai_app.ui.config.cities["malang"], demo.PLANS["malang"], NOW)
    planner.plan_merchants()
    again = [(p.name, p.price) for m in planner.merchants for p in m.products]
    assert sorted(again) == sorted((r["name"], r["price"]) for r in first)


def test_smaller_markets_for_semarang_and_yogyakarta(balai_app, city_run):
    report = seed(balai_app, city_run, "semarang")
    assert report.summary[0].startswith("umkm_market: 12 merchants")
    names = {p["name"] for p in table(city_run, "semarang", lambda: Product.select(Product.name))}
    assert any("Lumpia" in n or "Bandeng" in n or "Wingko" in n for n in names)
    assert table(city_run, "malang", lambda: Merchant.count()) == 0
