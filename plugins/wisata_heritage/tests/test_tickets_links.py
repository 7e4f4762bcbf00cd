"""A site's page and an event's page link to their ticket products (active ones only)."""

from __future__ import annotations

from balai_wisata_heritage.tickets import setup
from balai_wisata_heritage.tickets.rules import Category
from balai_wisata_heritage.tickets.tables import TicketProduct
from heritage_rows import add_event, add_site

BASE = "/malang/wisata-heritage"


def _product(city_run, title, **where):
    async def make() -> int:
        return await setup.add_product(title, prices={Category.ADULT: 15000}, **where)

    return city_run("malang", make)


def _deactivate(city_run, product_id):
    async def run() -> None:
        await TicketProduct.update({TicketProduct.is_active: False}).where(
            TicketProduct.id == product_id
        )

    return city_run("malang", run)


def test_the_site_page_links_to_the_sites_products(client, city_run):
    site = city_run("malang", add_site("Gereja Hati Kudus"))
    other = city_run("malang", add_site("Balai Kota"))
    entry = _product(city_run, "Tiket masuk gereja", site_id=site)
    elsewhere = _product(city_run, "Tiket balai kota", site_id=other)
    page = client.get(f"{BASE}/situs/{site}").text
    assert f'href="{BASE}/tiket/{entry}"' in page and "Tiket masuk gereja" in page
    assert f"/tiket/{elsewhere}" not in page
    _deactivate(city_run, entry)
    assert f"/tiket/{entry}" not in client.get(f"{BASE}/situs/{site}").text


def test_the_event_page_links_to_its_products_and_the_events_ticket_list(client, city_run):
    event = city_run("malang", add_event("Malang Tempo Doeloe"))
    plain = city_run("malang", add_event("Pameran foto"))
    walk = _product(city_run, "Jalan kaki Kayutangan", site_id=None, event_id=event)
    page = client.get(f"{BASE}/acara/{event}").text
    assert f'href="{BASE}/tiket/{walk}"' in page
    assert f'href="{BASE}/tiket/?acara={event}"' in page
    listing = client.get(f"{BASE}/tiket/?acara={event}").text
    assert "Jalan kaki Kayutangan" in listing
    assert "/tiket/?acara=" not in client.get(f"{BASE}/acara/{plain}").text
