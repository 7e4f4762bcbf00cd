"""Officers edit and take off sale a ticket product, and change a slot's places, with reasons."""

from __future__ import annotations

from balai.audit.tables import AuditEntry
from balai_wisata_heritage.tickets.tables import TicketPrice, TicketProduct, TicketSlot
from ticket_support import add_product, buy, remaining

OFFICE = "/malang/kelola/wisata-heritage/tiket"
PUBLIC = "/malang/wisata-heritage/tiket"


def _product_and_prices(city_run, product_id):
    async def read():
        row = await TicketProduct.select().where(TicketProduct.id == product_id).first()
        prices = await TicketPrice.select(TicketPrice.category, TicketPrice.price).where(
            TicketPrice.product == product_id
        )
        return row, {p["category"]: p["price"] for p in prices}

    return city_run("malang", read)


def _actions(city_run):
    async def read():
        rows = await AuditEntry.select(AuditEntry.action).order_by(AuditEntry.id)
        return [r["action"] for r in rows if r["action"].startswith("wisata_heritage.ticket_p")]

    return city_run("malang", read)


EDIT = {
    "title": "Tiket masuk museum",
    "price_adult": "25.000",
    "price_foreign": "60000",
    "per_order_max": "4",
    "sales_opens": "",
    "sales_close": "",
    "cancel_hours": "24",
    "cancel_fee": "3000",
    "is_active": "1",
    "reason": "Tarif baru dari Disporapar",
}


def test_an_officer_edits_prices_and_rules_with_a_reason_kept_in_the_history(
    client, city_run, post_form, login_as
):
    product = add_product(city_run)
    login_as("wisata_heritage.gate_officer")
    assert client.get(f"{OFFICE}/{product.id}/ubah").status_code == 403  # counter staff
    login_as("wisata_heritage.officer")
    form = client.get(f"{OFFICE}/{product.id}/ubah")
    assert form.status_code == 200 and 'value="20000"' in form.text.replace(".", "")
    saved = post_form(f"{OFFICE}/{product.id}/ubah", EDIT)
    assert saved.status_code == 303, saved.text
    row, prices = _product_and_prices(city_run, product.id)
    assert prices == {"adult": 25000, "foreign": 60000}  # child no longer sold
    assert (row["per_order_max"], row["cancel_hours"], row["cancel_fee"]) == (4, 24, 3000)
    history = client.get(f"{OFFICE}/{product.id}/ubah").text
    assert "Tarif baru dari Disporapar" in history
    assert _actions(city_run) == ["wisata_heritage.ticket_product.edited"]
    # The buy form follows: a child ticket is refused now.
    login_as()
    assert buy(post_form, product, child=1).status_code == 400


def test_bad_edits_are_refused_with_nothing_written(client, city_run, post_form, login_as):
    product = add_product(city_run)
    login_as("wisata_heritage.officer")
    for change in (
        {"reason": ""},
        {"price_adult": "-5"},
        {"price_adult": "", "price_foreign": ""},
        {"per_order_max": "0"},
        {"per_order_max": "999"},
        {"sales_opens": "2030-02-01", "sales_close": "2030-01-01"},
    ):
        answer = post_form(f"{OFFICE}/{product.id}/ubah", {**EDIT, **change})
        assert answer.status_code == 400, change
    row, prices = _product_and_prices(city_run, product.id)
    assert prices == {"adult": 20000, "child": 10000, "foreign": 50000}
    assert row["per_order_max"] == 10 and _actions(city_run) == []


def test_a_product_taken_off_sale_is_not_sold_nor_listed(client, city_run, post_form, login_as):
    product = add_product(city_run)
    login_as("wisata_heritage.officer")
    off = {k: v for k, v in EDIT.items() if k != "is_active"}
    assert post_form(f"{OFFICE}/{product.id}/ubah", off).status_code == 303
    assert client.get(f"{PUBLIC}/{product.id}").status_code == 404
    assert f"/tiket/{product.id}" not in client.get(f"{PUBLIC}/").text
    login_as()
    assert buy(post_form, product, adult=1).status_code == 404


def test_a_slots_places_never_go_below_what_was_sold(client, city_run, post_form, login_as):
    product = add_product(city_run, online=10, counter=5)
    slot = product.slots[0]
    login_as()
    assert buy(post_form, product, adult=3).status_code == 303  # three online places taken
    login_as("wisata_heritage.officer")
    assert client.get(f"{OFFICE}/sesi/{slot}").status_code == 200
    change = {"quota_online": "2", "quota_counter": "5", "reason": "Ruang dipakai acara"}
    refused = post_form(f"{OFFICE}/sesi/{slot}", change)
    assert refused.status_code == 400 and "sudah menjual 3 tempat" in refused.text
    assert remaining(city_run, slot) == 7
    assert post_form(f"{OFFICE}/sesi/{slot}", {**change, "reason": ""}).status_code == 400
    done = post_form(
        f"{OFFICE}/sesi/{slot}",
        {"quota_online": "4", "quota_counter": "8", "quota_partner": "6", "reason": "Renovasi"},
    )
    assert done.status_code == 303, done.text
    assert remaining(city_run, slot) == 1
    assert remaining(city_run, slot, "counter") == 8
    assert remaining(city_run, slot, "partner") == 6

    async def capacity():
        return (await TicketSlot.select().where(TicketSlot.id == slot).first())["capacity"]

    assert city_run("malang", capacity) == 18
    assert "Renovasi" in client.get(f"{OFFICE}/{product.id}/ubah").text
