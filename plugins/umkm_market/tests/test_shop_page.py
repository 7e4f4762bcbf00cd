"""A shop's public page, reached from the market's front page; product pictures without photos."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from balai_umkm_market import demo, demo_photos
from balai_umkm_market.tables import MerchantStatus, Product, ProductPhoto
from market_setup import add_merchant, add_product, market_config
from PIL import Image


@pytest.fixture
def balai_config(tmp_path):
    return market_config(tmp_path)


def test_merchant_cards_lead_to_the_shop_page(client, city_run):
    shop = city_run("malang", add_merchant("Batik Celaket"))
    city_run("malang", add_product(shop, "Kain Batik Malangan", 250_000))
    front = client.get("/malang/umkm-market/")
    link = re.search(rf'<a class="card-link" href="(/malang/umkm-market/toko/{shop})">', front.text)
    assert link, "the merchant card is not a link to its shop"
    page = client.get(link.group(1))
    assert page.status_code == 200
    assert "<h1" in page.text and "Batik Celaket" in page.text
    assert "Kain Batik Malangan" in page.text and "Rp250.000" in page.text
    assert 'href="/malang/umkm-market/produk/' in page.text
    # No photo: the drawing of the product's category.
    assert "/static/p/umkm_market/illustrations/sembako.svg" in page.text


def test_shops_not_verified_or_of_another_city_are_not_found(client, city_run):
    pending = city_run("malang", add_merchant("Kopi Tlogomas", status=MerchantStatus.PENDING.value))
    suspended = city_run("malang", add_merchant("Toko Lama", status=MerchantStatus.SUSPENDED.value))
    elsewhere = city_run("semarang", add_merchant("Lumpia Gang Lombok"))
    for merchant_id in (pending, suspended, elsewhere, 999_999):
        assert client.get(f"/malang/umkm-market/toko/{merchant_id}").status_code == 404
    assert client.get("/malang/umkm-market/toko/abc").status_code in (400, 404)
    assert client.get("/malang/umkm-market/toko/99999999999999999999").status_code in (400, 404)


def test_a_product_without_photo_shows_its_category_drawing(client, city_run):
    shop = city_run("malang", add_merchant())
    product = city_run("malang", add_product(shop))
    page = client.get(f"/malang/umkm-market/produk/{product}")
    assert 'class="product-illustration"' in page.text
    assert "illustrations/sembako.svg" in page.text
    drawing = client.get("/static/p/umkm_market/illustrations/sembako.svg")
    assert drawing.status_code == 200 and drawing.text.lstrip().startswith("<svg")
    catalogue = client.get("/malang/umkm-market/produk/")
    assert "illustrations/sembako.svg" in catalogue.text


def test_every_product_category_has_a_drawing(client):
    from balai_umkm_market.tables import ProductCategory

    for category in ProductCategory:
        drawing = client.get(f"/static/p/umkm_market/illustrations/{category.value}.svg")
        assert drawing.status_code == 200, category
        assert "<svg" in drawing.text and "<script" not in drawing.text


def test_the_drawn_photo_is_a_jpeg_in_the_colours_of_its_category():
    coffee = Image.open(io.BytesIO(demo_photos.draw("Kopi Dampit Robusta 250 g", "minuman")))
    batik = Image.open(io.BytesIO(demo_photos.draw("Kemeja Batik", "fashion")))
    assert coffee.format == "JPEG" and coffee.size == (demo_photos.WIDTH, demo_photos.HEIGHT)
    centre = (demo_photos.WIDTH // 2, 160)  # on the package, above its label
    assert coffee.getpixel(centre) != batik.getpixel(centre)


def test_the_demo_photographs_a_few_products_and_serves_them(client, city_run, balai_app):
    city = balai_app.ui.config.cities["malang"]
    city_run("malang", demo.seed, city, datetime(2026, 11, 23, 3, 0, tzinfo=UTC))

    async def photographed():
        return await Product.select(Product.id, Product.photo).where(Product.photo != "")

    rows = city_run("malang", photographed)
    assert len(rows) == demo_photos.PHOTOGRAPHED_MERCHANTS

    async def photos():
        return await ProductPhoto.select()

    assert {p["file_key"] for p in city_run("malang", photos)} == {r["photo"] for r in rows}
    page = client.get(f"/malang/umkm-market/produk/{rows[0]['id']}")
    shown = re.search(r'<img src="([^"]+)" alt="Foto 1', page.text)
    assert shown, "the product page shows no photo"
    image = client.get(shown.group(1).replace("&amp;", "&"))
    assert image.status_code == 200 and image.headers["content-type"].startswith("image/")
