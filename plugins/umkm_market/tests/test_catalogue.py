"""The catalogue page, the product page and the site-wide search, over HTTP."""

from __future__ import annotations

import re

import pytest
from balai_umkm_market.catalogue.search import MAX_PAGE, PAGE_SIZE
from balai_umkm_market.tables import Merchant, Product, ProductPhoto, Review
from umkm_catalogue_data import START, seed_catalogue, seed_other_city

CATALOGUE = "/malang/umkm-market/produk/"
PRODUCT_LINK = re.compile(r'href="/malang/umkm-market/produk/(\d+)"')


@pytest.fixture
def catalogue(client, city_run):
    """The test catalogue in Malang (ids in list order) and a rice product in Semarang."""
    ids = city_run("malang", seed_catalogue)
    city_run("semarang", seed_other_city)
    return ids


def shown_ids(page) -> list[int]:
    return [int(i) for i in PRODUCT_LINK.findall(page.text)]


def test_catalogue_lists_active_products_of_verified_merchants_newest_first(client, catalogue):
    page = client.get(CATALOGUE)
    assert page.status_code == 200
    products = catalogue["products"]
    assert shown_ids(page) == [products[i] for i in (5, 4, 3, 2, 1, 0)]
    assert "Beras Merah Organik" not in page.text  # inactive
    assert "Beras Lokal Sukun" not in page.text  # pending merchant
    assert "Kain Batik Tulis" not in page.text  # suspended merchant
    assert "Beras Semarang" not in page.text  # another city
    assert "Rp75.000" in page.text
    assert "Stok habis" in page.text  # the cooking oil's stock is 0


def test_catalogue_is_absent_where_the_plugin_is_off(client):
    assert client.get("/semarang/umkm-market/produk/").status_code == 404


def test_search_box_and_filters_keep_their_values(client, catalogue):
    page = client.get(
        CATALOGUE,
        params={"q": "kopi", "kategori": "minuman", "harga_max": "50.000", "tersedia": "1"},
    )
    assert page.status_code == 200
    assert shown_ids(page) == [catalogue["products"][2]]
    assert 'value="kopi"' in page.text
    assert '<option value="minuman" selected>' in page.text
    assert 'value="50.000"' in page.text
    assert re.search(r'id="f-tersedia"[^>]*checked', page.text)


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"harga_min": "murah"}, "harga_min", "Masukkan harga dalam rupiah"),
        ({"harga_max": "-5"}, "harga_max", "Masukkan harga dalam rupiah"),
        (
            {"harga_min": "50000", "harga_max": "10000"},
            "harga_max",
            "Harga tertinggi tidak boleh di bawah harga terendah",
        ),
        ({"urut": "termurah"}, "urut", "Pilih urutan dari daftar"),
        ({"kategori": "senjata"}, "kategori", "Pilih kategori dari daftar"),
        ({"kecamatan": "Atlantis"}, "kecamatan", "Pilih kecamatan dari daftar"),
        ({"halaman": "dua"}, "halaman", "Halaman harus berupa angka"),
        ({"halaman": str(MAX_PAGE + 1)}, "halaman", "Halaman harus berupa angka"),
        ({"halaman": "0"}, "halaman", "Halaman harus berupa angka"),
    ],
)
def test_bad_filters_are_explained_with_400(client, catalogue, params, field, message):
    page = client.get(CATALOGUE, params=params)
    assert page.status_code == 400
    assert message in page.text
    assert 'class="error-summary"' in page.text
    assert shown_ids(page) == []
    if field not in ("halaman",):
        assert re.search(rf'id="f-{field}"[^>]*aria-invalid="true"', page.text), field


def test_bad_filters_in_english(client, catalogue):
    client.get("/malang/bahasa/en")
    page = client.get(CATALOGUE, params={"harga_min": "9", "harga_max": "1"})
    assert page.status_code == 400
    assert "The highest price must not be below the lowest price." in page.text


def test_a_page_past_the_last_result_says_so(client, catalogue):
    page = client.get(CATALOGUE, params={"q": "kopi", "halaman": "3"})
    assert page.status_code == 404
    assert "Tidak ada halaman 3" in page.text
    assert 'href="/malang/umkm-market/produk/?q=kopi"' in page.text


