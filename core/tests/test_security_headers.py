"""Security headers on every response, secure cookies in production, no leaked traces."""

from __future__ import annotations

import pytest
from balai.auth.accounts import create_user
from balai.testing import open_client, run_in_city
from test_platform_uji_plugin import FAILURE_MARKER, SLUG, uji_registry

PASSWORD = "rahasia-panjang-42"


def _assert_security_headers(response, *, hsts: bool) -> None:
    csp = response.headers.get("content-security-policy", "")
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers.get("x-content-type-options") == "nosniff"
    assert response.headers.get("referrer-policy") == "strict-origin-when-cross-origin"
    if hsts:
        assert response.headers["strict-transport-security"].startswith("max-age=")
    else:
        assert "strict-transport-security" not in response.headers


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/malang/", 200),
        ("/malang/masuk", 200),
        ("/static/t/default/css/balai.css", 200),
        ("/static/t/default/vendor/htmx/htmx.min.js", 200),
        ("/static/t/default/tidak-ada.css", 404),
        ("/malang/tidak-ada", 404),
        ("/bandung/", 404),
        ("/semarang/uji/", 404),
        ("/malang/kelola/", 303),
        ("/malang/uji/rusak", 500),
    ],
)
def test_every_kind_of_response_carries_the_security_headers(client, path, status):
    response = client.get(path, follow_redirects=False)
    assert response.status_code == status
    _assert_security_headers(response, hsts=False)
    # Each header once: nothing upstream duplicates them.
    assert len(response.headers.get_list("content-security-policy")) == 1


def test_post_errors_carry_the_security_headers(client):
    client.get("/malang/masuk")
    refused = client.post("/malang/masuk", data={"login": "x"})
    assert refused.status_code == 403
    _assert_security_headers(refused, hsts=False)


def test_static_files_are_served_with_their_type(client):
    css = client.get("/static/t/default/css/balai.css")
    assert css.headers["content-type"].startswith("text/css")


def test_a_failing_page_shows_the_generic_error_without_trace(client, caplog):
    with caplog.at_level("ERROR", logger="balai.web"):
        page = client.get("/malang/uji/rusak")
    assert page.status_code == 500
    assert "text/html" in page.headers["content-type"]
    assert "Terjadi kesalahan" in page.text
    for leak in (FAILURE_MARKER, "Traceback", "RuntimeError", "test_platform_uji_plugin", ".py"):
        assert leak not in page.text
    # The trace is logged for the operators instead.
    assert FAILURE_MARKER in caplog.text


def test_development_cookies_are_httponly_and_not_secure(client):
    page = client.get("/malang/masuk")
    csrf = page.headers["set-cookie"]
    assert "balai_csrf=" in csrf and "HttpOnly" in csrf
    assert "Secure" not in csrf


@pytest.fixture
def production_app(balai_app_factory):
    return balai_app_factory(
        cities={"malang": [SLUG], "semarang": []},
        registry=uji_registry(),
        instance={"development": False},
        city_options={"malang": {"base_url": "https://testserver.local/malang"}},
    )


def test_production_sends_hsts_and_secure_cookies(production_app):
    with open_client(production_app, base_url="https://testserver.local") as client:
        run_in_city(
            production_app,
            "malang",
            lambda: create_user(name="Budi", email="budi@example.id", password=PASSWORD),
        )
        page = client.get("/malang/masuk")
        _assert_security_headers(page, hsts=True)
        csrf_cookie = page.headers["set-cookie"]
        assert "balai_csrf=" in csrf_cookie
        assert "Secure" in csrf_cookie and "HttpOnly" in csrf_cookie
        token = next(c.value for c in client.cookies.jar if c.name == "balai_csrf")
        answer = client.post(
            "/malang/masuk",
            data={"login": "budi@example.id", "password": PASSWORD, "_csrf_token": token},
            follow_redirects=False,
        )
        assert answer.status_code == 303
        session_cookie = next(
            c for c in answer.headers.get_list("set-cookie") if "balai_session=" in c
        )
        for flag in ("Secure", "HttpOnly", "SameSite=lax"):
            assert flag.lower() in session_cookie.lower()
        language = client.get("/malang/bahasa/en", follow_redirects=False)
        lang_cookie = language.headers["set-cookie"]
        assert "balai_lang=en" in lang_cookie and "Secure" in lang_cookie
        _assert_security_headers(client.get("/bandung/"), hsts=True)
        _assert_security_headers(client.get("/static/t/default/css/balai.css"), hsts=True)
