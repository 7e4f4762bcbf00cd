"""Outside development only the configured addresses are served; absolute links use them."""

from __future__ import annotations

import pytest
from balai.testing import open_client
from test_platform_uji_plugin import SLUG, uji_registry


@pytest.fixture
def production(balai_app_factory):
    return balai_app_factory(
        cities={"malang": [SLUG], "semarang": []},
        registry=uji_registry(),
        instance={"development": False},
        city_options={
            # Malang on its host and at the shared address's /malang/; Semarang only at its own.
            "malang": {"base_url": "https://balai.example.id/malang"},
            "semarang": {"hosts": [], "base_url": "https://layanan.semarangkota.go.id"},
        },
    )


@pytest.mark.parametrize(
    "host", ["evil.example", "malang.localhost.evil.example", "127.0.0.1", "semarang.localhost"]
)
def test_an_unknown_host_gets_400(production, host):
    with open_client(production, base_url="https://balai.example.id") as client:
        answer = client.get("/malang/masuk", headers={"host": host})
        assert answer.status_code == 400
        assert "text/html" in answer.headers["content-type"]
        assert "Permintaan tidak valid" in answer.text or "Bad request" in answer.text
        assert "balai_session" not in answer.headers.get("set-cookie", "")


@pytest.mark.parametrize("path", ["/malang/api/data/", "/api/data/"])
def test_the_json_api_refuses_an_unknown_host_in_json(production, path):
    with open_client(production, base_url="https://balai.example.id") as client:
        answer = client.get(path, headers={"host": "evil.example"})
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert body["status"] == 400 and set(body) == {"status", "error", "message"}


@pytest.mark.parametrize(
    ("host", "path"),
    [
        ("balai.example.id", "/malang/masuk"),  # the shared address, path-prefix form
        ("malang.localhost", "/masuk"),  # the city's own host
        ("MALANG.localhost:443", "/masuk"),  # case and port do not matter
        ("layanan.semarangkota.go.id", "/semarang/masuk"),  # a city's own base URL
    ],
)
def test_configured_hosts_are_served(production, host, path):
    with open_client(production, base_url="https://balai.example.id") as client:
        assert client.get(path, headers={"host": host}).status_code == 200


def test_development_serves_any_host(client):
    assert client.get("/malang/masuk", headers={"host": "anything.example"}).status_code == 200
