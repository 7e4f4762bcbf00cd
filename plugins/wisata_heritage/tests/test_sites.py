"""Public site pages: the paged list, near-me ordering, a site's page and its map."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from balai.testing import write_config
from heritage_rows import add_exception, add_site

TILES = "https://tiles.example.id/{z}/{x}/{y}.png"


def today() -> date:
    return datetime.now(ZoneInfo("Asia/Jakarta")).date()


def test_a_draft_site_is_neither_listed_nor_shown(client, city_run):
    city_run("malang", add_site("Museum Terbit"))
    draft = city_run("malang", add_site("Museum Rahasia", status="draft"))
    page = client.get("/malang/wisata-heritage/")
    assert "Museum Terbit" in page.text
    assert "Museum Rahasia" not in page.text
    assert client.get(f"/malang/wisata-heritage/situs/{draft}").status_code == 404
    assert "Museum Rahasia" not in client.get("/malang/cari", params={"q": "museum"}).text


@pytest.mark.parametrize("site_id", ["999999", "9223372036854775808", "-1", "abc", "0"])
def test_unknown_or_malformed_site_ids_answer_404(client, site_id):
    assert client.get(f"/malang/wisata-heritage/situs/{site_id}").status_code == 404


def test_the_list_is_paged_without_javascript(client, city_run):
    for n in range(14):
        city_run("malang", add_site(f"Situs {n:02d}"))
    first = client.get("/malang/wisata-heritage/")
    assert "Situs 00" in first.text and "Situs 12" not in first.text
    assert 'href="/malang/wisata-heritage/?page=2"' in first.text
    second = client.get("/malang/wisata-heritage/?page=2")
    assert "Situs 12" in second.text and "Situs 13" in second.text
    assert "Situs 00" not in second.text


@pytest.mark.parametrize("page", ["0", "abc", "1e3", "-2"])
def test_a_bad_page_number_is_a_400(client, page):
    assert client.get(f"/malang/wisata-heritage/?page={page}").status_code == 400


def test_category_filter_keeps_to_the_category(client, city_run):
    city_run("malang", add_site("Kawasan Ijen", category="area"))
    city_run("malang", add_site("Balai Kota", category="building"))
    page = client.get("/malang/wisata-heritage/?kategori=area")
    assert "Kawasan Ijen" in page.text and "Balai Kota" not in page.text
    # an unknown category is ignored, not an error
    assert "Balai Kota" in client.get("/malang/wisata-heritage/?kategori=zzz").text


def test_near_me_orders_by_distance_and_shows_it(client, city_run):
    city_run("malang", add_site("A Jauh", latitude=-7.9385, longitude=112.6189))
    city_run("malang", add_site("B Dekat", latitude=-7.9770, longitude=112.6340))
    city_run("malang", add_site("C Tanpa Koordinat"))
    by_name = client.get("/malang/wisata-heritage/").text
    assert by_name.index("A Jauh") < by_name.index("B Dekat")
    near = client.get("/malang/wisata-heritage/?lat=-7.97700&lon=112.63400").text
    assert near.index("B Dekat") < near.index("A Jauh") < near.index("C Tanpa Koordinat")
    assert "0 km" in near  # B is where the visitor stands
    assert "4,6 km" in near  # A, 4.59 km to the north-west (id-ID decimal comma)


@pytest.mark.parametrize(
    "query",
    ["lat=91&lon=112", "lat=-7.9&lon=181", "lat=nan&lon=1", "lat=1e2&lon=1", "lat=-7.9", "lon=1"],
)
def test_bad_positions_are_a_400(client, query):
    response = client.get(f"/malang/wisata-heritage/?{query}")
    assert response.status_code == 400
    assert "derajat desimal" in response.text


def test_site_page_shows_legal_data_marked_unverified(client, city_run):
    site = city_run(
        "malang",
        add_site(
            "Balai Kota Malang",
            category="building",
            protection="city",
            registration_number="RNCB.20100101.02.000999",
            decree="SK Wali Kota Malang No. 188.45/contoh",
            legal_source="Contoh sumber",
            address="Jl. Tugu No. 1",
            facilities="Toilet\n\nParkir",
            accessibility="Ramp di pintu samping.",
        ),
    )
    page = client.get(f"/malang/wisata-heritage/situs/{site}").text
    for text in (
        "Balai Kota Malang",
        "RNCB.20100101.02.000999",
        "SK Wali Kota Malang No. 188.45/contoh",
        "Bangunan",
        "Ditetapkan oleh kota",
        "Belum diverifikasi",
        "Contoh sumber",
        "Jl. Tugu No. 1",
        "<li>Toilet</li>",
        "<li>Parkir</li>",
        "Ramp di pintu samping.",
    ):
        assert text in page, text


def test_a_verified_site_carries_no_unverified_note(client, city_run):
    site = city_run("malang", add_site("Tugu", legal_verified=True, registration_number="X1"))
    assert "Belum diverifikasi" not in client.get(f"/malang/wisata-heritage/situs/{site}").text


def test_the_story_is_markdown_rendered_safely_in_the_visitors_language(client, city_run):
    site = city_run(
        "malang",
        add_site(
            "Kayutangan",
            story_id="## Sejarah\n\nRumah **tua** <script>alert(1)</script> "
            "[klik](javascript:alert(2))",
            story_en="## History\n\nAn **old** house.",
        ),
    )
    page = client.get(f"/malang/wisata-heritage/situs/{site}").text
    assert "<h3>Sejarah</h3>" in page
    assert "<strong>tua</strong>" in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert 'href="javascript:' not in page
    client.get("/malang/bahasa/en?next=/malang/")
    english = client.get(f"/malang/wisata-heritage/situs/{site}").text
    assert "<strong>old</strong>" in english and "Sejarah" not in english


def test_hours_follow_todays_exception(client, city_run):
    museum = city_run("malang", add_site("Museum Tutup", opening_hours="08.00–15.00"))
    short = city_run("malang", add_site("Museum Pendek", opening_hours="08.00–15.00"))
    city_run("malang", add_exception(museum, today(), today(), closed=True, note="Renovasi"))
    city_run(
        "malang",
        add_exception(
            short,
            today() - timedelta(days=1),
            today(),
            closed=False,
            hours="08.00–11.00",
            note="Acara kota",
        ),
    )
    later = today() + timedelta(days=5)
    city_run("malang", add_exception(short, later, later, closed=True, note="Idulfitri"))
    listing = client.get("/malang/wisata-heritage/").text
    assert "Tutup: Renovasi" in listing
    assert "08.00–11.00 (Acara kota)" in listing
    page = client.get(f"/malang/wisata-heritage/situs/{short}").text
    assert "Idulfitri" in page and "08.00–15.00" in page


def test_without_a_tile_server_there_is_no_map_and_the_policy_stays_strict(client, city_run):
    site = city_run("malang", add_site("Tugu", latitude=-7.977, longitude=112.634))
    response = client.get(f"/malang/wisata-heritage/situs/{site}")
    assert "data-map" not in response.text
    assert "img-src 'self' data:;" in response.headers["content-security-policy"]
    assert "geo:-7.977,112.634" in response.text  # the coordinates stay usable


class TestWithATileServer:
    @pytest.fixture
    def balai_config(self, tmp_path, balai_cities):
        return write_config(
            tmp_path / "instance",
            balai_cities,
            city_options={
                "malang": {"map_tiles": TILES, "map_attribution": "© Peta <Kota>"},
            },
        )

    def test_map_pages_allow_exactly_the_tile_host_and_the_location(self, client, city_run):
        site = city_run("malang", add_site("Tugu", latitude=-7.977, longitude=112.634))
        for path in (f"/malang/wisata-heritage/situs/{site}", "/malang/wisata-heritage/"):
            response = client.get(path)
            assert 'data-tiles="https://tiles.example.id/{z}/{x}/{y}.png"' in response.text
            assert 'data-attribution="© Peta &lt;Kota&gt;"' in response.text
            assert "vendor/leaflet/leaflet.js" in response.text
            csp = response.headers["content-security-policy"]
            assert "img-src 'self' data: https://tiles.example.id;" in csp
            assert "geolocation=(self)" in response.headers["permissions-policy"]
        home = client.get("/malang/")
        assert "tiles.example.id" not in home.headers["content-security-policy"]
        assert "geolocation=()" in home.headers["permissions-policy"]

    def test_a_site_without_coordinates_has_no_map(self, client, city_run):
        site = city_run("malang", add_site("Tanpa Titik"))
        response = client.get(f"/malang/wisata-heritage/situs/{site}")
        assert "data-map" not in response.text
        assert "tiles.example.id" not in response.headers["content-security-policy"]
