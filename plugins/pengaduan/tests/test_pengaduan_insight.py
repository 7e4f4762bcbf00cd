"""The mayor's dashboard cards and the open dataset: aggregates only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from balai_pengaduan import insight
from balai_pengaduan.tables import Report

REPORT = "/malang/pengaduan/lapor"
GOOD = {
    "category": "lampu",
    "description": "Lampu jalan mati di depan rumah nomor 12.",
    "address": "Jl. Ijen 12",
}


def _report(n, category, department, made, **times):
    return Report(
        number=f"NGL-UJI-{n:04d}",
        category=category,
        department=department,
        description="Laporan uji dasbor.",
        created_at=made,
        updated_at=made,
        **times,
    )


def test_period_figures_are_computed_by_the_database(city_run):
    """Medians (odd and even counts), SLA per department and categories, on either database."""
    from balai import toolkit as tk

    now = datetime.now(UTC)
    made = now - timedelta(hours=30)
    hour = timedelta(hours=1)
    later = now + timedelta(days=1)
    rows = [
        # pupr: answered after 1, 2 and 6 hours (median 2); resolved after 4 and 10 (median 7).
        _report(
            1,
            "lampu",
            "pupr",
            made,
            first_response_at=made + 1 * hour,
            response_due=made + 2 * hour,
            resolved_at=made + 4 * hour,
            resolution_due=made + 5 * hour,
        ),
        _report(
            2,
            "lampu",
            "pupr",
            made,
            first_response_at=made + 2 * hour,
            response_due=made + 3 * hour,
            resolved_at=made + 10 * hour,
            resolution_due=made + 5 * hour,
        ),
        _report(
            3,
            "jalan",
            "pupr",
            made,
            first_response_at=made + 6 * hour,
            response_due=made + 3 * hour,
            resolution_due=later,
        ),
        # dlh: never answered and overdue (a miss); one not due yet (left out).
        _report(4, "sampah", "dlh", made, response_due=made + 2 * hour, resolution_due=later),
        _report(5, "sampah", "dlh", made, response_due=later, resolution_due=later),
        # Made long before the period: not counted anywhere.
        _report(
            6,
            "lampu",
            "pupr",
            now - timedelta(days=200),
            first_response_at=now,
            response_due=now,
            resolution_due=now,
        ),
    ]

    async def figures():
        await Report.insert(*rows)
        today = now.astimezone(tk.current_city().tz).date()
        return await insight.period_figures(tk.Period(today - timedelta(days=7), today))

    got = city_run("malang", figures)
    assert got.answered == 3 and got.first_response == pytest.approx(2.0, abs=1e-3)
    assert got.resolved == 2 and got.resolution == pytest.approx(7.0, abs=1e-3)
    pupr, dlh = got.sla["pupr"], got.sla["dlh"]
    assert pupr[0] == 3 and pupr[1] == pytest.approx(200 / 3) and pupr[2] == 50.0
    assert dlh == (2, 0.0, None)
    assert got.per_category == {"lampu": 2, "jalan": 1, "sampah": 2}


def test_an_empty_period_has_no_medians(city_run):
    from balai import toolkit as tk

    async def figures():
        return await insight.period_figures(
            tk.Period(datetime(2020, 1, 1).date(), datetime(2020, 1, 31).date())
        )

    got = city_run("malang", figures)
    assert (got.first_response, got.answered, got.resolution, got.resolved) == (None, 0, None, 0)
    assert got.sla == {} and got.per_category == {}


def test_dashboard_shows_the_cards_to_the_mayor(client, login_as, post_form, city_run):
    login_as()
    assert post_form(REPORT, GOOD).status_code == 303
    assert post_form(REPORT, {**GOOD, "category": "sampah"}).status_code == 303

    async def answer():
        now = datetime.now(UTC)
        await Report.update({Report.first_response_at: now, Report.status: "assigned"}).where(
            Report.category == "lampu"
        )

    city_run("malang", answer)
    client.cookies.clear()
    login_as("city_admin", email="wali@malang.test")
    page = client.get("/malang/dasbor/")
    assert page.status_code == 200
    for title in (
        "Pengaduan terbuka",
        "Median jam sampai tanggapan pertama",
        "Pengaduan sesuai SLA, per dinas",
        "Pengaduan per kategori",
    ):
        assert title in page.text, title


def test_open_dataset_counts_per_month_category_and_kelurahan(client, login_as, post_form):
    login_as()
    for _ in range(2):
        assert post_form(REPORT, {**GOOD, "baru": "1"}).status_code == 303
    data = client.get("/malang/data/pengaduan-per-bulan.json")
    assert data.status_code == 200, data.text
    body = data.json()
    rows = body["rows"] if isinstance(body, dict) else body
    month = datetime.now(UTC).strftime("%Y-%m")
    assert {"month": month, "category": "Lampu jalan mati", "kelurahan": "", "reports": 2} in rows
    assert "Jl. Ijen" not in data.text and "Tester" not in data.text
