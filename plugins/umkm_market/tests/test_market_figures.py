"""The merchant's dashboard, the mayor's widgets and the open datasets of the market."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from balai import toolkit as tk
from balai_umkm_market.orders.service import department_slug
from balai_umkm_market.tables import Merchant, Order, OrderItem
from market_setup import add_merchant, add_product, market_config

MY_SHOP = "/malang/umkm-market/toko-saya/"


@pytest.fixture
def balai_config(tmp_path):
    return market_config(tmp_path)


def completed_order(merchant_id, product_id, quantity, price, *, days_ago=0, status="completed"):
    async def insert():
        when = datetime.now(UTC) - timedelta(days=days_ago)
        order = Order(
            number=f"T-{merchant_id}-{product_id}-{days_ago}-{quantity}",
            merchant=merchant_id,
            status=status,
            subtotal=quantity * price,
            total=quantity * price,
            created_at=when,
            updated_at=when,
            completed_at=when if status == "completed" else None,
        )
        await order.save()
        await OrderItem.insert(
            OrderItem(
                order=order.id,
                product=product_id,
                product_name=f"Produk {product_id}",
                unit_price=price,
                quantity=quantity,
                line_total=quantity * price,
            )
        )

    return insert


def test_merchant_dashboard_shows_sales_top_products_and_rating(client, login_as, city_run):
    user = login_as()
    merchant_id = city_run("malang", add_merchant(owner_user_id=user["id"]))
    beras = city_run("malang", add_product(merchant_id, "Beras", 70_000))
    telur = city_run("malang", add_product(merchant_id, "Telur", 28_000))
    city_run("malang", completed_order(merchant_id, beras, 2, 70_000))
    city_run("malang", completed_order(merchant_id, telur, 5, 28_000, days_ago=3))
    city_run("malang", completed_order(merchant_id, telur, 1, 28_000, days_ago=40))  # too old
    city_run("malang", completed_order(merchant_id, beras, 9, 70_000, status="new"))  # not done
    other = city_run("malang", add_merchant("Toko Lain"))
    gula = city_run("malang", add_product(other, "Gula", 15_000))
    city_run("malang", completed_order(other, gula, 50, 15_000))

    async def rate():
        await Merchant.update({Merchant.rating_sum: 9, Merchant.rating_count: 2}).where(
            Merchant.id == merchant_id
        )

    city_run("malang", rate)
    page = client.get(MY_SHOP)
    assert page.status_code == 200
    text = page.text
    assert "Rp280.000" in text  # 2 x 70.000 + 5 x 28.000 in the last 30 days
    assert "4,5 dari 5 (2 ulasan)" in text
    assert text.index("Produk " + str(telur)) < text.index("Produk " + str(beras))  # 6 sold vs 2
    assert "Produk " + str(gula) not in text
    assert text.count('class="umkm-chart-bar"') == 30
    assert 'href="/malang/umkm-market/penjual/pesanan/"' in text  # the merchant's orders
    assert 'href="/malang/umkm-market/toko-saya/produk/"' in text
    assert 'role="img"' in text


def test_pending_applicant_sees_no_dashboard(client, login_as, city_run):
    user = login_as()
    city_run("malang", add_merchant(owner_user_id=user["id"], status="pending"))
    page = client.get(MY_SHOP)
    assert "umkm-chart" not in page.text
    assert "Permohonan Anda sedang diperiksa" in page.text


def bump(metric, amount):
    async def run():
        await tk.bump_metric(metric, amount)

    return run


def widget_csv(client, key):
    response = client.get(f"/malang/dasbor/widget/{key}.csv")
    assert response.status_code == 200, response.text
    return list(csv.reader(io.StringIO(response.text)))


def test_dashboard_widgets_read_the_metrics(client, login_as, city_run):
    city_run("malang", add_merchant("A"))
    city_run("malang", add_merchant("B"))
    city_run("malang", add_merchant("C", status="pending"))
    city_run("semarang", add_merchant("D"))
    health = "Dinas Kesehatan"
    for metric, amount in [
        ("umkm_market.orders", 4),
        ("umkm_market.sales", 400_000),
        ("umkm_market.asn_orders", 1),
        ("umkm_market.asn_sales", 100_000),
        ("umkm_market.department_sales." + department_slug(health), 100_000),
        ("umkm_market.category_sales.sembako", 300_000),
        ("umkm_market.category_sales.makanan", 100_000),
    ]:
        city_run("malang", bump(metric, amount))
    city_run("semarang", bump("umkm_market.sales", 999_000))

    async def rate():
        await Merchant.update({Merchant.rating_sum: 9, Merchant.rating_count: 2}).where(
            Merchant.name == "A"
        )

    city_run("malang", rate)
    login_as("dashboard.viewer")
    page = client.get("/malang/dasbor/")
    assert page.status_code == 200
    assert "Pembelian dari UMKM" in page.text
    assert widget_csv(client, "umkm_market.active_merchants")[1][0] == "2"
    assert widget_csv(client, "umkm_market.orders")[1][0] == "4"
    assert widget_csv(client, "umkm_market.sales")[1][0] == "400000"
    assert widget_csv(client, "umkm_market.asn_share")[1][0] == "25"
    assert widget_csv(client, "umkm_market.asn_departments")[1] == [health, "100000", "25"]
    top = widget_csv(client, "umkm_market.top_categories")
    assert [row[1] for row in top[1:]] == ["300000", "100000"]
    assert widget_csv(client, "umkm_market.average_rating")[1][0] == "4.5"


def test_open_orders_gauge_counts_the_orders_not_finished_now(client, login_as, city_run):
    merchant = city_run("malang", add_merchant("A"))
    product = city_run("malang", add_product(merchant))
    for n, status in enumerate(
        ["new", "confirmed", "delivering", "awaiting_payment", "completed", "cancelled"]
    ):
        city_run("malang", completed_order(merchant, product, n + 1, 1000, status=status))
    other = city_run("semarang", add_merchant("B"))
    city_run(
        "semarang",
        completed_order(other, city_run("semarang", add_product(other)), 1, 1, status="new"),
    )
    login_as("dashboard.viewer")
    for period in ("7d", "year"):
        card = client.get(f"/malang/dasbor/widget/umkm_market.open_orders?period={period}").text
        assert '<span class="dash-value">4</span>' in card and "sekarang" in card
    assert widget_csv(client, "umkm_market.open_orders")[1] == ["4", "", "count"]


def test_open_datasets_are_aggregates(client, city_run):
    city_run("malang", add_merchant("A", district="Klojen"))
    city_run("malang", add_merchant("B", district="Klojen"))
    city_run("malang", add_merchant("C", district="Sukun"))
    city_run("malang", add_merchant("D", district="Sukun", status="pending"))
    city_run("malang", bump("umkm_market.category_sales.sembako", 250_000))
    response = client.get("/malang/data/umkm-merchants-per-district.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["district", "category", "merchants"]
    assert ["Klojen", "craft", "2"] in rows
    assert ["Sukun", "craft", "1"] in rows
    response = client.get("/malang/data/umkm-monthly-sales-per-category.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["month", "category", "sales_rupiah"]
    sembako = [r for r in rows[1:] if r[1] == "sembako" and r[2] != "0"]
    assert len(sembako) == 1 and sembako[0][2] == "250000"
    assert len(rows) == 1 + 24 * 8  # 24 months of the 8 product categories


def test_department_slugs_fit_a_metric_name_and_keep_long_names_apart():
    assert department_slug("Dinas Pendidikan") == "dinas_pendidikan"
    shared = "Dinas Pemberdayaan Perempuan, Perlindungan Anak, "
    first = department_slug(shared + "Pengendalian Penduduk")
    second = department_slug(shared + "dan Keluarga Berencana")
    assert first != second
    for slug in (first, second):
        assert len("umkm_market.department_sales." + slug) <= 80
