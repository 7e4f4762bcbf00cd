"""The e_jkn skeleton: public figures without names, office list, enabled only where set."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from balai.testing import write_config
from balai_e_jkn.tables import Enrolment, Status


def add_enrolment(name: str, status: Status = Status.SUBMITTED, days_ago: int = 0):
    async def insert():
        await Enrolment.insert(
            Enrolment(
                applicant_name=name,
                status=status.value,
                created_at=datetime.now(UTC) - timedelta(days=days_ago),
            )
        )

    return insert


def figure(page_text: str, label: str) -> str:
    """The value shown after a summary label ("Sisa kuota" -> "4998")."""
    after = page_text.split(f"<dt>{label}</dt>", 1)[1]
    return after.split("<dd>", 1)[1].split("</dd>", 1)[0].strip()


def test_cover_page_answers_where_enabled_only(client):
    assert client.get("/malang/e-jkn/").status_code == 200
    assert client.get("/semarang/e-jkn/").status_code == 404


def test_nav_entry_only_in_malang(client):
    assert 'href="/malang/e-jkn/"' in client.get("/malang/").text
    assert "e-jkn" not in client.get("/semarang/").text


def test_public_page_counts_this_year_and_shows_no_names(client, city_run):
    city_run("malang", add_enrolment("Siti Aminah", Status.APPROVED))
    city_run("malang", add_enrolment("Nur Hidayati", Status.APPROVED))
    city_run("malang", add_enrolment("Dewi Lestari", Status.VERIFIED))
    city_run("malang", add_enrolment("Agus Salim", Status.REJECTED))
    city_run("malang", add_enrolment("Lama Sekali", Status.APPROVED, days_ago=400))
    page = client.get("/malang/e-jkn/")
    assert figure(page.text, "Warga terdaftar") == "2"
    assert figure(page.text, "Pengajuan sedang diproses") == "1"
    assert figure(page.text, "Sisa kuota") == "4.998"
    for name in ("Siti", "Nur Hidayati", "Dewi", "Agus", "Lama Sekali"):
        assert name not in page.text


def test_semarang_rows_never_count_or_show_in_malang(client, city_run, login_as):
    city_run("semarang", add_enrolment("Ningsih Semarang", Status.APPROVED))
    assert figure(client.get("/malang/e-jkn/").text, "Warga terdaftar") == "0"
    login_as("e_jkn.officer")
    assert "Ningsih Semarang" not in client.get("/malang/kelola/e-jkn/").text


def test_office_page_needs_login(client):
    response = client.get("/malang/kelola/e-jkn/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/malang/masuk")


def test_office_page_refuses_a_citizen(client, login_as):
    login_as()
    assert client.get("/malang/kelola/e-jkn/").status_code == 403


def test_office_page_lists_enrolments_for_health_cover_officers(client, login_as, city_run):
    city_run("malang", add_enrolment("Bambang Sutrisno"))
    login_as("e_jkn.officer")
    page = client.get("/malang/kelola/e-jkn/")
    assert page.status_code == 200
    assert "Bambang Sutrisno" in page.text
    assert "Diajukan" in page.text
    assert 'href="/malang/kelola/e-jkn/"' in client.get("/malang/kelola/").text


def test_search_finds_the_service_never_an_applicant(client, city_run):
    city_run("malang", add_enrolment("Bambang Sutrisno"))
    page = client.get("/malang/cari", params={"q": "daftar BPJS"})
    assert 'href="/malang/e-jkn/"' in page.text
    assert "Sutrisno" not in client.get("/malang/cari", params={"q": "Bambang"}).text


def test_seed_demo_fills_a_city_once(client, balai_app, city_run):
    from balai.testing import as_demo_seeding
    from balai_e_jkn import plugin

    city = balai_app.ui.config.cities["malang"]
    assert city_run("malang", as_demo_seeding(plugin.seed_demo), city).summary
    assert city_run("malang", as_demo_seeding(plugin.seed_demo), city).summary == []
    assert city_run("malang", Enrolment.count) == 42
    semarang = balai_app.ui.config.cities["semarang"]
    assert city_run("semarang", as_demo_seeding(plugin.seed_demo), semarang).summary == []

    async def approved():
        return await Enrolment.count().where(Enrolment.status == Status.APPROVED.value)

    assert figure(client.get("/malang/e-jkn/").text, "Warga terdaftar") == str(
        city_run("malang", approved)
    )


class TestQuota:
    @pytest.fixture
    def balai_config(self, tmp_path, balai_cities):
        return write_config(
            tmp_path / "instance",
            balai_cities,
            city_options={"malang": {"settings": {"e_jkn": {"annual_quota": 1}}}},
        )

    def test_full_quota_is_announced(self, client, city_run):
        city_run("malang", add_enrolment("Siti Aminah", Status.APPROVED))
        page = client.get("/malang/e-jkn/")
        assert figure(page.text, "Sisa kuota") == "0"
        assert "Kuota tahun ini sudah habis" in page.text
