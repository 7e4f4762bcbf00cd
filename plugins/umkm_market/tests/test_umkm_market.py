"""The umkm_market skeleton: merchant list, office list, enabled only where a city says so."""

from __future__ import annotations

from balai.testing import as_demo_seeding
from balai_umkm_market.tables import Category, Merchant, MerchantStatus


def add_merchant(name: str, district: str = "Klojen", verified: bool = True, owner: str = "Sri"):
    async def insert():
        await Merchant.insert(
            Merchant(
                name=name,
                owner_name=owner,
                district=district,
                category=Category.FOOD.value,
                status=(MerchantStatus.VERIFIED if verified else MerchantStatus.PENDING).value,
            )
        )

    return insert


def test_market_page_answers_where_enabled_only(client):
    assert client.get("/malang/umkm-market/").status_code == 200
    assert client.get("/semarang/umkm-market/").status_code == 404


def test_nav_entry_only_in_malang(client):
    assert 'href="/malang/umkm-market/"' in client.get("/malang/").text
    assert "umkm-market" not in client.get("/semarang/").text


def test_citizens_see_verified_merchants_only_by_default(client, city_run):
    city_run("malang", add_merchant("Keripik Tempe Sanan"))
    city_run("malang", add_merchant("Kopi Tlogomas", verified=False))
    page = client.get("/malang/umkm-market/")
    assert "Keripik Tempe Sanan" in page.text
    assert "Makanan dan minuman" in page.text
    assert "Kopi Tlogomas" not in page.text


def test_semarang_rows_never_show_in_malang(client, city_run, login_as):
    city_run("semarang", add_merchant("Lumpia Gang Lombok", "Semarang Tengah"))
    city_run("malang", add_merchant("Batik Celaket"))
    assert "Lumpia" not in client.get("/malang/umkm-market/").text
    login_as("umkm_market.officer")
    page = client.get("/malang/kelola/umkm-market/")
    assert "Batik Celaket" in page.text
    assert "Lumpia" not in page.text


def test_office_page_needs_login(client):
    response = client.get("/malang/kelola/umkm-market/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/malang/masuk")


def test_office_page_refuses_a_citizen(client, login_as):
    login_as()
    assert client.get("/malang/kelola/umkm-market/").status_code == 403


def test_office_page_lists_every_merchant_for_market_officers(client, login_as, city_run):
    city_run("malang", add_merchant("Kopi Tlogomas", verified=False, owner="Dimas Prasetyo"))
    login_as("umkm_market.officer")
    page = client.get("/malang/kelola/umkm-market/")
    assert page.status_code == 200
    assert "Kopi Tlogomas" in page.text
    assert "Dimas Prasetyo" in page.text
    assert "1 pelaku usaha menunggu verifikasi." in page.text
    assert 'href="/malang/kelola/umkm-market/"' in client.get("/malang/kelola/").text


def test_office_merchant_search_matches_every_word_and_pages(client, login_as, city_run):
    city_run("malang", add_merchant("Kopi Tlogomas", owner="Dimas Prasetyo"))
    city_run("malang", add_merchant("Keripik 100% Tempe", owner="Sri Wahyuni"))
    for n in range(55):
        city_run("malang", add_merchant(f"Warung {n:02d}", owner="Budi"))
    login_as("umkm_market.officer")

    def names(**params) -> str:
        page = client.get("/malang/kelola/umkm-market/", params=params)
        assert page.status_code == 200
        return page.text

    found = names(q="dimas TLOGOMAS")
    assert "Kopi Tlogomas" in found and "1 pelaku usaha ditemukan." in found
    assert "Kopi Tlogomas" not in names(q="dimas tempe")
    assert "Keripik 100% Tempe" in names(q="100%")
    assert "1 pelaku usaha ditemukan." in names(q="100%")  # "%" is no wildcard
    first = names(q="budi")
    assert "55 pelaku usaha ditemukan." in first
    assert 'href="/malang/kelola/umkm-market/?q=budi&amp;page=2" rel="next"' in first
    assert first.count("Warung ") == 50
    assert names(q="budi", page="2").count("Warung ") == 5
    refused = client.get("/malang/kelola/umkm-market/", params={"page": "x"})
    assert refused.status_code == 400


def test_seed_demo_fills_a_city_once(client, balai_app, city_run):
    from balai_umkm_market import plugin

    city = balai_app.ui.config.cities["malang"]
    assert city_run("malang", as_demo_seeding(plugin.seed_demo), city).summary
    assert city_run("malang", as_demo_seeding(plugin.seed_demo), city).summary == []
    assert city_run("malang", Merchant.count) >= 60
    assert city_run("semarang", Merchant.count) == 0
