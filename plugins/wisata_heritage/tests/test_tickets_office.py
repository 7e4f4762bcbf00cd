"""Officers' ticket pages: products with prices, slots with quotas, counter sales for cash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from balai import toolkit as tk
from balai.audit.tables import AuditEntry
from balai_wisata_heritage.sites.tables import Site
from balai_wisata_heritage.tickets.tables import (
    TicketPrice,
    TicketProduct,
    TicketSlot,
    TicketStock,
)
from ticket_support import add_product, counts, remaining

OFFICE = "/malang/kelola/wisata-heritage/tiket"


def a_site(city_run) -> int:
    async def make() -> int:
        site = Site(name="Balai Kota Malang", description="Balai kota.", district="Klojen")
        await site.save()
        return site.id

    return city_run("malang", make)


def audit_actions(city_run) -> list[str]:
    async def read() -> list[str]:
        rows = await AuditEntry.select(AuditEntry.action).order_by(AuditEntry.id)
        return [row["action"] for row in rows if row["action"].startswith("wisata_heritage.")]

    return city_run("malang", read)


def test_the_office_pages_need_their_permissions(client, city_run, login_as):
    login_as()
    assert client.get(OFFICE + "/").status_code == 403
    login_as("wisata_heritage.gate_officer")
    assert client.get(OFFICE + "/").status_code == 200
    assert client.get(OFFICE + "/baru").status_code == 403  # counter staff do not edit products


def test_an_officer_creates_a_product_and_adds_a_slot(client, city_run, post_form, login_as):
    site = a_site(city_run)
    login_as("wisata_heritage.officer")
    made = post_form(
        OFFICE + "/baru",
        {
            "title": "Tur Balai Kota",
            "site": site,
            "price_adult": "15000",
            "price_child": "5000",
            "price_resident": "0",
            "per_order_max": "6",
            "price_note": "belum diverifikasi",
        },
    )
    assert made.status_code == 303, made.text
    product_url = made.headers["location"]

    async def product() -> tuple[dict, dict]:
        row = await TicketProduct.select().first()
        prices = await TicketPrice.select(TicketPrice.category, TicketPrice.price)
        return row, {p["category"]: p["price"] for p in prices}

    row, prices = city_run("malang", product)
    assert row["title"] == "Tur Balai Kota" and row["per_order_max"] == 6
    assert prices == {"adult": 15000, "child": 5000, "resident": 0}

    day = (datetime.now(UTC) + timedelta(days=3)).astimezone(tk.City("m", "M").tz).date()
    added = post_form(
        f"{OFFICE}/{row['id']}/sesi",
        {
            "day": day.isoformat(),
            "starts": "09:00",
            "ends": "10:30",
            "quota_online": "20",
            "quota_counter": "10",
            "quota_partner": "",
        },
    )
    assert added.status_code == 303, added.text

    async def slot() -> tuple[dict, list[dict]]:
        found = await TicketSlot.select().first()
        stock = await TicketStock.select(TicketStock.channel, TicketStock.quota).order_by(
            TicketStock.channel
        )
        return found, stock

    found, stock = city_run("malang", slot)
    assert found["capacity"] == 30
    assert found["starts_at"].astimezone(tk.City("m", "M").tz).strftime("%H:%M") == "09:00"
    assert stock == [{"channel": "counter", "quota": 10}, {"channel": "online", "quota": 20}]
    page = client.get(product_url)
    assert "0 / 20" in page.text and "0 / 10" in page.text
    assert audit_actions(city_run) == [
        "wisata_heritage.product_created",
        "wisata_heritage.slot_added",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "price_adult": "1"}, "Isi nama tiket"),
        ({"title": "T", "price_adult": "-5"}, "bilangan bulat"),
        ({"title": "T", "price_adult": "99999999999"}, "bilangan bulat"),
        ({"title": "T"}, "paling sedikit satu kategori"),
        ({"title": "T", "price_adult": "1", "per_order_max": "500"}, "bilangan bulat"),
        ({"title": "T", "price_adult": "1", "site": "999"}, "salah satu tempat"),
        ({"title": "T" * 200, "price_adult": "1"}, "Paling banyak 120 karakter"),
        ({"title": "T", "price_adult": "1", "event": "999"}, "salah satu acara"),
        (
            {"title": "T", "price_adult": "1", "sales_opens": "2030-02-02"}
            | {"sales_close": "2030-02-01"},
            "ditutup setelah dibuka",
        ),
    ],
)
def test_bad_products_are_refused_with_nothing_written(
    client, city_run, post_form, login_as, data, message
):
    site = a_site(city_run)
    login_as("wisata_heritage.officer")
    answer = post_form(OFFICE + "/baru", {"site": site, **data})
    assert answer.status_code == 400
    assert message in answer.text
    assert f'value="{data["title"]}"' in answer.text  # what was typed is shown again

    async def none() -> int:
        return await TicketProduct.count()

    assert city_run("malang", none) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"day": "2020-01-01", "starts": "09:00", "ends": "10:00", "quota_online": "5"},
            "masa depan",
        ),
        ({"day": "kemarin", "starts": "09:00", "ends": "10:00", "quota_online": "5"}, "YYYY-MM-DD"),
        ({"day": "+1", "starts": "11:00", "ends": "10:00", "quota_online": "5"}, "setelah mulai"),
        ({"day": "+1", "starts": "25:00", "ends": "10:00", "quota_online": "5"}, "HH:MM"),
        ({"day": "+1", "starts": "09:00", "ends": "10:00"}, "paling sedikit satu saluran"),
        ({"day": "+1", "starts": "09:00", "ends": "10:00", "quota_online": "-1"}, "bilangan bulat"),
        ({"day": "+900", "starts": "09:00", "ends": "10:00", "quota_online": "5"}, "400 hari"),
    ],
)
def test_bad_slots_are_refused_with_nothing_written(
    client, city_run, post_form, login_as, data, message
):
    product = add_product(city_run)
    login_as("wisata_heritage.officer")
    if data["day"].startswith("+"):
        data["day"] = (datetime.now(UTC) + timedelta(days=int(data["day"]))).date().isoformat()
    answer = post_form(f"{OFFICE}/{product.id}/sesi", data)
    assert answer.status_code == 400
    assert message in answer.text

    async def slots() -> int:
        return await TicketSlot.count()

    assert city_run("malang", slots) == 1  # only the product's own slot


def test_a_counter_sale_is_paid_in_cash_audited_and_printed(client, city_run, post_form, login_as):
    product = add_product(city_run, online=10, counter=5)
    login_as("wisata_heritage.gate_officer")
    sold = post_form(
        f"{OFFICE}/{product.id}/loket",
        {"slot": product.slots[0], "qty_adult": "2", "qty_child": "1", "buyer_name": "Bu Sri"},
    )
    assert sold.status_code == 303, sold.text
    printed = client.get(sold.headers["location"])
    assert printed.text.count('class="qr-code"') == 3
    assert remaining(city_run, product.slots[0], "counter") == 2
    assert remaining(city_run, product.slots[0], "online") == 10
    assert counts(city_run) == (1, 3)
    assert audit_actions(city_run) == [
        "wisata_heritage.counter_sale",
        "wisata_heritage.order_viewed",
    ]


def test_a_counter_sale_with_a_too_long_name_is_refused_with_nothing_sold(
    client, city_run, post_form, login_as
):
    product = add_product(city_run, online=10, counter=5)
    login_as("wisata_heritage.gate_officer")
    refused = post_form(
        f"{OFFICE}/{product.id}/loket",
        {"slot": product.slots[0], "qty_adult": "1", "buyer_name": "N" * 121},
    )
    assert refused.status_code == 400
    assert remaining(city_run, product.slots[0], "counter") == 5
    assert counts(city_run) == (0, 0)


def test_a_counter_sale_beyond_the_counter_quota_is_refused(client, city_run, post_form, login_as):
    product = add_product(city_run, online=10, counter=2)
    login_as("wisata_heritage.gate_officer")
    answer = post_form(f"{OFFICE}/{product.id}/loket", {"slot": product.slots[0], "qty_adult": "3"})
    assert answer.status_code == 400
    assert "Tempat yang tersisa" in answer.text
    assert counts(city_run) == (0, 0)
    assert audit_actions(city_run) == []


def test_counter_staff_see_no_slot_form(client, city_run, login_as):
    product = add_product(city_run)
    login_as("wisata_heritage.gate_officer")
    page = client.get(f"{OFFICE}/{product.id}")
    assert page.status_code == 200
    assert "/sesi" not in page.text and "/loket" in page.text


def test_the_sales_window_is_set_by_the_officer_and_kept_by_the_buy_form(
    client, city_run, post_form, login_as
):
    site = a_site(city_run)
    tz = tk.City("m", "M").tz
    today = datetime.now(UTC).astimezone(tz).date()
    login_as("wisata_heritage.officer")
    bad = post_form(
        OFFICE + "/baru",
        {"title": "T", "site": site, "price_adult": "1", "sales_opens": "2026-13-01"},
    )
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.text
    reversed_window = post_form(
        OFFICE + "/baru",
        {
            "title": "T",
            "site": site,
            "price_adult": "1",
            "sales_opens": (today + timedelta(days=5)).isoformat(),
            "sales_close": today.isoformat(),
        },
    )
    assert reversed_window.status_code == 400 and "setelah dibuka" in reversed_window.text
    made = post_form(
        OFFICE + "/baru",
        {
            "title": "Festival nanti",
            "site": site,
            "price_adult": "1000",
            "sales_opens": (today + timedelta(days=2)).isoformat(),
        },
    )
    assert made.status_code == 303

    async def product() -> dict:
        return await TicketProduct.select().first()

    row = city_run("malang", product)
    assert row["sales_opens_at"].astimezone(tz).date() == today + timedelta(days=2)
    assert row["sales_close_at"] is None
    day = (datetime.now(UTC) + timedelta(days=4)).astimezone(tz).date().isoformat()
    assert (
        post_form(
            f"{OFFICE}/{row['id']}/sesi",
            {"day": day, "starts": "09:00", "ends": "10:00", "quota_online": "5"},
        ).status_code
        == 303
    )

    async def slot_id() -> int:
        return (await TicketSlot.select(TicketSlot.id).first())["id"]

    login_as()
    answer = post_form(
        f"/malang/wisata-heritage/tiket/{row['id']}/beli",
        {"slot": city_run("malang", slot_id), "qty_adult": "1"},
    )
    assert answer.status_code == 400 and "belum dibuka" in answer.text
    assert counts(city_run) == (0, 0)
