"""Open311 GeoReport v2: spoken to by a published client library (georeport) over HTTP.

A real server (uvicorn in a thread, as the API schema test runs) serves
Malang with this plugin. ``georeport`` 0.3.1 reads services, definitions and
requests in JSON and XML; it has no call to create a request, so creating is
done with ``requests`` as the specification describes (a form POST), and
the library reads the result back.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from balai.testing import TestDatabases, build_app, run_in_city, write_config
from balai.testing.server import serving
from georeport import GeoReport

from balai_pengaduan.open311 import keys
from balai_pengaduan.tables import ApiClient, Report

BOUNDS = {"south": -8.05, "west": 112.57, "north": -7.90, "east": 112.70}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, balai_test_servers: Any) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("open311")
    config = write_config(
        folder / "instance",
        {"malang": ["pengaduan"], "semarang": ["pengaduan"]},
        city_options={"malang": {"settings": {"pengaduan": {"bounds": BOUNDS}}}},
    )
    url = balai_test_servers.postgres_url or f"sqlite:///{folder / 'balai.db'}"
    app = build_app(config, TestDatabases(folder / "templates"), database_url=url)

    async def register() -> str:
        return (await keys.register("Aplikasi Uji", created_by=1))[1]

    async def stored() -> list[dict]:
        return await ApiClient.select(ApiClient.key_hash, ApiClient.key_hint)

    key = run_in_city(app, "malang", register)
    other_key = run_in_city(app, "semarang", register)
    # Read before serving: on PostgreSQL the served app's pool belongs to the server's loop.
    keys_stored = run_in_city(app, "malang", stored)
    with serving(app) as base:
        yield {
            "keys_stored": keys_stored,
            "base": base,
            "key": key,
            "other_key": other_key,
            "app": app,
            "root": f"{base}/malang/api/pengaduan/georeport/v2",
        }


def create(server: dict, fmt: str = "json", **fields: str) -> requests.Response:
    data = {
        "api_key": server["key"],
        "service_code": "lampu",
        "lat": "-7.9666",
        "long": "112.6326",
        "description": "Lampu jalan mati di Jl. Ijen.",
        "first_name": "Siti",
        "phone": "081234567890",
        **fields,
    }
    return requests.post(f"{server['root']}/requests.{fmt}", data=data, timeout=30)


def count(server: dict) -> int:
    """How many requests the city has, read through the API (the served app owns the pool)."""
    answer = requests.get(f"{server['root']}/requests.json", params={"page_size": 200}, timeout=30)
    assert answer.status_code == 200
    return len(answer.json())


def test_services_and_definitions_through_georeport(server):
    for fmt in ("json", "xml"):
        client = GeoReport(server["root"], output_format=fmt)
        services = client.get_service_list()
        codes = {s["service_code"] for s in services}
        assert {"lampu", "kebakaran"} <= codes
        lampu = next(s for s in services if s["service_code"] == "lampu")
        assert lampu["service_name"] == "Lampu jalan mati"
        assert lampu["metadata"] in (False, "false")
        definition = client.get_service_definition("lampu")
        assert definition["service_code"] == "lampu"


def test_create_then_read_back_with_georeport(server):
    answer = create(server)
    assert answer.status_code == 201, answer.text
    (made,) = answer.json()
    number = made["service_request_id"]
    for fmt in ("json", "xml"):
        client = GeoReport(server["root"], output_format=fmt)
        one = client.get_service_request(number)
        assert one["service_request_id"] == number
        assert one["status"] == "open" and one["service_code"] == "lampu"
        assert "Siti" not in str(one) and "0812" not in str(one)
        listed = client.get_service_requests(service_code="lampu", status="open")
        listed = listed if isinstance(listed, list) else [listed]
        assert number in {r["service_request_id"] for r in listed}
    # (georeport 0.3.1 cannot read an empty XML list: asked in JSON)
    closed = GeoReport(server["root"]).get_service_requests(status="closed")
    assert number not in {r["service_request_id"] for r in closed}
    xml = create(server, fmt="xml")
    assert xml.status_code == 201 and "<service_request_id>NGL-" in xml.text


def test_wrong_key_and_missing_fields_get_the_specifications_errors(server):
    before = count(server)
    wrong = create(server, api_key="not-a-key")
    assert wrong.status_code == 403
    assert wrong.json()[0]["code"] == 403 and wrong.json()[0]["description"]
    other_city = create(server, api_key=server["other_key"])
    assert other_city.status_code == 403
    for fields in (
        {"service_code": ""},
        {"service_code": "pju"},
        {"description": "x"},
        {"lat": "", "long": ""},
        {"lat": "-6.99", "long": "110.42"},
        {"lat": "abc"},
    ):
        answer = create(server, **fields)
        assert answer.status_code == 400, (fields, answer.text)
        assert all({"code", "description"} <= set(e) for e in answer.json())
    xml = create(server, fmt="xml", api_key="nope")
    assert xml.status_code == 403 and "<errors><error><code>403</code>" in xml.text
    assert count(server) == before


def test_unknown_ids_and_bad_filters(server):
    root = server["root"]
    missing = requests.get(f"{root}/requests/NGL-2026-AAAA-AAAA-A.json", timeout=30)
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404
    assert requests.get(f"{root}/services/nope.json", timeout=30).status_code == 404
    for query in (
        {"status": "pending"},
        {"start_date": "yesterday"},
        {"page_size": "0"},
        {"service_code": "LAMPU!"},
        {"status": ""},
        {"end_date": ""},
        {"service_code": ""},
    ):
        assert requests.get(f"{root}/requests.json", params=query, timeout=30).status_code == 400
    dated = requests.get(
        f"{root}/requests.json",
        params={"start_date": "2000-01-01T00:00:00Z", "end_date": "2000-12-31T00:00:00+07:00"},
        timeout=30,
    )
    assert dated.status_code == 200 and dated.json() == []


def test_the_list_query_uses_an_index(server):
    """The Open311 list and the board are served by a (city, created_at) index, not a scan."""
    from balai_pengaduan.open311.api import list_select

    async def plan() -> str | None:
        if Report._meta.db.engine_type != "sqlite":
            return None
        query = str(list_select(["lampu"], ["open"], None, None, 50))
        rows = await Report.raw(f"EXPLAIN QUERY PLAN {query}")
        return " ".join(str(r) for r in rows)

    text = run_in_city(server["app"], "malang", plan)
    if text is None:
        pytest.skip("the plan text is SQLite's")
    assert "USING INDEX" in text and "SCAN pengaduan_report" not in text.replace("USING INDEX", "")


def test_keys_are_stored_hashed(server):
    (row,) = server["keys_stored"]
    assert row["key_hash"] == keys.digest(server["key"]) and server["key"] not in str(row)


def test_a_search_without_start_date_covers_90_days_up_to_end_date(server):
    from datetime import UTC, datetime, timedelta

    made = create(server)
    assert made.status_code == 201, made.text
    number = made.json()[0]["service_request_id"]
    root = server["root"]

    def found(**params: str) -> bool:
        answer = requests.get(f"{root}/requests.json", params=params, timeout=30)
        assert answer.status_code == 200, answer.text
        return number in [r["service_request_id"] for r in answer.json()]

    later = (datetime.now(UTC) + timedelta(days=100)).strftime("%Y-%m-%dT%H:%M:%SZ")
    yesterday = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert found()  # no dates: the last 90 days
    assert not found(end_date=later)  # 90 days before that end: the window starts in 10 days
    assert found(end_date=later, start_date=yesterday)
    too_many = requests.get(f"{root}/requests.json", params={"page_size": "201"}, timeout=30)
    assert too_many.status_code == 400 and "200" in too_many.json()[0]["description"]
