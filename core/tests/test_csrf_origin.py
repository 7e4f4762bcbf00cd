"""CSRF: a form is accepted only from the city's own pages, with a token bound to the session."""

from __future__ import annotations

import pytest
from balai.auth.accounts import create_user

PASSWORD = "rahasia-panjang-42"


@pytest.fixture
def budi(city_run):
    city_run("malang", lambda: create_user(name="Budi", email="budi@example.id", password=PASSWORD))
    return {"login": "budi@example.id", "password": PASSWORD}


def _token(client) -> str:
    client.get("/malang/masuk")
    return next(c.value for c in client.cookies.jar if c.name == "balai_csrf")


def _login(client, budi, headers):
    form = {**budi, "_csrf_token": _token(client)}
    return client.post("/malang/masuk", data=form, headers=headers, follow_redirects=False)


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://evil.example"},
        {"origin": "null"},
        {"origin": "http://testserver.evil.example"},
        {"origin": "http://malang.localhost"},  # another address, even a city's own host
        {"referer": "http://evil.example/malang/masuk"},
        {"origin": "http://evil.example", "referer": "http://testserver/malang/masuk"},
    ],
)
def test_a_form_sent_from_another_origin_is_refused(client, budi, headers):
    answer = _login(client, budi, headers)
    assert answer.status_code == 403
    assert "Formulir kedaluwarsa" in answer.text
    assert "balai_session" not in answer.headers.get("set-cookie", "")


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://testserver"},
        {"referer": "http://testserver/malang/masuk"},
        {},  # neither header (an old browser, a script): the token alone decides
    ],
)
def test_a_form_from_the_city_itself_is_accepted(client, budi, headers):
    assert _login(client, budi, headers).status_code == 303


def test_the_citys_own_host_is_its_origin(client, budi):
    host = {"host": "malang.localhost"}
    client.get("/masuk", headers=host)
    token = next(c.value for c in client.cookies.jar if c.name == "balai_csrf")
    answer = client.post(
        "/masuk",
        data={**budi, "_csrf_token": token},
        headers={**host, "origin": "http://malang.localhost"},
        follow_redirects=False,
    )
    assert answer.status_code == 303


@pytest.mark.parametrize(
    ("origin", "host", "same"),
    [
        ("https://kota.go.id", "kota.go.id:443", True),
        ("http://kota.go.id:80", "kota.go.id", True),
        ("http://127.0.0.1:8000", "127.0.0.1:8000", True),
        ("http://[::1]:8000", "[::1]:8000", True),
        ("http://[::1]", "[::1]", True),
        ("http://127.0.0.1:8001", "127.0.0.1:8000", False),
        ("https://KOTA.go.id", "kota.go.id", True),
        ("javascript:alert(1)", "kota.go.id", False),
        ("kota.go.id", "kota.go.id", False),
    ],
)
def test_same_origin_compares_host_and_port(origin, host, same):
    from balai.web.csrf import same_origin

    scope = {"headers": [(b"origin", origin.encode()), (b"host", host.encode())]}
    assert same_origin(scope) is same


# --- the token is bound to the session ------------------------------------------------


def _csrf_cookie(client) -> str:
    return next(c.value for c in client.cookies.jar if c.name == "balai_csrf")


def _plant(client, token: str) -> None:
    for cookie in list(client.cookies.jar):
        if cookie.name == "balai_csrf":
            client.cookies.jar.clear(cookie.domain, cookie.path, cookie.name)
    client.cookies.set("balai_csrf", token, domain="testserver.local", path="/")


@pytest.mark.parametrize("whose", ["anonymous", "signed in"])
def test_a_token_from_another_browser_does_not_work_in_a_session(
    client, login_as, post_form, whose
):
    # The attacker's own valid token: an anonymous visitor's, or that of their own session
    # (taken here in the same test browser, which then logs out).
    client.get("/malang/masuk")
    if whose == "signed in":
        login_as(None, name="Penyerang", email="penyerang@example.id")
        client.get("/malang/akun/")
    stolen = _csrf_cookie(client)
    if whose == "signed in":
        assert post_form("/malang/keluar", {}).status_code == 303
    login_as(None, name="Korban")
    # Cookie tossing: the attacker's token planted as the victim's cookie and sent in a form.
    _plant(client, stolen)
    answer = client.post("/malang/keluar", data={"_csrf_token": stolen}, follow_redirects=False)
    assert answer.status_code == 403
    assert client.get("/malang/akun/", follow_redirects=False).status_code == 200  # still in


def test_the_token_follows_the_session_through_login_and_logout(client, login_as, post_form):
    client.get("/malang/")
    anonymous = _csrf_cookie(client)
    account = login_as(None)
    signed_in = _csrf_cookie(client)
    assert signed_in != anonymous  # renewed with the session id at login
    page = client.get("/malang/akun/")
    assert f'value="{signed_in}"' in page.text  # forms carry the session's token
    assert post_form("/malang/keluar", {}).status_code == 303
    assert _csrf_cookie(client) != signed_in  # and again at logout
    again = post_form("/malang/masuk", {"login": account["login"], "password": account["password"]})
    assert again.status_code == 303
