"""The catalogue feed for delivery partners, over HTTP as a partner calls it.

Only merchants who chose to publish are in it; photos are absolute and only
public ones; answers are conditional (ETag / If-None-Match and
Last-Modified / If-Modified-Since answer 304 with no body) and incremental
(``since`` gives only changes, with tombstones for products deleted,
hidden or of a merchant who opted out); each city's partners see only that
city's market.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from balai.audit.tables import AuditEntry
from balai_umkm_market.tables import FeedRemoval, Merchant, Product
from umkm_partner_support import (
    add_partner,
    add_product,
    add_shop,
    code,
    feed,
    stored_photo,
    token,
)

PAST = datetime.now(UTC) - timedelta(minutes=5)


@pytest.fixture
def balai_cities():
    return {"malang": ["umkm_market"], "semarang": ["umkm_market"]}


@pytest.fixture
def partner(balai_app, city_run, client):
    keys = add_partner(balai_app, city_run)
    return keys, token(client, keys)


def _age(city_run, city: str = "malang", when: datetime = PAST) -> None:
    """Date every product and merchant change back, as if made minutes ago."""

    async def back() -> None:
        await Product.update({Product.updated_at: when}, force=True)
        await Merchant.update({Merchant.partner_feed_changed_at: when}).where(
            Merchant.partner_feed_changed_at.is_not_null()
        )

    city_run(city, back)


def _ids(answer) -> dict[str, dict]:
    return {p["id"]: p for p in answer.json()["products"]}


def test_the_feed_lists_publishing_merchants_products_with_public_photos_only(
    client, city_run, partner
):
    keys, access = partner
    shop = add_shop(city_run)
    public = stored_photo(city_run)
    private = stored_photo(city_run, visibility="owner")
    pecel = add_product(city_run, shop, "Nasi Pecel", price=15_000, photo=public)
    rawon = add_product(city_run, shop, "Rawon", price=25_000, stock=3, photo=private)
    other = add_shop(city_run, "Toko Tidak Ikut", publishes=False)
    add_product(city_run, other, "Kopi Bubuk")
    answer = feed(client, keys, access)
    assert answer.status_code == 200, answer.text
    assert code(answer) == "2006100"
    products = _ids(answer)
    assert set(products) == {f"umkm_market:{pecel}", f"umkm_market:{rawon}"}
    first = products[f"umkm_market:{pecel}"]
    assert first["name"] == "Nasi Pecel" and first["price"] == 15_000 and first["stock"] == 10
    assert first["removed"] is False
    assert first["photoUrl"] == f"https://malang.localhost/berkas/{public}"  # the city's base URL
    assert first["merchant"] == {
        "id": f"umkm_market:{shop}",
        "name": "Warung Bu Sri",
        "openingHours": "Senin-Sabtu 08.00-20.00",
    }
    assert products[f"umkm_market:{rawon}"]["photoUrl"] is None  # not a public file
    assert client.get(f"/malang/berkas/{public}").status_code == 200  # served to anyone
    assert answer.headers["etag"] and answer.headers["last-modified"]


def test_if_none_match_and_if_modified_since_answer_304_with_no_body(client, city_run, partner):
    keys, access = partner
    shop = add_shop(city_run)
    product = add_product(city_run, shop)
    _age(city_run)
    first = feed(client, keys, access)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    same = feed(client, keys, access, headers={"If-None-Match": etag})
    assert same.status_code == 304 and same.content == b""
    assert same.headers["etag"] == etag
    assert feed(client, keys, access, headers={"If-Modified-Since": modified}).status_code == 304
    other_tag = feed(client, keys, access, headers={"If-None-Match": '"something-else"'})
    assert other_tag.status_code == 200 and other_tag.json()["products"]

    async def reprice() -> None:
        await Product.update({Product.price: 16_000, Product.updated_at: datetime.now(UTC)}).where(
            Product.id == product
        )

    city_run("malang", reprice)
    changed = feed(client, keys, access, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert changed.json()["products"][0]["price"] == 16_000
    since_date = feed(client, keys, access, headers={"If-Modified-Since": modified})
    assert since_date.status_code == 200


def test_since_gives_only_changes_and_tombstones(client, city_run, partner, login_as, post_form):
    keys, access = partner
    owner = login_as(name="Sri Wahyuni")
    shop = add_shop(city_run, owner_id=owner["id"])
    kept = add_product(city_run, shop, "Tahu Campur")
    hidden = add_product(city_run, shop, "Es Dawet")
    deleted = add_product(city_run, shop, "Lumpia")
    other = add_shop(city_run, "Warung Pak Man")
    leaving = add_product(city_run, other, "Bakso")
    _age(city_run)
    start = feed(client, keys, access)
    assert len(start.json()["products"]) == 4 and start.json()["hasMore"] is False
    cursor = start.json()["nextSince"]
    quiet = feed(client, keys, access, since=cursor)
    assert quiet.status_code == 200 and quiet.json()["products"] == []
    again = feed(
        client, keys, access, since=cursor, headers={"If-None-Match": quiet.headers["etag"]}
    )
    assert again.status_code == 304

    async def hide() -> None:
        await Product.update(
            {Product.is_active: False, Product.updated_at: datetime.now(UTC)}
        ).where(Product.id == hidden)
        await Merchant.update(
            {Merchant.partner_feed: False, Merchant.partner_feed_changed_at: datetime.now(UTC)}
        ).where(Merchant.id == other)

    city_run("malang", hide)
    # The merchant deletes a product on the portal (never ordered: really deleted).
    gone = post_form(f"/malang/umkm-market/toko-saya/produk/{deleted}/hapus", {})
    assert gone.status_code == 303
    assert city_run("malang", lambda: FeedRemoval.count()) == 1
    changes = _ids(feed(client, keys, access, since=cursor))
    assert set(changes) == {f"umkm_market:{i}" for i in (hidden, deleted, leaving)}
    assert all(item["removed"] is True and "name" not in item for item in changes.values())
    assert f"umkm_market:{kept}" not in changes


def test_the_merchant_opts_in_and_out_on_a_form_and_each_change_is_audited(
    client, city_run, partner, login_as, post_form
):
    keys, access = partner
    owner = login_as(name="Sri Wahyuni")
    shop = add_shop(city_run, owner_id=owner["id"], publishes=False)
    product = add_product(city_run, shop)
    page = client.get("/malang/umkm-market/toko-saya/mitra")
    assert page.status_code == 200 and "Jam buka" in page.text
    assert feed(client, keys, access).json()["products"] == []
    assert post_form("/malang/umkm-market/toko-saya/mitra", {}).status_code == 400  # no choice
    refused = post_form("/malang/umkm-market/toko-saya/mitra", {"publish": "ya"})
    assert refused.status_code == 400  # no opening hours: nothing saved
    assert not city_run("malang", lambda: Merchant.select(Merchant.partner_feed).first())[
        "partner_feed"
    ]
    saved = post_form(
        "/malang/umkm-market/toko-saya/mitra",
        {"publish": "ya", "opening_hours": "Setiap hari 07.00-21.00"},
    )
    assert saved.status_code == 303
    listed = _ids(feed(client, keys, access))
    assert listed[f"umkm_market:{product}"]["merchant"]["openingHours"] == "Setiap hari 07.00-21.00"
    cursor = feed(client, keys, access).json()["nextSince"]
    out = post_form("/malang/umkm-market/toko-saya/mitra", {"publish": "tidak"})
    assert out.status_code == 303
    after = _ids(feed(client, keys, access))
    assert after[f"umkm_market:{product}"]["removed"] is True
    assert _ids(feed(client, keys, access, since=cursor))[f"umkm_market:{product}"]["removed"]
    actions = city_run(
        "malang",
        lambda: AuditEntry.select(AuditEntry.action).where(
            AuditEntry.action == "umkm_market.partner_feed_changed"
        ),
    )
    assert len(actions) == 2


def test_each_city_sees_its_own_market_and_tokens_stay_in_their_city(
    balai_app, client, city_run, partner
):
    keys, access = partner
    malang_product = add_product(city_run, add_shop(city_run))
    semarang_shop = add_shop(city_run, "Lunpia Semarang", city="semarang")
    semarang_product = add_product(city_run, semarang_shop, "Lunpia", city="semarang")
    semarang_keys = add_partner(balai_app, city_run, "semarang")
    semarang_access = token(client, semarang_keys, "semarang")
    assert set(_ids(feed(client, keys, access))) == {f"umkm_market:{malang_product}"}
    theirs = feed(client, semarang_keys, semarang_access, city="semarang")
    assert set(_ids(theirs)) == {f"umkm_market:{semarang_product}"}
    crossing = feed(client, keys, access, city="semarang")  # Malang's partner at Semarang
    assert crossing.status_code == 401


def test_refusals_bad_cursor_limit_and_a_partner_without_the_service(
    balai_app, client, city_run, partner
):
    keys, access = partner
    assert code(feed(client, keys, access, since="bm90LWEtY3Vyc29y")) == "4006101"
    assert feed(client, keys, access, limit=0).status_code == 400
    assert feed(client, keys, access, limit=501).status_code == 400
    bills_only = add_partner(balai_app, city_run, services=("bills",))
    refused = feed(client, bills_only, token(client, bills_only))
    assert refused.status_code == 403 and code(refused) == "4036115"
    stale = feed(client, keys, "x" * 40)
    assert stale.status_code == 401 and code(stale) == "4016101"


def test_pages_of_a_limit_follow_each_other_without_gaps(client, city_run, partner):
    keys, access = partner
    shop = add_shop(city_run)
    made = {add_product(city_run, shop, f"Produk {n}") for n in range(5)}
    _age(city_run)  # every change at the same moment: order by id within it
    seen: list[int] = []
    cursor = None
    for _page in range(6):
        answer = feed(client, keys, access, since=cursor, limit=2).json()
        seen += [int(p["id"].split(":")[1]) for p in answer["products"]]
        cursor = answer["nextSince"]
        if not answer["hasMore"]:
            break
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))
