"""Reviews over HTTP: the buyer's form, the merchant's reply, the officer's hiding."""

from __future__ import annotations

import pytest
from balai.audit.tables import AuditEntry
from balai_umkm_market.tables import Merchant, Order, OrderItem, Product, Review
from umkm_catalogue_data import START, seed_catalogue

CATALOGUE = "/malang/umkm-market/produk/"


def new_review_url(item_id: int) -> str:
    return f"/malang/umkm-market/ulasan/baru/{item_id}"


def make_order(buyer_id: int, merchant_id: int, product_id: int, status: str = "completed"):
    """An order of one product (two items of it) by ``buyer_id``; returns the item ids."""

    async def insert():
        orders = await Order.insert(
            Order(
                number=f"UMKM-{buyer_id}-{status[:4].upper()}",
                merchant=merchant_id,
                buyer_id=buyer_id,
                buyer_name="Siti Aminah",
                status=status,
                created_at=START,
                updated_at=START,
            )
        )
        items = await OrderItem.insert(
            OrderItem(order=orders[0]["id"], product=product_id, product_name="Beras Premium"),
            OrderItem(order=orders[0]["id"], product=product_id, product_name="Beras Premium"),
        )
        return [i["id"] for i in items]

    return insert


def ratings(product_id: int, merchant_id: int):
    async def read():
        product = await Product.select(Product.rating_sum, Product.rating_count).where(
            Product.id == product_id
        )
        merchant = await Merchant.select(Merchant.rating_sum, Merchant.rating_count).where(
            Merchant.id == merchant_id
        )
        return (
            (product[0]["rating_sum"], product[0]["rating_count"]),
            (merchant[0]["rating_sum"], merchant[0]["rating_count"]),
        )

    return read


@pytest.fixture
def shop(client, city_run):
    """The test catalogue; the first product (rated 9/2) of the first merchant (0/0)."""
    ids = city_run("malang", seed_catalogue)
    return {"product": ids["products"][0], "merchant": ids["merchants"][0]}


@pytest.fixture
def bought(shop, city_run, login_as):
    """A citizen logged in, with a completed order of the shop's product: its item ids."""
    buyer = login_as()
    items = city_run("malang", make_order(buyer["id"], shop["merchant"], shop["product"]))
    return {**shop, "buyer": buyer, "items": items}


def test_the_buyer_reviews_a_completed_order_item(client, post_form, city_run, bought):
    form = client.get(new_review_url(bought["items"][0]))
    assert form.status_code == 200
    assert "Ulas Beras Premium" in form.text
    assert 'name="rating"' in form.text
    response = post_form(
        new_review_url(bought["items"][0]), {"rating": "4", "text": "Pulen, pengiriman cepat."}
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"{CATALOGUE}{bought['product']}#review-")
    page = client.get(f"{CATALOGUE}{bought['product']}")
    assert "Pulen, pengiriman cepat." in page.text
    assert "Siti A." in page.text
    assert city_run("malang", ratings(bought["product"], bought["merchant"])) == ((13, 3), (4, 1))
    assert "4,3 dari 5 dari 3 penilaian" in page.text


def test_a_second_review_of_the_same_item_is_refused(client, post_form, city_run, bought):
    url = new_review_url(bought["items"][0])
    assert post_form(url, {"rating": "5", "text": ""}).status_code == 303
    again = post_form(url, {"rating": "1", "text": "Lagi"})
    assert again.status_code == 409
    assert "Anda sudah mengulas barang ini" in again.text
    assert client.get(url).status_code == 409
    assert city_run("malang", Review.count) == 1
    assert city_run("malang", ratings(bought["product"], bought["merchant"])) == ((14, 3), (5, 1))
    # the other item of the same order is its own review
    assert post_form(new_review_url(bought["items"][1]), {"rating": "3"}).status_code == 303


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"rating": "", "text": "Bagus"}, "Pilih nilai dari 1 sampai 5 bintang."),
        ({"rating": "6", "text": "Bagus"}, "Pilih nilai dari 1 sampai 5 bintang."),
        ({"rating": "lima"}, "Pilih nilai dari 1 sampai 5 bintang."),
        ({"rating": "5", "text": "x" * 2001}, "Ulasan paling banyak 2000 karakter"),
    ],
)
def test_bad_review_input_is_explained_and_kept(client, post_form, city_run, bought, form, message):
    response = post_form(new_review_url(bought["items"][0]), form)
    assert response.status_code == 400
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    if form.get("text") == "Bagus":
        assert ">Bagus</textarea>" in response.text
    assert city_run("malang", Review.count) == 0


