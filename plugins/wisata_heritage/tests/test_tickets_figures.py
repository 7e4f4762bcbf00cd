"""Ticket figures: the mayor's dashboard widgets, the open dataset, and the demo's tickets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from balai import toolkit as tk
from balai.testing import as_demo_seeding, write_config
from balai_wisata_heritage.tickets import demo, figures, gate, purchase
from balai_wisata_heritage.tickets.rules import Channel
from balai_wisata_heritage.tickets.tables import Ticket, TicketOrder, TicketProduct, TicketStock
from ticket_support import add_product


def sell_and_admit(city_run, product, officer_id: int = 1) -> None:
    async def run() -> None:
        bought = await purchase.buy(
            product.id,
            {"slot": str(product.slots[0]), "qty_adult": "3"},
            channel=Channel.COUNTER,
            buyer_id=None,
            buyer_name="Loket",
            sold_by=officer_id,
        )
        for code in bought.ticket_codes[:2]:
            assert (await gate.check(code, "1", officer_id)).admitted

    city_run("malang", run)


def today_period(city_run) -> tk.Period:
    async def make() -> tk.Period:
        day = datetime.now(UTC).astimezone(tk.current_city().tz).date()
        return tk.Period(day, day, "day", "custom", tk.current_city().tz)

    return city_run("malang", make)


def test_widgets_count_sales_revenue_visits_and_occupancy(client, city_run):
    product = add_product(city_run, starts_in=timedelta(minutes=10), online=5, counter=5)
    sell_and_admit(city_run, product)
    period = today_period(city_run)

    async def shown() -> dict:
        return {w.key: w for w in await figures.widgets(period)}

    widgets = city_run("malang", shown)
    assert widgets["wisata_heritage.tickets_sold"].value == 3
    assert widgets["wisata_heritage.ticket_revenue"].value == 60000
    assert widgets["wisata_heritage.slot_occupancy"].value == 30  # 3 of 10 places
    assert [p.value for p in widgets["wisata_heritage.visits"].points] == [2]
    assert list(widgets["wisata_heritage.visits_per_site"].rows) == [("Museum Mpu Purwa", 2)]
    assert "wisata_heritage.tickets_target" not in widgets  # no target set


def test_the_dashboard_page_shows_the_ticket_figures(client, city_run, login_as):
    product = add_product(city_run, starts_in=timedelta(minutes=10))
    sell_and_admit(city_run, product)
    login_as("city_admin")
    page = client.get("/malang/dasbor/")
    assert page.status_code == 200
    assert "Tiket heritage terjual" in page.text


def test_the_open_dataset_counts_visitors_per_site_and_month(client, city_run):
    product = add_product(city_run, starts_in=timedelta(minutes=10))
    sell_and_admit(city_run, product)
    answer = client.get("/malang/data/wisata-heritage-visits-per-site.csv")
    assert answer.status_code == 200
    month = datetime.now(UTC).astimezone(tk.City("m", "M").tz).strftime("%Y-%m")
    assert f"{month},Museum Mpu Purwa,2" in answer.text


class TestTarget:
    @pytest.fixture
    def balai_config(self, tmp_path, balai_cities):
        return write_config(
            tmp_path / "instance",
            balai_cities,
            city_options={
                "malang": {"settings": {"wisata_heritage": {"tickets_target_per_month": 30}}}
            },
        )

    def test_sales_are_shown_against_the_monthly_target(self, client, city_run):
        product = add_product(city_run, starts_in=timedelta(minutes=10))
        sell_and_admit(city_run, product)
        period = today_period(city_run)

        async def shown() -> dict:
            return {w.key: w for w in await figures.widgets(period)}

        assert city_run("malang", shown)["wisata_heritage.tickets_target"].value == 10


def test_the_demo_sells_admits_and_sells_out_a_slot(client, balai_app, city_run):
    from balai_wisata_heritage.sites.demo import seed_sites

    city = balai_app.ui.config.cities["malang"]

    async def seeded(city: tk.City) -> tk.DemoReport:
        if not await TicketProduct.count():
            await seed_sites("malang", datetime.now(city.tz).date())
        return await demo.seed(city)

    report = city_run("malang", as_demo_seeding(seeded), city)
    assert "prices unverified" in report.summary[-1]

    async def facts() -> dict:
        return {
            "products": await TicketProduct.count(),
            "notes": {
                r["price_note"] for r in await TicketProduct.select(TicketProduct.price_note)
            },
            "used": await Ticket.count().where(Ticket.status == "used"),
            "valid": await Ticket.count().where(Ticket.status == "valid"),
            "sold_out": await TicketStock.count().where(
                (TicketStock.remaining == 0) & (TicketStock.channel == "online")
            ),
            "paid_online": await TicketOrder.count().where(
                (TicketOrder.channel == "online") & (TicketOrder.invoice_number != "")
            ),
        }

    found = city_run("malang", facts)
    assert found["products"] == 2
    assert found["notes"] == {demo.UNVERIFIED}
    assert found["used"] == 6 and found["valid"] == 20
    assert found["sold_out"] == 2  # tomorrow morning's online places, one per product
    assert found["paid_online"] == 4
    assert city_run("malang", as_demo_seeding(seeded), city).summary == []  # once only
