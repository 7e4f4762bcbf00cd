"""schemathesis against the JSON API that ``/api/schema/openapi.json`` describes.

A real server (uvicorn, on the test database: SQLite, or PostgreSQL and
Redis when the ``BALAI_TEST_*`` variables are set) serves Malang with every
installed plugin and its demo data. Every operation of the document is called with data
generated from the document, anonymous and signed in, and every response is
held to all of schemathesis's checks: no server error; a status code,
content type, headers and body the document declares; requests the document
allows accepted and ones it forbids refused; methods it does not list
refused with 405.

The document itself must describe the JSON API only (open data, payment
callbacks, any partner API), not the HTML pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from balai import demo
from balai.auth.accounts import create_user
from balai.testing import (
    DEFAULT_PASSWORD,
    TestDatabases,
    build_app,
    installed_plugin_slugs,
    run_in_city,
    write_config,
)
from balai.testing.server import serving
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

CITIZEN = "warga.api@example.id"
# Enough to reach every status each operation declares, small enough for CI
# (about a minute for the whole document on both sessions).
EXAMPLES = 60


@pytest.fixture(scope="module")
def api_server(tmp_path_factory: pytest.TempPathFactory, balai_test_servers: Any) -> Iterator[str]:
    """A live server for Malang (every plugin) and Semarang (none); yields its base URL."""
    folder = tmp_path_factory.mktemp("api-schema")
    config = write_config(folder / "instance", {"malang": installed_plugin_slugs(), "semarang": []})
    url = balai_test_servers.postgres_url or f"sqlite:///{folder / 'balai.db'}"
    app = build_app(config, TestDatabases(folder / "templates"), database_url=url)

    malang = app.ui.config.cities["malang"]

    async def seed() -> None:
        await demo.seed_city(app, malang)  # every plugin's demo data: datasets with rows
        await create_user(name="Warga API", email=CITIZEN, password=DEFAULT_PASSWORD)

    run_in_city(app, "malang", seed)
    with serving(app) as base_url:
        yield base_url


def _signed_in(base: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/malang/masuk", timeout=30)
    token = session.cookies.get("balai_csrf")
    answer = session.post(
        f"{base}/malang/masuk",
        data={"login": CITIZEN, "password": DEFAULT_PASSWORD, "_csrf_token": token, "next": ""},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 303, answer.text[:500]
    assert session.cookies.get("balai_session")
    return session


@pytest.fixture(scope="module")
def sessions(api_server: str) -> dict[str, requests.Session]:
    """An anonymous visitor's session and a signed-in citizen's."""
    return {"anonymous": requests.Session(), "signed in": _signed_in(api_server)}


@pytest.fixture(scope="module")
def api_schema(api_server: str) -> Any:
    """The server's OpenAPI document, loaded by schemathesis."""
    return schemathesis.openapi.from_url(f"{api_server}/api/schema/openapi.json")


def test_the_document_describes_the_json_api_and_not_the_pages(api_server: str):
    document = requests.get(f"{api_server}/api/schema/openapi.json", timeout=30).json()
    paths = set(document["paths"])
    assert {"/api/data", "/api/data/{slug}", "/api/bayar/callback/{provider}"} <= paths
    assert all(p.startswith("/api/") for p in paths), sorted(paths)
    assert not any(p.startswith(("/api/schema", "/api/sandbox-bank")) for p in paths)
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            assert "400" in statuses, (method, path)
            for status, answer in operation["responses"].items():
                if status == "304":  # Not Modified (a conditional GET): no body at all
                    assert not answer.get("content"), (path, status)
                    continue
                assert set(answer.get("content", {})) == {"application/json"}, (path, status)


def run_schemathesis(schema: Any, base_url: str, session: requests.Session) -> int:
    """Call every operation of ``schema`` with generated requests, each held to every check.

    Positive data (what the document allows) and negative data (what it
    forbids), :data:`EXAMPLES` of each per operation; a failing check raises
    with the request that made it fail. Returns how many calls were made.
    """
    calls = 0
    for found in schema.get_all_operations():
        operation = found.ok()
        for mode in GenerationMode:

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def call(case: Any) -> None:
                nonlocal calls
                calls += 1
                case.call_and_validate(base_url=base_url, session=session, timeout=30)

            try:
                call()
            except Unsatisfiable:
                # Nothing this operation takes can break the document's rules (no
                # inputs, or only free text): there is no negative request to send.
                if mode is not GenerationMode.NEGATIVE:
                    raise
    return calls


def test_every_dataset_of_the_demo_answers_as_documented(api_schema, sessions, api_server):
    base = f"{api_server}/malang"
    listed = sessions["anonymous"].get(f"{base}/api/data/", timeout=30).json()["datasets"]
    with_rows = 0
    operation = api_schema["/api/data/{slug}"]["GET"]
    for dataset in listed:
        for session in sessions.values():
            case = operation.Case(path_parameters={"slug": dataset["slug"]})
            answer = case.call_and_validate(base_url=base, session=session, timeout=30)
            assert answer.status_code == 200
            with_rows += bool(answer.json()["rows"])
    assert len(listed) >= 5 and with_rows > 0  # generated slugs hardly ever name one


def test_the_api_answers_anonymous_visitors_as_documented(api_schema, sessions, api_server):
    assert run_schemathesis(api_schema, f"{api_server}/malang", sessions["anonymous"]) > 0


def test_the_api_answers_a_signed_in_citizen_as_documented(api_schema, sessions, api_server):
    assert run_schemathesis(api_schema, f"{api_server}/malang", sessions["signed in"]) > 0


def test_a_run_without_server_errors_is_not_an_empty_one(api_schema: Any):
    operations = list(api_schema.get_all_operations())
    assert len(operations) >= 3