def test_someone_who_did_not_buy_cannot_review(client, post_form, city_run, shop, login_as):
    owner = login_as()
    items = city_run("malang", make_order(owner["id"], shop["merchant"], shop["product"]))
    login_as()  # another citizen takes over the browser
    assert client.get(new_review_url(items[0])).status_code == 403
    response = post_form(new_review_url(items[0]), {"rating": "1", "text": "Jelek"})
    assert response.status_code == 403
    assert "Hanya pembeli pesanan ini" in response.text
    assert city_run("malang", Review.count) == 0


def test_an_order_not_completed_cannot_be_reviewed_yet(client, post_form, city_run, shop, login_as):
    buyer = login_as()
    items = city_run(
        "malang", make_order(buyer["id"], shop["merchant"], shop["product"], "delivering")
    )
    response = post_form(new_review_url(items[0]), {"rating": "5"})
    assert response.status_code == 409
    assert "setelah pesanan Anda selesai" in response.text
    assert city_run("malang", Review.count) == 0


def test_review_pages_need_a_login_and_unknown_items_are_404(client, shop, login_as):
    response = client.get(new_review_url(1), follow_redirects=False)
    assert response.status_code == 303
    assert "/malang/masuk" in response.headers["location"]
    login_as()
    assert client.get(new_review_url(999999)).status_code == 404


def test_another_citys_order_item_is_404(client, city_run, login_as):
    buyer = login_as()

    async def semarang_order():
        merchants = await Merchant.insert(
            Merchant(name="Toko Semarang", status="verified", created_at=START)
        )
        products = await Product.insert(
            Product(merchant=merchants[0]["id"], name="Lumpia", created_at=START, updated_at=START)
        )
        return await make_order(buyer["id"], merchants[0]["id"], products[0]["id"])()

    items = city_run("semarang", semarang_order)
    assert client.get(new_review_url(items[0])).status_code == 404


def _review(city_run, bought, rating=2, text="Kurang bagus"):
    async def insert():
        rows = await Review.insert(
            Review(
                order_item=bought["items"][0],
                order=1,
                product=bought["product"],
                merchant=bought["merchant"],
                buyer_id=bought["buyer"]["id"],
                buyer_name="Siti Aminah",
                rating=rating,
                text=text,
                created_at=START,
            )
        )
        await Product.update(
            {Product.rating_sum: Product.rating_sum + rating, Product.rating_count: 3}
        ).where(Product.id == bought["product"])
        await Merchant.update({Merchant.rating_sum: rating, Merchant.rating_count: 1}).where(
            Merchant.id == bought["merchant"]
        )
        return rows[0]["id"]

    return city_run("malang", insert)


@pytest.fixture
def merchant_owner(client, city_run, login_as, bought):
    """The merchant's owner, logged in (the buyer is logged out by this)."""
    review_id = _review(city_run, bought)
    owner = login_as()

    async def own():
        await Merchant.update({Merchant.owner_user_id: owner["id"]}).where(
            Merchant.id == bought["merchant"]
        )

    city_run("malang", own)
    return {**bought, "review": review_id, "owner": owner}


def test_the_merchant_replies_once_and_can_edit_the_reply(client, post_form, merchant_owner):
    page = client.get("/malang/umkm-market/ulasan/toko")
    assert page.status_code == 200
    assert "Kurang bagus" in page.text
    url = f"/malang/umkm-market/ulasan/{merchant_owner['review']}/balas"
    assert post_form(url, {"reply": "Mohon maaf, kami perbaiki."}).status_code == 303
    assert post_form(url, {"reply": "Sudah kami perbaiki, terima kasih."}).status_code == 303
    product = client.get(f"{CATALOGUE}{merchant_owner['product']}").text
    assert "Sudah kami perbaiki, terima kasih." in product
    assert "Mohon maaf" not in product
    assert "Balasan dari Toko Sembako Bu Sri" in product


def test_an_empty_reply_is_refused_and_the_page_shown_again(client, post_form, merchant_owner):
    url = f"/malang/umkm-market/ulasan/{merchant_owner['review']}/balas"
    response = post_form(url, {"reply": "   "})
    assert response.status_code == 400
    assert "Tulis balasan Anda." in response.text
    assert 'aria-invalid="true"' in response.text


