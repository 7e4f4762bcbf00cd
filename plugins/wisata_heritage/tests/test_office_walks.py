"""Officers write walks, stops one a line; drafts stay private; bad lines write nothing."""

from __future__ import annotations

import pytest
from balai_wisata_heritage.walks.tables import Walk, WalkStop
from heritage_rows import add_site

WALK = {
    "name": "Jelajah Kayutangan",
    "summary": "Dua jam.",
    "stops": "",
    "description_id": "",
    "description_en": "",
    "reason": "Rute baru dari pokdarwis",
}


def count(city_run, table):
    async def run():
        return await table.count()

    return city_run("malang", run)


@pytest.fixture
def officer(login_as):
    return login_as("wisata_heritage.officer")


def test_a_walk_is_written_published_and_shown_in_order(client, officer, post_form, city_run):
    city_run("malang", add_site("Balai Kota", latitude=-7.977, longitude=112.634))
    city_run("malang", add_site("Gereja Kayutangan", latitude=-7.9781, longitude=112.6307))
    stops = (
        "balai kota | 15 | Mulai di Tugu\n"
        "Gereja Kayutangan | 10\n"
        "Rumah Namsin @ -7.97725, 112.62960 | 5 | Di dalam kampung"
    )
    response = post_form("/malang/kelola/wisata-heritage/jalan-kaki/baru", {**WALK, "stops": stops})
    assert response.status_code == 303
    walk_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert count(city_run, WalkStop) == 3
    assert client.get(f"/malang/wisata-heritage/jalan-kaki/{walk_id}").status_code == 404
    edit = client.get(f"/malang/kelola/wisata-heritage/jalan-kaki/{walk_id}").text
    assert "Rumah Namsin @ -7.97725, 112.6296 | 5 | Di dalam kampung" in edit
    step = f"/malang/kelola/wisata-heritage/jalan-kaki/{walk_id}/langkah"
    assert post_form(step, {"step": "publish"}).status_code == 303
    page = client.get(f"/malang/wisata-heritage/jalan-kaki/{walk_id}").text
    assert page.index("Balai Kota") < page.index("Gereja Kayutangan") < page.index("Rumah Namsin")
    # Reordered on edit: the stops are rewritten in the new order.
    reordered = "Gereja Kayutangan | 10\nBalai Kota | 15"
    saved = post_form(
        f"/malang/kelola/wisata-heritage/jalan-kaki/{walk_id}",
        {**WALK, "stops": reordered, "reason": "Urutan baru"},
    )
    assert saved.status_code == 303 and count(city_run, WalkStop) == 2
    page = client.get(f"/malang/wisata-heritage/jalan-kaki/{walk_id}").text
    assert page.index("Gereja Kayutangan") < page.index("Balai Kota")
    assert "Urutan baru" in client.get(f"/malang/kelola/wisata-heritage/jalan-kaki/{walk_id}").text


@pytest.mark.parametrize(
    ("stops", "message"),
    [
        ("", "wajib"),
        ("Tidak Ada | 10", "tidak ada tempat heritage"),
        ("Balai Kota | 999", "0 sampai 240"),
        ("Balai Kota | -1", "0 sampai 240"),
        ("Titik @ 95, 112 | 5", "nama @"),
        ("Titik @ nan, 112 | 5", "nama @"),
        ("a | 1 | b | c", "nama | menit"),
        ("\n".join(["Balai Kota | 1"] * 31), "paling banyak 30"),
        ("<script>alert(1)</script> | 5", "tidak ada tempat heritage"),
    ],
)
def test_bad_stop_lines_write_nothing(client, officer, post_form, city_run, stops, message):
    city_run("malang", add_site("Balai Kota", latitude=-7.977, longitude=112.634))
    response = post_form("/malang/kelola/wisata-heritage/jalan-kaki/baru", {**WALK, "stops": stops})
    assert response.status_code == 400
    assert message in response.text.lower() or message in response.text
    assert "<script>alert(1)" not in response.text
    assert count(city_run, Walk) == 0 and count(city_run, WalkStop) == 0


def test_another_citys_site_is_not_a_stop(client, officer, post_form, city_run):
    city_run("semarang", add_site("Lawang Sewu"))
    response = post_form(
        "/malang/kelola/wisata-heritage/jalan-kaki/baru", {**WALK, "stops": "Lawang Sewu | 10"}
    )
    assert response.status_code == 400 and count(city_run, Walk) == 0