def test_pages_of_twenty_with_next_and_previous_links(client, city_run):
    async def many():
        rows = await Merchant.insert(
            Merchant(name="Toko Besar", district="Klojen", status="verified", created_at=START)
        )
        await Product.insert(
            *(
                Product(
                    merchant=rows[0]["id"],
                    name=f"Telur Ayam {n:02d}",
                    price=1000 + n,
                    stock=1,
                    created_at=START,
                    updated_at=START,
                )
                for n in range(PAGE_SIZE + 5)
            )
        )

    city_run("malang", many)
    first = client.get(CATALOGUE, params={"q": "telur", "urut": "harga_naik"})
    assert len(shown_ids(first)) == PAGE_SIZE
    assert "Telur Ayam 00" in first.text and "Telur Ayam 20" not in first.text
    assert 'href="/malang/umkm-market/produk/?q=telur&amp;urut=harga_naik&amp;halaman=2"' in (
        first.text
    )
    second = client.get(CATALOGUE, params={"q": "telur", "urut": "harga_naik", "halaman": "2"})
    assert len(shown_ids(second)) == 5
    assert "Telur Ayam 24" in second.text
    assert 'rel="prev"' in second.text and 'rel="next"' not in second.text


def test_htmx_gets_only_the_results(client, catalogue):
    page = client.get(CATALOGUE, params={"q": "kopi"}, headers={"HX-Request": "true"})
    assert page.status_code == 200
    assert page.text.lstrip().startswith('<section id="catalogue-results"')
    assert "<html" not in page.text
    assert len(shown_ids(page)) == 3
    bad = client.get(CATALOGUE, params={"urut": "x"}, headers={"HX-Request": "true"})
    assert bad.status_code == 200  # htmx swaps only 2xx answers; the message is in it
    assert "Pilih urutan dari daftar" in bad.text


def test_the_form_works_without_javascript(client, catalogue):
    page = client.get(CATALOGUE)
    form = re.search(r"<form[^>]*catalogue-form[^>]*>", page.text).group(0)
    assert 'method="get"' in form
    assert 'action="/malang/umkm-market/produk/"' in form


def test_product_page_shows_price_stock_merchant_rating_and_cart_form(client, catalogue, city_run):
    product_id = catalogue["products"][0]

    async def photo():
        await ProductPhoto.insert(ProductPhoto(product=product_id, file_key="abc123", position=0))

    city_run("malang", photo)
    page = client.get(f"{CATALOGUE}{product_id}")
    assert page.status_code == 200
    text = page.text
    assert "Beras Premium 5 kg" in text
    assert "Rp75.000" in text
    assert "10 pcs" in text
    assert "Toko Sembako Bu Sri" in text and "Klojen" in text
    assert "4,5 dari 5" in text  # 9 / 2
    assert "/malang/berkas/abc123/thumb/960" in text
    assert 'action="/malang/umkm-market/keranjang/tambah"' in text
    assert f'name="product_id" value="{product_id}"' in text
    assert 'name="quantity"' in text
    assert 'name="_csrf_token"' in text


def test_product_page_in_english_uses_a_decimal_point(client, catalogue):
    client.get("/malang/bahasa/en")
    page = client.get(f"{CATALOGUE}{catalogue['products'][0]}")
    assert "4.5 of 5" in page.text


def test_out_of_stock_product_has_no_cart_form(client, catalogue):
    page = client.get(f"{CATALOGUE}{catalogue['products'][1]}")
    assert page.status_code == 200
    assert "keranjang/tambah" not in page.text
    assert "Stok habis" in page.text


@pytest.mark.parametrize("index", [6, 7, 8])
def test_inactive_or_unverified_merchant_products_are_404(client, catalogue, index):
    assert client.get(f"{CATALOGUE}{catalogue['products'][index]}").status_code == 404


def test_another_citys_product_is_404(client, catalogue, city_run):
    semarang_id = city_run("semarang", lambda: Product.select(Product.id).first())["id"]
    assert client.get(f"{CATALOGUE}{semarang_id}").status_code == 404
    assert client.get(f"{CATALOGUE}999999").status_code == 404


def test_suspending_a_merchant_hides_the_product_page(client, catalogue, city_run):
    product_id = catalogue["products"][0]
    assert client.get(f"{CATALOGUE}{product_id}").status_code == 200

    async def suspend():
        await Merchant.update({Merchant.status: "suspended"}).where(
            Merchant.id == catalogue["merchants"][0]
        )

    city_run("malang", suspend)
    assert client.get(f"{CATALOGUE}{product_id}").status_code == 404


def test_product_page_shows_visible_reviews_with_replies_only(client, catalogue, city_run):
    product_id = catalogue["products"][0]

    async def reviews():
        from balai_umkm_market.tables import Order, OrderItem

        orders = await Order.insert(
            Order(
                number="UMKM-T1", merchant=catalogue["merchants"][0], buyer_id=1, status="completed"
            )
        )
        items = await OrderItem.insert(
            OrderItem(order=orders[0]["id"], product=product_id, product_name="Beras"),
            OrderItem(order=orders[0]["id"], product=product_id, product_name="Beras"),
        )
        common = {
            "order": orders[0]["id"],
            "product": product_id,
            "merchant": catalogue["merchants"][0],
            "buyer_id": 1,
            "created_at": START,
        }
        await Review.insert(
            Review(
                order_item=items[0]["id"],
                buyer_name="Siti Aminah",
                rating=5,
                text="Berasnya pulen sekali",
                reply="Terima kasih, Bu!",
                replied_at=START,
                **common,
            ),
            Review(
                order_item=items[1]["id"],
                buyer_name="Troll",
                rating=1,
                text="kata-kata kasar",
                is_hidden=True,
                hidden_reason="Kasar",
                **common,
            ),
        )

    city_run("malang", reviews)
    page = client.get(f"{CATALOGUE}{product_id}")
    assert "Berasnya pulen sekali" in page.text
    assert "Siti A." in page.text and "Aminah" not in page.text
    assert "Terima kasih, Bu!" in page.text
    assert "kata-kata kasar" not in page.text


