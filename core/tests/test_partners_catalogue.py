"""The core's side of the catalogue feed: several sources merged, paged and resumed by cursor.

Two stand-in plugins answer ``partner_catalogue`` in Malang with items that
share change times; the feed pages through both without losing or
repeating one, routes an order to the source its ids name, and refuses a
cursor it did not make. The market's own source is tested in
``plugins/umkm_market/tests/test_partner_catalogue.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import test_partners_support as support
from balai import toolkit as tk
from balai.builtins import builtin_plugins
from balai.partners import catalogue, partner_side
from balai.plugins import PluginRegistry
from balai.testing import build_app
from test_partners_support import add_partner, get_token

PAST = datetime.now(UTC) - timedelta(minutes=10)


class Shelf:
    """A catalogue source of ``count`` items, all changed at the same two moments."""

    def __init__(self, slug: str, count: int) -> None:
        self.slug = slug
        self.items = [
            tk.CatalogueItem(
                ref=n,
                changed_at=PAST + timedelta(seconds=n % 2),
                listed=True,
                name=f"{slug} {n}",
                price=1000 * n,
                unit="pcs",
                stock=n,
                merchant_ref=1,
                merchant_name=slug,
            )
            for n in range(1, count + 1)
        ]
        self.orders: list[tk.PartnerOrder] = []

    @tk.hookimpl
    def plugin_info(self) -> tk.PluginInfo:
        return tk.PluginInfo(
            slug=self.slug, title=self.slug, dimension=tk.Dimension.ECONOMY, version="0.0.1"
        )

    @tk.hookimpl
    def partner_catalogue(self, city: tk.City) -> Any:
        return self

    async def changes(self, after: tk.CatalogueCursor | None, limit: int) -> list:
        found = [
            i
            for i in self.items
            if after is None or (i.changed_at, i.ref) > (after.changed_at, after.ref)
        ]
        return sorted(found, key=lambda i: (i.changed_at, i.ref))[:limit]

    async def place_order(self, order: tk.PartnerOrder) -> tk.PartnerOrderState:
        self.orders.append(order)
        return tk.PartnerOrderState(
            order.reference, "N-1", order.merchant_ref, "new", False, 1000, PAST
        )

    async def order_state(self, partner_id: int, reference: str) -> None:
        return None

    async def cancel_order(self, partner_id: int, reference: str) -> None:
        return None


@pytest.fixture
def shelves() -> list[Shelf]:
    return [Shelf("rak_a", 5), Shelf("rak_b", 4)]


@pytest.fixture
def balai_cities() -> dict[str, list[str]]:
    return {"malang": ["rak_a", "rak_b"], "semarang": []}


@pytest.fixture
def balai_app(
    balai_config, balai_database_url, balai_test_databases, balai_fast_passwords, shelves
):
    registry = PluginRegistry()
    builtins = builtin_plugins()
    for slug in support.BUILTINS_USED:
        registry.register(builtins[slug], slug)
    for shelf in shelves:
        registry.register(shelf, shelf.slug)
    return build_app(
        balai_config, balai_test_databases, database_url=balai_database_url, registry=registry
    )


def _feed(client, keys, access, since=None, limit=3):
    path = f"/malang{partner_side.CATALOGUE_PATH}?limit={limit}" + (
        f"&since={since}" if since else ""
    )
    _body, headers = partner_side.transaction_request(keys, access, path, None, method="GET")
    return client.get(path, headers=headers)


def test_two_sources_page_through_without_gaps_or_repeats(balai_app, client, city_run):
    keys = add_partner(balai_app, city_run, services=("catalogue",))
    access = get_token(client, keys)
    seen: list[str] = []
    since = None
    for _ in range(10):
        answer = _feed(client, keys, access, since)
        assert answer.status_code == 200, answer.text
        seen += [p["id"] for p in answer.json()["products"]]
        since = answer.json()["nextSince"]
        if not answer.json()["hasMore"]:
            break
    expected = {f"rak_a:{n}" for n in range(1, 6)} | {f"rak_b:{n}" for n in range(1, 5)}
    assert sorted(seen) == sorted(expected)
    assert _feed(client, keys, access, since).json()["products"] == []
    assert set(catalogue.decode_cursor(since)) == {"rak_a", "rak_b"}


def test_a_cursor_not_made_here_is_a_field_error(balai_app, client, city_run):
    keys = add_partner(balai_app, city_run, services=("catalogue",))
    access = get_token(client, keys)
    made_up = catalogue.encode_cursor({}).rstrip("=") + "x"
    answer = _feed(client, keys, access, made_up)
    assert answer.status_code == 400 and answer.json()["responseCode"] == "4006101"


def test_an_order_goes_to_the_source_its_ids_name(balai_app, client, city_run, shelves):
    keys = add_partner(balai_app, city_run, services=("catalogue",))
    access = get_token(client, keys)
    body = {
        "partnerReferenceNo": "O-1",
        "merchantId": "rak_b:1",
        "items": [{"productId": "rak_b:2", "quantity": 2, "price": 2000}],
        "customer": {"name": "Budi", "phone": "081234567890", "address": "Jl. Ijen 9"},
    }
    answer = support.call(client, keys, access, partner_side.ORDER_PATH, body)
    assert answer.status_code == 200, answer.text
    assert answer.json()["order"]["merchantId"] == "rak_b:1"
    assert not shelves[0].orders and shelves[1].orders[0].lines == (
        tk.PartnerOrderLine(2, 2, 2000),
    )
    mixed = {**body, "items": [{"productId": "rak_a:2", "quantity": 1, "price": 2000}]}
    refused = support.call(client, keys, access, partner_side.ORDER_PATH, mixed)
    assert refused.status_code == 400 and len(shelves[1].orders) == 1
