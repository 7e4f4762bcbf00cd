"""Heritage walks: ordered stops with distance and time, a printable page."""

from __future__ import annotations

import pytest
from balai.testing import as_demo_seeding
from balai_wisata_heritage.walks import route
from balai_wisata_heritage.walks.tables import Walk, WalkStop
from heritage_rows import add_site
from hypothesis import given
from hypothesis import strategies as st


def add_walk(name: str, stops: list[dict], status: str = "published"):
    async def insert() -> int:
        done = await Walk.insert(Walk(name=name, status=status)).returning(Walk.id)
        walk_id = done[0]["id"]
        for n, stop in enumerate(stops, 1):
            await WalkStop.insert(WalkStop(walk=walk_id, position=n, **stop))
        return walk_id

    return insert


def test_a_walk_page_lists_stops_in_order_with_legs(client, city_run):
    tugu = city_run("malang", add_site("Tugu", latitude=-7.97700, longitude=112.63400))
    church = city_run("malang", add_site("Gereja", latitude=-7.97810, longitude=112.63070))
    walk = city_run(
        "malang",
        add_walk(
            "Jelajah",
            [
                {"site": tugu, "minutes": 15},
                {"site": church, "minutes": 10, "note": "Dari halaman"},
                {"name": "Rumah Namsin", "latitude": -7.97725, "longitude": 112.6296, "minutes": 5},
            ],
        ),
    )
    page = client.get(f"/malang/wisata-heritage/jalan-kaki/{walk}").text
    assert page.index("Tugu") < page.index("Gereja") < page.index("Rumah Namsin")
    assert f'href="/malang/wisata-heritage/situs/{church}"' in page
    # Tugu -> Gereja is 382 m straight, 478 m by street: 0,5 km, 8 min at 4 km/h
    assert "Jalan kaki 0,5 km, sekitar 8 menit" in page
    assert "Dari halaman" in page
    assert "@media print" in client.get("/static/p/wisata_heritage/wisata_heritage.css").text
    listing = client.get("/malang/wisata-heritage/jalan-kaki/").text
    assert "Jelajah" in listing and "3" in listing


def test_draft_walks_are_not_public(client, city_run):
    walk = city_run("malang", add_walk("Rahasia", [], status="draft"))
    assert "Rahasia" not in client.get("/malang/wisata-heritage/jalan-kaki/").text
    assert client.get(f"/malang/wisata-heritage/jalan-kaki/{walk}").status_code == 404


@pytest.mark.parametrize("walk_id", ["0", "424242", "9223372036854775808", "abc"])
def test_unknown_walks_are_404(client, walk_id):
    assert client.get(f"/malang/wisata-heritage/jalan-kaki/{walk_id}").status_code == 404


def test_the_demo_walk_through_kayutangan(client, balai_app, city_run):
    from balai_wisata_heritage import plugin

    city = balai_app.ui.config.cities["malang"]
    city_run("malang", as_demo_seeding(plugin.seed_demo), city)
    listing = client.get("/malang/wisata-heritage/jalan-kaki/").text
    assert "Jelajah Kayutangan" in listing
    calendar = client.get("/malang/wisata-heritage/acara/").text
    assert "Festival Kayutangan Heritage" in calendar
    assert "Festival Kampung Warna-Warni" not in calendar  # a draft


coordinate = st.tuples(
    st.floats(min_value=-11, max_value=6), st.floats(min_value=95, max_value=141)
)


@given(st.lists(st.tuples(coordinate, st.integers(0, 120)), max_size=8))
def test_totals_are_the_sum_of_the_legs_and_never_negative(points):
    stops = [{"latitude": p[0], "longitude": p[1], "minutes": m} for p, m in points]
    legs = route.legs(stops)
    metres, minutes = route.totals(legs)
    assert len(legs) == len(stops)
    assert metres == sum(leg.metres for leg in legs) >= 0
    assert minutes == sum(leg.walk_minutes + leg.stop["minutes"] for leg in legs)
    if legs:
        assert legs[0].metres == 0


def test_walking_minutes_round_up():
    assert route.walking_minutes(0) == 0
    assert route.walking_minutes(1) == 1
    assert route.walking_minutes(4000) == 60


def test_search_finds_coming_events_and_walks_but_no_drafts(client, city_run):
    from heritage_rows import add_event

    city_run("malang", add_event("Festival Kayutangan", days=3))
    city_run("malang", add_event("Kayutangan Lama", days=-20))  # over
    city_run("malang", add_event("Kayutangan Rahasia", days=3, status="draft"))
    city_run("malang", add_walk("Jelajah Kayutangan", []))
    city_run("malang", add_walk("Kayutangan Draf", [], status="draft"))
    page = client.get("/malang/cari", params={"q": "kayutangan"}).text
    assert "Festival Kayutangan" in page and "/malang/wisata-heritage/acara/" in page
    assert "Jelajah Kayutangan" in page and "/malang/wisata-heritage/jalan-kaki/" in page
    for hidden in ("Kayutangan Lama", "Kayutangan Rahasia", "Kayutangan Draf"):
        assert hidden not in page
