"""Open data over HTTP: the list, a dataset's page, CSV and JSON downloads, the API and OpenAPI."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from balai import toolkit as tk
from balai.auth.accounts import create_user
from balai.config import Config
from balai.dashboard.core_widgets import refresh_accounts
from balai.opendata.types import DatasetError
from balai.tables import User
from balai.tenants import City, current_city
from balai.testing import TestDatabases, build_app
from test_dashboard_papan_plugin import SLUG, papan_registry


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


def _seed_accounts(city_run) -> None:
    async def seed() -> None:
        for n in range(3):
            await create_user(
                name=f"Warga {n}", password="kata-sandi-uji-123", email=f"w{n}@example.id"
            )
        # one account registered in an earlier month
        await User.update({User.created_at: datetime(2026, 1, 15, 3, tzinfo=UTC)}).where(
            User.email == "w0@example.id"
        )
        await refresh_accounts(current_city())

    city_run("malang", seed)


def _this_month() -> str:
    return (datetime.now(UTC) + timedelta(hours=7)).strftime("%Y-%m")


# --- pages --------------------------------------------------------------------


def test_list_page_is_public_with_descriptions_and_licences(client):
    page = client.get("/malang/data/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'href="/malang/data/accounts-monthly"' in page.text
    assert 'href="/malang/data/papan-waste"' in page.text
    assert "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)" in page.text
    assert (
        "Tonnes of waste collected per district and month." in page.text
    )  # no translation: msgid shown


def test_dataset_page_shows_columns_and_a_preview(client):
    page = client.get("/malang/data/papan-waste")
    assert page.status_code == 200
    for text in (
        "Klojen",
        "Lowokwaru",
        "120.5",
        "<code>tonnes</code>",
        "/malang/data/papan-waste.csv",
        "/malang/data/papan-waste.json",
        "/malang/api/data/papan-waste",
    ):
        assert text in page.text
    assert client.get("/malang/data/no-such-data").status_code == 404
    assert client.get("/malang/data/" + "x" * 300).status_code == 404


def test_core_dataset_counts_accounts_per_month(client, city_run):
    _seed_accounts(city_run)
    answer = client.get("/malang/data/accounts-monthly.csv")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert (
        answer.headers["content-disposition"]
        == 'attachment; filename="malang_accounts-monthly.csv"'
    )
    assert list(csv.reader(io.StringIO(answer.text))) == [
        ["month", "accounts_registered"],
        ["2026-01", "1"],
        [_this_month(), "2"],
    ]
    # counts only: no name or address of anybody
    assert "Warga" not in answer.text and "@" not in answer.text
    assert "Warga" not in client.get("/malang/data/accounts-monthly").text


def test_csv_and_json_downloads(client):
    answer = client.get("/malang/data/papan-waste.csv")
    assert answer.status_code == 200
    assert answer.text.splitlines() == [
        "month,district,tonnes,collected",
        "2026-10,Klojen,120.5,true",
        "2026-11,Lowokwaru,98,false",
    ]
    data = client.get("/malang/data/papan-waste.json")
    assert data.status_code == 200 and data.headers["content-type"] == "application/json"
    assert data.headers["content-disposition"] == 'attachment; filename="malang_papan-waste.json"'
    body = data.json()
    assert body["row_count"] == 2
    assert body["rows"][0] == {
        "month": "2026-10",
        "district": "Klojen",
        "tonnes": 120.5,
        "collected": True,
    }
    assert body["dataset"]["licence"] == {
        "name": "CC BY 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    assert client.get("/malang/data/nothing.json").status_code == 404
    assert client.get("/malang/data/nothing.csv").status_code == 404


# --- API ----------------------------------------------------------------------


def test_api_lists_the_datasets(client):
    answer = client.get("/malang/api/data/")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert body["city"] == "malang"
    by_slug = {d["slug"]: d for d in body["datasets"]}
    assert set(by_slug) == {"accounts-monthly", "papan-waste"}
    waste = by_slug["papan-waste"]
    assert waste["csv_url"] == "/malang/data/papan-waste.csv"
    assert waste["dimension"] == "environment" and waste["publisher"] == "DLH"
    assert [c["name"] for c in waste["columns"]] == ["month", "district", "tonnes", "collected"]
    assert [c["type"] for c in waste["columns"]] == ["month", "string", "number", "boolean"]


def test_api_gives_one_dataset_with_rows(client, city_run):
    _seed_accounts(city_run)
    body = client.get("/malang/api/data/accounts-monthly").json()
    assert body["dataset"]["slug"] == "accounts-monthly"
    assert body["rows"] == [
        {"month": "2026-01", "accounts_registered": 1},
        {"month": _this_month(), "accounts_registered": 2},
    ]
    missing = client.get("/malang/api/data/nothing")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/json"


def test_a_disabled_plugins_datasets_are_absent(client):
    assert "papan-waste" not in client.get("/semarang/data/").text
    slugs = [d["slug"] for d in client.get("/semarang/api/data/").json()["datasets"]]
    assert slugs == ["accounts-monthly"]
    assert client.get("/semarang/data/papan-waste.csv").status_code == 404
    assert client.get("/semarang/api/data/papan-waste").status_code == 404


def test_openapi_lists_the_open_data_endpoints(client):
    schema = client.get("/api/schema/openapi.json")
    assert schema.status_code == 200
    spec = schema.json()
    paths = spec["paths"]
    assert "/api/data" in paths or "/api/data/" in paths
    assert "/api/data/{slug}" in paths
    listing = paths.get("/api/data") or paths["/api/data/"]
    ok = listing["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok["$ref"].endswith("/DatasetList")
    one = paths["/api/data/{slug}"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    assert one["$ref"].endswith("/DatasetData")
    components = spec["components"]["schemas"]
    assert {"DatasetList", "DatasetData", "DatasetSummary", "ColumnOut", "LicenceOut"} <= set(
        components
    )
    assert not any(
        p.startswith("/data") or p.startswith("/dasbor") for p in paths
    )  # HTML pages stay out


# --- the type -----------------------------------------------------------------


def test_rows_are_checked_against_the_columns():
    async def bad_rows(city):
        return [{"month": "2026-10", "count": "many"}]

    async def missing(city):
        return [{"month": "2026-10"}]

    columns = (
        tk.DatasetColumn("month", "month", "Month"),
        tk.DatasetColumn("count", "integer", "Count"),
    )
    city = City(slug="malang", name="Kota Malang")
    import asyncio

    bad = tk.Dataset("x-bad", "X", "X", tk.Dimension.SOCIETY, columns, bad_rows)
    with pytest.raises(DatasetError, match="wants integer"):
        asyncio.run(bad.rows(city))
    lacking = tk.Dataset("x-missing", "X", "X", tk.Dimension.SOCIETY, columns, missing)
    with pytest.raises(DatasetError, match="lacks 'count'"):
        asyncio.run(lacking.rows(city))
    with pytest.raises(ValueError):
        tk.Dataset("Bad Slug", "X", "X", tk.Dimension.SOCIETY, columns, missing)
    with pytest.raises(ValueError):
        tk.DatasetColumn("Name", "string", "x")
