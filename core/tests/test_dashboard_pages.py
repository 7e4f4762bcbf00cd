"""The mayor's dashboard over HTTP: access, period filter, sections, charts, fragments, CSV."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from balai.auth.accounts import create_user
from balai.config import Config
from balai.dashboard.core_widgets import ACCOUNTS, refresh_accounts
from balai.dashboard.tables import DailyMetric
from balai.tables import User
from balai.tenants import current_city
from balai.testing import TestDatabases, build_app
from test_dashboard_papan_plugin import SLUG, papan_registry

PAGE = "/malang/dasbor/"
SVG_RE = re.compile(r"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart.*?</svg>", re.S)


@pytest.fixture
def balai_cities() -> dict[str, list[str]]:
    """Malang enables the papan test plugin, Semarang does not."""
    return {"malang": [SLUG], "semarang": []}


@pytest.fixture
def balai_app(
    balai_config: Config,
    balai_database_url: str,
    balai_test_databases: TestDatabases,
    balai_fast_passwords: None,
) -> Any:
    """The core, its services and ``papan``."""
    return build_app(
        balai_config,
        balai_test_databases,
        database_url=balai_database_url,
        registry=papan_registry(),
    )


async def _refresh() -> int:
    return await refresh_accounts(current_city())


# --- access -------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client):
    answer = client.get(PAGE, follow_redirects=False)
    assert answer.status_code == 303 and "/malang/masuk" in answer.headers["location"]


def test_citizens_are_refused(client, login_as):
    login_as(None)
    assert client.get(PAGE).status_code == 403
    assert client.get("/malang/dasbor/widget/core.accounts_total").status_code == 403
    assert client.get("/malang/dasbor/widget/core.accounts_total.csv").status_code == 403


def test_city_admin_sees_the_dashboard(client, login_as):
    login_as("city_admin")
    assert client.get(PAGE).status_code == 200


# --- the page -----------------------------------------------------------------


def test_page_groups_widgets_under_the_six_dimensions(client, login_as, city_run):
    login_as("dashboard.viewer")
    city_run("malang", _refresh)
    page = client.get(PAGE)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = page.text
    ids = re.findall(r'<section class="dash-section dash-dim-(\w+)"', text)
    assert ids == ["governance", "living", "economy", "branding", "society", "environment"]
    assert "css/dashboard.css" in text
    # core widgets and the plugin's
    for key in (
        "core-accounts-total",
        "core-accounts-new",
        "core-accounts-per-day",
        "papan-revenue",
        "papan-tonnes",
        "papan-districts",
        "papan-open-requests",
    ):
        assert f'id="widget-{key}"' in text
    # living and branding have no widget: an empty state naming what would feed them
    living = text.split('id="dim-living"')[1].split("</section>")[0]
    assert "empty-state" in living and "kesehatan" in living  # Indonesian is the default language
    # figures: value, trend arrow and the previous value
    assert "Rp2.500.000" in text and "dash-trend-up" in text and "+25,0%" in text
    # htmx refreshes every card
    cards = text.count('<article class="card dash-card')
    assert (
        cards >= 6 and text.count('hx-trigger="every 60s"') == cards
    )  # built-in services add theirs
    assert 'hx-get="/malang/dasbor/widget/papan.revenue?period=30d"' in text
    assert 'href="/malang/dasbor/widget/papan.revenue.csv?period=30d"' in text
    assert " style=" not in text.split("<main")[1] and "<script" not in text.split("<main")[1]


def test_charts_are_well_formed_svg_with_the_numbers(client, login_as):
    login_as("dashboard.viewer")
    text = client.get(PAGE).text
    charts = SVG_RE.findall(text)
    assert len(charts) == 2
    line = next(ET.fromstring(c) for c in charts if "chart-line" in c)
    ns = "{http://www.w3.org/2000/svg}"
    assert line.find(f"{ns}title").text
    assert [c.find(f"{ns}title").text for c in line.iter(f"{ns}circle")] == [
        "2026-10: 120",
        "2026-11: 98",
    ]
    assert {"120", "98"} <= {t.text for t in line.iter(f"{ns}text")}
    # and a visually hidden table with the same numbers
    assert '<th scope="row">2026-10</th><td>120</td>' in text


def test_accounts_are_counted_from_the_daily_aggregates(client, login_as, city_run):
    login_as("dashboard.viewer")

    async def seed() -> None:
        now = datetime.now(UTC)
        for n in range(3):
            await create_user(
                name=f"Warga {n}", password="kata-sandi-uji-123", email=f"w{n}@example.id"
            )
        await User.update({User.created_at: now - timedelta(days=40)}).where(
            User.email == "w0@example.id"
        )
        await refresh_accounts(current_city())

    city_run("malang", seed)
    figure = client.get("/malang/dasbor/widget/core.accounts_total")
    assert figure.status_code == 200
    assert re.search(r'class="dash-value">4<', figure.text)  # three citizens and the viewer
    assert "(periode sebelumnya: 1)" in figure.text  # only the viewer existed before the period
    new = client.get("/malang/dasbor/widget/core.accounts_new.csv").text.splitlines()
    assert new == ["value,previous,unit", "3,1,count"]

    async def rows() -> int:
        return await DailyMetric.count().where(DailyMetric.metric == ACCOUNTS)

    assert city_run("malang", rows) >= 2
    assert city_run("semarang", rows) == 0


def test_refresh_is_incremental_and_idempotent(client, login_as, city_run):
    login_as("dashboard.viewer")
    first = city_run("malang", _refresh)
    again = city_run("malang", _refresh)
    assert first >= 1 and again == 2  # the last day and the day before, counted again

    async def total() -> int:
        rows = await DailyMetric.select(DailyMetric.value).where(DailyMetric.metric == ACCOUNTS)
        return sum(r["value"] for r in rows)

    assert city_run("malang", total) == 1


# --- period filter --------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["period=7d", "period=month", "period=year", "period=custom&from=2026-01-01&to=2026-01-31"],
)
def test_every_period_renders(client, login_as, query):
    login_as("dashboard.viewer")
    page = client.get(f"{PAGE}?{query}")
    assert page.status_code == 200
    assert 'name="period"' in page.text and 'method="get"' in page.text


def test_bad_period_is_a_400_with_a_clear_message(client, login_as):
    login_as("dashboard.viewer")
    page = client.get(f"{PAGE}?period=custom&from=2026-02-01&to=2026-01-01")
    assert page.status_code == 400
    assert "error-summary" in page.text and "dash-section" not in page.text
    assert client.get(f"{PAGE}?period=forever").status_code == 400
    assert client.get(f"{PAGE}?period=custom&from=2026-01-01&to=" + "9" * 500).status_code == 400
    csv_answer = client.get("/malang/dasbor/widget/papan.revenue.csv?period=custom&from=x&to=y")
    assert csv_answer.status_code == 400 and csv_answer.headers["content-type"].startswith(
        "text/plain"
    )
    assert csv_answer.text


# --- fragments and CSV ------------------------------------------------------------


def test_fragment_is_just_the_card(client, login_as):
    login_as("dashboard.viewer")
    part = client.get(
        "/malang/dasbor/widget/papan.tonnes?period=7d", headers={"HX-Request": "true"}
    )
    assert part.status_code == 200
    body = part.text.strip()
    assert body.startswith("<article") and body.endswith("</article>") and "<html" not in body
    assert 'hx-get="/malang/dasbor/widget/papan.tonnes?period=7d"' in body
    assert client.get("/malang/dasbor/widget/papan.nothing").status_code == 404


def test_a_gauge_shows_its_value_now_with_a_meter_and_its_warning(client, login_as):
    login_as("dashboard.viewer")
    for period in ("7d", "year"):  # a gauge is the same whatever the period
        card = client.get(f"/malang/dasbor/widget/papan.open_requests?period={period}").text
        assert '<span class="dash-value">42</span>' in card
        assert "sekarang, dari 50" in card
        assert '<meter class="dash-meter" min="0" max="50" value="42" high="40"' in card
        assert "Di atas batas peringatan 40." in card
        assert "dash-trend" not in card
    csv_rows = client.get("/malang/dasbor/widget/papan.open_requests.csv").text.splitlines()
    assert csv_rows == ["value,limit,unit", "42,50,count"]


def test_csv_export_per_widget(client, login_as):
    login_as("dashboard.viewer")
    answer = client.get(
        "/malang/dasbor/widget/papan.districts.csv?period=custom&from=2026-01-01&to=2026-01-31"
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == (
        'attachment; filename="papan.districts_2026-01-01_2026-01-31.csv"'
    )
    assert list(csv.reader(io.StringIO(answer.text))) == [
        ["District", "Tonnes"],
        ["Klojen", "120"],
        ["Lowokwaru", "98"],
    ]
    chart = client.get("/malang/dasbor/widget/papan.tonnes.csv").text
    assert chart.splitlines() == ["label,value", "2026-10,120", "2026-11,98"]
    figure = client.get("/malang/dasbor/widget/papan.revenue.csv").text
    assert figure.splitlines() == ["value,previous,unit", "2500000,2000000,rupiah"]


def test_a_disabled_plugins_widgets_are_absent(client, login_as):
    login_as("dashboard.viewer", city="semarang")
    page = client.get("/semarang/dasbor/")
    assert page.status_code == 200
    assert "papan" not in page.text and 'id="widget-core-accounts-total"' in page.text
    assert client.get("/semarang/dasbor/widget/papan.revenue.csv").status_code == 404