def test_only_the_reviewed_merchant_may_reply(client, post_form, login_as, city_run, bought):
    review_id = _review(city_run, bought)
    other = login_as()

    async def other_shop():
        await Merchant.update({Merchant.owner_user_id: other["id"]}).where(
            Merchant.id != bought["merchant"]
        )

    city_run("malang", other_shop)
    url = f"/malang/umkm-market/ulasan/{review_id}/balas"
    assert post_form(url, {"reply": "Bukan toko saya"}).status_code == 403
    login_as()  # a citizen with no business
    assert client.get("/malang/umkm-market/ulasan/toko").status_code == 403
    assert post_form(url, {"reply": "Halo"}).status_code == 403


def test_an_officer_hides_a_review_with_a_reason_audited(
    client, post_form, login_as, city_run, bought
):
    review_id = _review(city_run, bought, rating=1, text="kata-kata kasar")
    officer = login_as("umkm_market.officer")
    office = client.get("/malang/kelola/umkm-market/ulasan/")
    assert office.status_code == 200
    assert "kata-kata kasar" in office.text
    url = f"/malang/kelola/umkm-market/ulasan/{review_id}/sembunyikan"
    empty = post_form(url, {"reason": ""})
    assert empty.status_code == 400
    assert "Tuliskan alasan menyembunyikan ulasan ini." in empty.text
    done = post_form(url, {"reason": "Bahasa kasar"}, follow_redirects=True)
    assert done.status_code == 200
    assert "Bahasa kasar" in done.text  # the hidden-review log
    assert "kata-kata kasar" not in client.get(f"{CATALOGUE}{bought['product']}").text
    # the rating no longer counts: product back to 9/2, merchant to 0/0
    assert city_run("malang", ratings(bought["product"], bought["merchant"])) == ((9, 2), (0, 0))

    async def audit():
        return await AuditEntry.select().where(AuditEntry.action == "umkm_market.review_hidden")

    entries = city_run("malang", audit)
    assert len(entries) == 1
    assert entries[0]["actor_id"] == officer["id"]
    assert entries[0]["subject"] == f"review:{review_id}"
    assert "Bahasa kasar" in entries[0]["detail"]
    assert post_form(url, {"reason": "Lagi"}).status_code == 409


def test_office_review_pages_need_the_permission(client, login_as, post_form, city_run, bought):
    review_id = _review(city_run, bought)
    login_as()
    assert client.get("/malang/kelola/umkm-market/ulasan/").status_code == 403
    assert client.get("/malang/kelola/umkm-market/ulasan/tersembunyi").status_code == 403
    url = f"/malang/kelola/umkm-market/ulasan/{review_id}/sembunyikan"
    assert post_form(url, {"reason": "x"}).status_code == 403
    assert city_run("malang", lambda: Review.count().where(Review.is_hidden == True)) == 0  # noqa: E712


def test_hidden_review_log_lists_only_this_citys_hidden_reviews(
    client, login_as, post_form, city_run, bought
):
    review_id = _review(city_run, bought, text="Ulasan kasar")
    login_as("umkm_market.officer")
    post_form(f"/malang/kelola/umkm-market/ulasan/{review_id}/sembunyikan", {"reason": "Kasar"})
    log = client.get("/malang/kelola/umkm-market/ulasan/tersembunyi")
    assert log.status_code == 200
    assert "Ulasan kasar" in log.text and "Kasar" in log.text
    assert client.get("/semarang/kelola/umkm-market/ulasan/tersembunyi").status_code in (403, 404)


def test_a_race_for_the_same_item_stores_one_review_and_counts_it_once(city_run, bought):
    """Two posts that both passed the check: the unique index refuses the second, rolled back."""
    from balai_umkm_market.reviews.service import (
        ReviewInput,
        ReviewRefused,
        add_review,
        reviewable_item,
    )

    async def race():
        item = await reviewable_item(bought["items"][0], bought["buyer"]["id"])
        await add_review(item, ReviewInput(5, "Pertama"), bought["buyer"]["id"])
        with pytest.raises(ReviewRefused) as refused:
            await add_review(item, ReviewInput(1, "Kedua"), bought["buyer"]["id"])
        return refused.value.status

    assert city_run("malang", race) == 409
    assert city_run("malang", Review.count) == 1
    assert city_run("malang", ratings(bought["product"], bought["merchant"])) == ((14, 3), (5, 1))
