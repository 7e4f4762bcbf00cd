"""The public page (schedule, fee), menu entries, search, and the office page's guard."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from balai.testing import write_config
from sipaldi_setup import add_premises, demo_sipaldi


def test_page_answers_where_enabled_only(client):
    assert client.get("/malang/sipaldi/").status_code == 200
    assert client.get("/semarang/sipaldi/").status_code == 404


def test_nav_entry_only_in_malang(client):
    assert 'href="/malang/sipaldi/"' in client.get("/malang/").text
    assert "sipaldi" not in client.get("/semarang/").text


def test_schedule_and_fee_are_shown_with_their_sources(client):
    page = client.get("/malang/sipaldi/").text
    assert "36 bulan" in page
    assert "Rp15.000 per m³" in page
    assert "Rp30.000" in page  # a 2 m³ tank
    assert "Pedoman LLTT" in page
    assert "belum diverifikasi" in page
    assert 'href="/malang/sipaldi/tangki/baru"' in page


def test_search_finds_the_service_never_an_address(client, city_run):
    city_run("malang", add_premises(address="Jl. Semeru No. 9"))
    assert 'href="/malang/sipaldi/"' in client.get("/malang/cari", params={"q": "sedot WC"}).text
    assert "Semeru No. 9" not in client.get("/malang/cari", params={"q": "Semeru"}).text


def test_office_page_needs_login(client):
    response = client.get("/malang/kelola/sipaldi/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/malang/masuk")


def test_office_page_refuses_a_citizen(client, login_as):
    login_as()
    assert client.get("/malang/kelola/sipaldi/").status_code == 403


class TestCityWithoutRules:
    @pytest.fixture
    def balai_config(self, tmp_path, balai_cities):
        bare = {"kelurahan": demo_sipaldi("malang")["kelurahan"]}
        return write_config(
            tmp_path / "instance",
            balai_cities,
            city_options={"malang": {"settings": {"sipaldi": bare}}},
        )

    def test_the_page_says_nothing_is_set(self, client):
        page = client.get("/malang/sipaldi/").text
        assert "belum menetapkan jadwal" in page
        assert "belum menetapkan tarif" in page


def test_the_demo_seeds_three_years_with_gaps_once(client, balai_app, city_run, login_as):
    from balai.testing import as_demo_seeding
    from balai_sipaldi import plugin
    from balai_sipaldi.tables import Delivery, Fee, Operator, Staff, Truck, Visit

    city = balai_app.ui.config.cities["malang"]
    report = city_run("malang", as_demo_seeding(plugin.seed_demo), city)
    assert "gap at the plant" in report.summary[0]
    assert city_run("malang", as_demo_seeding(plugin.seed_demo), city).summary == []
    assert city_run("malang", Operator.count) == 3
    assert city_run("malang", Truck.count) == 6
    links = city_run("malang", Staff.select)  # the demo's crew on a truck, its office at the firm
    assert sorted(s["truck_id"] is None for s in links) == [False, True]
    done = city_run("malang", lambda: Visit.count().where(Visit.status == "done"))
    assert done > 250
    deliveries = city_run("malang", Delivery.select)
    short = [d for d in deliveries if d["volume_litres"] * 100 < d["collected_litres"] * 95]
    assert short, "some loads lose sludge on the way"
    assert city_run("malang", Fee.count) >= done
    first = min(v["day"] for v in city_run("malang", Visit.select))
    assert (datetime.now(ZoneInfo("Asia/Jakarta")).date() - first).days <= 3 * 365
    login_as("dashboard.viewer")
    page = client.get("/malang/dasbor/")
    assert page.status_code == 200 and "Tangki septik disedot tepat jadwal" in page.text
    # the default period (the last 30 days): mostly on schedule, some late
    on_schedule = client.get("/malang/dasbor/widget/sipaldi.on_schedule.csv").text
    figure = float(on_schedule.splitlines()[1].split(",")[0])
    assert 60 <= figure < 100, figure


def test_published_visits_are_counted_per_day_and_kecamatan_without_addresses(client, city_run):
    from datetime import timedelta

    from sipaldi_setup import add_operator, add_visit

    day = datetime.now(ZoneInfo("Asia/Jakarta")).date() + timedelta(days=2)
    first = city_run("malang", add_premises(address="Jl. Semeru No. 9"))
    second = city_run("malang", add_premises(address="Jl. Ijen No. 2"))
    proposed = city_run(
        "malang", add_premises(address="Jl. Sukun 1", kelurahan="Sukun", kecamatan="Sukun")
    )
    _op, [truck] = city_run("malang", add_operator())
    city_run("malang", add_visit(first, truck, day))
    city_run("malang", add_visit(second, truck, day, status="confirmed"))
    city_run("malang", add_visit(proposed, truck, day, status="proposed"))  # not published
    page = client.get("/malang/sipaldi/").text
    assert re.search(r'<td [^>]*class="visits-count">2</td>', page)
    assert "Klojen" in page and "Sukun" not in page
    for address in ("Semeru", "Ijen"):
        assert address not in page
