"""The sipaldi skeleton: fee and planned visits without addresses, office list."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from balai.testing import write_config
from balai_sipaldi.tables import Booking, Status


def today() -> date:
    return datetime.now(ZoneInfo("Asia/Jakarta")).date()


def add_booking(address: str, district: str, days: int = 2, status: Status = Status.REQUESTED):
    async def insert():
        await Booking.insert(
            Booking(
                address=address,
                district=district,
                preferred_date=today() + timedelta(days=days),
                status=status.value,
                created_at=datetime.now(UTC),
            )
        )

    return insert


def test_page_answers_where_enabled_only(client):
    assert client.get("/malang/sipaldi/").status_code == 200
    assert client.get("/semarang/sipaldi/").status_code == 404


def test_nav_entry_only_in_malang(client):
    assert 'href="/malang/sipaldi/"' in client.get("/malang/").text
    assert "sipaldi" not in client.get("/semarang/").text


def test_fee_is_shown_in_rupiah(client):
    page = client.get("/malang/sipaldi/")
    assert "Rp15.000 per m³" in page.text
    assert "Rp30.000" in page.text


def test_planned_visits_are_counted_without_addresses(client, city_run):
    city_run("malang", add_booking("Jl. Semeru No. 9", "Klojen", 3))
    city_run("malang", add_booking("Jl. Ijen No. 2", "Klojen", 3, Status.SCHEDULED))
    city_run("malang", add_booking("Jl. Sulfat No. 21", "Blimbing", 3, Status.CANCELLED))
    city_run("malang", add_booking("Jl. Candi No. 17", "Lowokwaru", -1))
    page = client.get("/malang/sipaldi/")
    assert re.search(r'<td [^>]*class="visits-count">2</td>', page.text)
    assert "Klojen" in page.text
    assert "Blimbing" not in page.text  # cancelled
    assert "Lowokwaru" not in page.text  # in the past
    for address in ("Semeru", "Ijen", "Sulfat", "Candi"):
        assert address not in page.text


def test_semarang_rows_never_show_in_malang(client, city_run, login_as):
    city_run("semarang", add_booking("Jl. Pemuda No. 1", "Semarang Tengah"))
    assert "Semarang Tengah" not in client.get("/malang/sipaldi/").text
    login_as("sipaldi.officer")
    assert "Jl. Pemuda" not in client.get("/malang/kelola/sipaldi/").text


def test_office_page_needs_login(client):
    response = client.get("/malang/kelola/sipaldi/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/malang/masuk")


def test_office_page_refuses_a_citizen(client, login_as):
    login_as()
    assert client.get("/malang/kelola/sipaldi/").status_code == 403


def test_office_page_lists_bookings_for_wastewater_officers(client, login_as, city_run):
    city_run("malang", add_booking("Jl. Semeru No. 9", "Klojen"))
    login_as("sipaldi.officer")
    page = client.get("/malang/kelola/sipaldi/")
    assert page.status_code == 200
    assert "Jl. Semeru No. 9" in page.text
    assert "Dipesan" in page.text
    assert 'href="/malang/kelola/sipaldi/"' in client.get("/malang/kelola/").text


def test_search_finds_the_service_never_an_address(client, city_run):
    city_run("malang", add_booking("Jl. Semeru No. 9", "Klojen"))
    assert 'href="/malang/sipaldi/"' in client.get("/malang/cari", params={"q": "sedot WC"}).text
    assert "Klojen" not in client.get("/malang/cari", params={"q": "Semeru"}).text


def test_seed_demo_fills_a_city_once(client, balai_app, city_run):
    from balai_sipaldi import plugin

    city = balai_app.ui.config.cities["malang"]
    assert city_run("malang", plugin.seed_demo, city).summary
    assert city_run("malang", plugin.seed_demo, city).summary == []
    assert city_run("malang", Booking.count) == 6
    assert city_run("semarang", Booking.count) == 0
    assert "Kedungkandang" in client.get("/malang/sipaldi/").text


class TestFee:
    @pytest.fixture
    def balai_config(self, tmp_path, balai_cities):
        return write_config(
            tmp_path / "instance",
            balai_cities,
            city_options={"malang": {"settings": {"sipaldi": {"disposal_fee_per_m3": 25000}}}},
        )

    def test_the_citys_fee_is_used(self, client):
        page = client.get("/malang/sipaldi/")
        assert "Rp25.000 per m³" in page.text
        assert "Rp50.000" in page.text
