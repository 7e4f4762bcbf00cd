"""The mayor's dashboard cards and the open dataset: aggregates only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from balai_pengaduan import insight
from balai_pengaduan.tables import Report

REPORT = "/malang/pengaduan/lapor"
GOOD = {
    "category": "lampu",
    "description": "Lampu jalan mati di depan rumah nomor 12.",
    "address": "Jl. Ijen 12",
}


def test_sla_rates_count_misses_and_leave_out_what_may_still_be_met():
    now = datetime.now(UTC)
    made = now - timedelta(hours=10)
    rows = [
        {
            "department": "pupr",
            "first_response_at": made + timedelta(hours=1),
            "response_due": made + timedelta(hours=2),
            "resolved_at": None,
            "resolution_due": now + timedelta(days=1),
        },
        {
            "department": "pupr",
            "first_response_at": None,
            "response_due": made + timedelta(hours=2),
            "resolved_at": None,
            "resolution_due": now + timedelta(days=1),
        },
        {
            "department": "dlh",
            "first_response_at": made + timedelta(hours=5),
            "response_due": made + timedelta(hours=2),
            "resolved_at": made + timedelta(hours=6),
            "resolution_due": made + timedelta(hours=8),
        },
    ]
    rates = insight.sla_rates(rows)
    assert rates["pupr"] == (2, 50.0, None)
    assert rates["dlh"] == (1, 0.0, 100.0)


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