def test_site_search_finds_products_by_name_and_links_their_pages(client, catalogue):
    page = client.get("/malang/cari", params={"q": "CRÈME brul"})
    assert page.status_code == 200
    assert "Crème Brûlée Café" in page.text
    assert f"/malang/umkm-market/produk/{catalogue['products'][4]}" in page.text
    # by name only: the coffee's description mentions "gula aren", the merchant "kopi"
    names = client.get("/malang/cari", params={"q": "gula aren"}).text
    assert "Gula Aren Cair" in names and "Kopi Bubuk Dampit" not in names
    assert "Beras Semarang" not in client.get("/malang/cari", params={"q": "beras"}).text
    assert "Beras Lokal Sukun" not in client.get("/malang/cari", params={"q": "beras"}).text
    assert client.get("/malang/cari", params={"q": '"*:&|!'}).status_code == 200


def test_the_index_follows_renames_and_deletions(client, catalogue, city_run):
    products = catalogue["products"]

    async def change():
        await Merchant.update({Merchant.name: "Toko Pak Budi"}).where(
            Merchant.id == catalogue["merchants"][0]
        )
        await Product.update({Product.name: "Beras Pandan Wangi"}).where(Product.id == products[0])
        await Product.delete().where(Product.id == products[5])

    city_run("malang", change)
    assert shown_ids(client.get(CATALOGUE, params={"q": "sri"})) == []
    assert shown_ids(client.get(CATALOGUE, params={"q": "budi"})) == [products[1], products[0]]
    assert shown_ids(client.get(CATALOGUE, params={"q": "pandan"})) == [products[0]]
    assert shown_ids(client.get(CATALOGUE, params={"q": "premium"})) == []
    assert shown_ids(client.get(CATALOGUE, params={"q": "keripik"})) == []


def test_best_match_pages_run_from_name_matches_into_the_rest(client, city_run):
    """25 products named "telur", then 30 that only mention it: pages of 20 across both."""

    async def eggs():
        rows = await Merchant.insert(
            Merchant(name="Toko Telur", district="Sukun", status="verified", created_at=START)
        )
        named = [
            Product(merchant=rows[0]["id"], name=f"Telur Ayam {n:02d}", stock=1) for n in range(25)
        ]
        mentioned = [
            Product(merchant=rows[0]["id"], name=f"Roti Manis {n:02d}", description="Pakai telur.")
            for n in range(30)
        ]
        for product in [*mentioned, *named]:  # the mentions are older (lower ids)
            product.created_at = product.updated_at = START
        await Product.insert(*mentioned)
        await Product.insert(*named)
        await Merchant.update({Merchant.name: "Toko Sembako"}).where(Merchant.id == rows[0]["id"])

    city_run("malang", eggs)

    def names(page):
        found = client.get(CATALOGUE, params={"q": "telur", "halaman": str(page)})
        return re.findall(r'class="card-link" href="[^"]+">([^<]+)<', found.text), found

    first, _ = names(1)
    assert first == [f"Telur Ayam {n:02d}" for n in range(24, 4, -1)]
    second, _ = names(2)
    assert second == [f"Telur Ayam {n:02d}" for n in range(4, -1, -1)] + [
        f"Roti Manis {n:02d}" for n in range(29, 14, -1)
    ]
    third, page = names(3)  # past the name matches: they are counted to find the rest's start
    assert third == [f"Roti Manis {n:02d}" for n in range(14, -1, -1)]
    assert 'rel="next"' not in page.text
    assert client.get(CATALOGUE, params={"q": "telur", "halaman": "4"}).status_code == 404


def test_sqlite_search_index_has_prefix_indexes(balai_app, city_run):
    """The last word is a prefix; FTS5 answers it from prefix indexes (see the migration)."""
    if not balai_app.ui.database.is_sqlite:
        pytest.skip("the FTS5 table exists on SQLite only")

    async def ddl():
        return await Product.raw(
            "SELECT sql FROM sqlite_master WHERE name = 'umkm_market_product_fts'"
        )

    assert "prefix = '2 3 4 5 6 7 8'" in city_run("malang", ddl)[0]["sql"]
