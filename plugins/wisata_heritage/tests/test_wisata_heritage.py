"""The wisata_heritage skeleton: site list, office list, enabled only where a city says so."""

from __future__ import annotations

import pytest
from balai.testing import as_demo_seeding, write_config
from balai_wisata_heritage.events.tables import Event
from balai_wisata_heritage.sites.tables import Site
from balai_wisata_heritage.walks.tables import Walk


def add_site(name: str, district: str = "Klojen", hours: str = "", description: str = ""):
    async def insert():
        await Site.insert(
            Site(
                name=name,
                description=description or f"Tentang {name}.",
                district=district,
                opening_hours=hours,
            )
        )

    return insert


def test_sites_page_answers_where_enabled_only(client):
    assert client.get("/malang/wisata-heritage/").status_code == 200
    assert client.get("/semarang/wisata-heritage/").status_code == 404


def test_nav_entry_only_in_malang(client):
    assert 'href="/malang/wisata-heritage/"' in client.get("/malang/").text
    assert "wisata-heritage" not in client.get("/semarang/").text


def test_sites_show_their_hours_or_the_city_default(client, city_run):
    city_run("malang", add_site("Museum Mpu Purwa", "Lowokwaru", "Selasa–Minggu 08.00–15.00"))
    city_run("malang", add_site("Gereja Kayutangan"))
    page = client.get("/malang/wisata-heritage/")
    assert "Museum Mpu Purwa" in page.text
    assert "Selasa–Minggu 08.00–15.00" in page.text
    assert "08.00–16.00 WIB" in page.text  # the default, for the church


def test_semarang_rows_never_show_in_malang(client, city_run, login_as):
    city_run("semarang", add_site("Lawang Sewu", "Semarang Tengah"))
    city_run("malang", add_site("Kampung Kayutangan"))
    page = client.get("/malang/wisata-heritage/")
    assert "Kampung Kayutangan" in page.text
    assert "Lawang Sewu" not in page.text
    login_as("wisata_heritage.officer")
    assert "Lawang Sewu" not in client.get("/malang/kelola/wisata-heritage/").text


def test_office_page_needs_login(client):
    response = client.get("/malang/kelola/wisata-heritage/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/malang/masuk")


def test_office_page_refuses_a_citizen(client, login_as):
    login_as()
    assert client.get("/malang/kelola/wisata-heritage/").status_code == 403


def test_office_page_lists_sites_for_heritage_officers(client, login_as, city_run):
    city_run("malang", add_site("Balai Kota Malang", hours="Senin–Jumat 08.00–15.00"))
    login_as("wisata_heritage.officer")
    page = client.get("/malang/kelola/wisata-heritage/")
    assert page.status_code == 200
    assert "Balai Kota Malang" in page.text
    assert "1 tempat heritage tercatat di Kota Malang." in page.text
    assert 'href="/malang/kelola/wisata-heritage/"' in client.get("/malang/kelola/").text


def test_search_matches_words_in_any_case_within_the_city(client, city_run):
    city_run("malang", add_site("Museum Mpu Purwa", "Lowokwaru", description="Arca Kanjuruhan."))
    city_run("semarang", add_site("Museum Ronggowarsito", "Semarang Barat"))
    page = client.get("/malang/cari", params={"q": "museum KANJURUHAN"})
    assert "Museum Mpu Purwa" in page.text
    assert "/malang/wisata-heritage/situs/" in page.text
    assert "Ronggowarsito" not in client.get("/malang/cari", params={"q": "museum"}).text


def test_seed_demo_fills_a_city_once(client, balai_app, city_run):
    from balai_wisata_heritage import plugin

    city = balai_app.ui.config.cities["malang"]
    seed = as_demo_seeding(plugin.seed_demo)  # the ticket demo uses the demo accounts
    assert city_run("malang", seed, city).summary
    assert city_run("malang", seed, city).summary == []
    assert city_run("malang", Site.count) == 8
    assert city_run("malang", Event.count) == 18
    assert city_run("malang", Walk.count) == 2
    assert city_run("semarang", Site.count) == 0


HOURS_SETTING = {"default_opening_hours": "09.00–17.00"}


class TestCityOpeningHours:
    @pytest.fixture
    def balai_config(self, tmp_path, balai_cities):
        return write_config(
            tmp_path / "instance",
            balai_cities,
            city_options={
                "malang": {
                    "settings": {"wisata_heritage": {"default_opening_hours": "09.00–17.00"}}
                }
            },
        )

    def test_the_citys_default_hours_are_shown(self, client, city_run):
        city_run("malang", add_site("Gereja Kayutangan"))
        assert "09.00–17.00" in client.get("/malang/wisata-heritage/").text
