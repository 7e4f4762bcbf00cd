"""The mayor's Smart Living cards and the open dataset: aggregates, small groups suppressed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from balai import toolkit as tk
from balai.testing import write_config
from balai_e_jkn import insights
from balai_e_jkn.identity import NIK_PURPOSE, nik_index
from balai_e_jkn.tables import Enrolment, Member

NOW = datetime.now(UTC).replace(microsecond=0)


def seed(rows):
    """rows: (kecamatan, status, days to active or None, reason code, people registered)."""

    async def insert():
        for n, (kecamatan, status, days, code, people) in enumerate(rows):
            created = NOW - timedelta(days=30)
            [row] = await Enrolment.insert(
                Enrolment(
                    applicant_name=f"Pemohon {n}",
                    number=f"JKN-T-{n}",
                    status=status,
                    created_at=created,
                    kecamatan=kecamatan,
                    active_at=created + timedelta(days=days) if days is not None else None,
                    decided_at=created + timedelta(days=1),
                    reason_code=code,
                )
            )
            for p in range(people):
                nik = f"3573051203{n:02d}{p:04d}"
                await Member.insert(
                    Member(
                        enrolment=row["id"],
                        position=p,
                        name="x",
                        nik_sealed=tk.seal(nik, NIK_PURPOSE),
                        nik_index=nik_index(nik),
                        open_nik_index=nik_index(nik),
                        born=date(1985, 3, 12),
                        state="registered",
                        start_date=date(2026, 11, 3),
                    )
                )

    return insert


ROWS = [
    ("Lowokwaru", "approved", 2, "", 3),
    ("Lowokwaru", "approved", 4, "", 3),
    ("Klojen", "approved", 9, "", 1),
    ("Sukun", "rejected", None, "documents", 0),
    ("Sukun", "rejected", None, "documents", 0),
    ("Blimbing", "rejected", None, "bpjs_refused", 0),
]


def test_the_dashboard_shows_enrolled_quota_median_and_reasons(client, login_as, city_run):
    city_run("malang", seed(ROWS))
    login_as("city_admin")
    page = client.get("/malang/dasbor/", params={"dimensi": "living"})
    assert page.status_code == 200
    text = page.text
    assert "Warga yang didaftarkan kota ke JKN" in text
    assert "Median hari dari pengajuan sampai aktif" in text
    assert "Dokumen tidak terbaca atau kurang" in text and "Ditolak BPJS" in text


def test_the_widget_figures(balai_app, client, city_run):
    city_run("malang", seed(ROWS))
    period = tk.Period(date.today() - timedelta(days=60), date.today())

    async def cards():
        return {w.key: w for w in await insights.widgets(period)}

    found = city_run("malang", cards)
    assert found["e_jkn.enrolled"].value == 7 and found["e_jkn.enrolled"].limit == 5000
    assert found["e_jkn.median_days"].value == 4
    assert dict(found["e_jkn.rejections"].rows) == {
        "Documents unreadable or missing": 2,
        "Refused by BPJS": 1,
    }
    assert "e_jkn.coverage" not in found  # no population set


def test_open_data_suppresses_small_groups(client, city_run):
    city_run("malang", seed(ROWS))
    response = client.get("/malang/data/jkn-enrolments-monthly.json")
    assert response.status_code == 200
    body = response.text
    assert '"Lowokwaru"' in body and '"Klojen"' in body
    rows = city_run(
        "malang", insights.monthly_by_kecamatan, tk.City(slug="malang", name="Kota Malang")
    )
    assert {
        "month": "2026-11",
        "kecamatan": "Lowokwaru",
        "enrolled": 6,
        "suppressed": False,
    } in rows
    assert {"month": "2026-11", "kecamatan": "Klojen", "enrolled": None, "suppressed": True} in rows


class TestCoverage:
    @pytest.fixture
    def balai_config(self, tmp_path, balai_cities):
        settings = {"population": 874_890, "population_source": "BPS 2024 (belum diverifikasi)"}
        return write_config(
            tmp_path / "instance",
            balai_cities,
            city_options={"malang": {"region_code": "35.73", "settings": {"e_jkn": settings}}},
        )

    def test_coverage_is_a_share_of_the_population(self, client, city_run):
        city_run("malang", seed(ROWS))
        period = tk.Period(date.today() - timedelta(days=60), date.today())

        async def coverage():
            return {w.key: w for w in await insights.widgets(period)}["e_jkn.coverage"]

        card = city_run("malang", coverage)
        assert card.value == 100 * 7 / 874_890 and "BPS 2024" in card.note

    def test_the_dashboard_shows_a_small_coverage_with_its_digits(self, client, city_run, login_as):
        city_run("malang", seed(ROWS))  # 7 of 874,890 people: 0.0008 %
        login_as("city_admin")
        page = client.get("/malang/dasbor/")
        assert page.status_code == 200
        assert "0,00080%" in page.text and "0,0%" not in page.text
