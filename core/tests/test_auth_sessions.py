"""Sessions, CSRF, throttling and request limits, seen from the browser."""

from __future__ import annotations

import html

import pytest
from balai.auth.accounts import create_user
from balai.testing import TEST_SECRET_KEY, open_client, run_redis_prefix, write_config
from test_platform_uji_plugin import SLUG, uji_registry

PASSWORD = "rahasia-panjang-42"


def _session_cookie(client) -> str | None:
    for cookie in client.cookies.jar:
        if cookie.name == "balai_session":
            return cookie.value
    return None


def _set_session_cookie(client, value: str) -> None:
    for cookie in list(client.cookies.jar):
        if cookie.name == "balai_session":
            client.cookies.jar.clear(cookie.domain, cookie.path, cookie.name)
            client.cookies.set("balai_session", value, domain=cookie.domain, path=cookie.path)
            return
    client.cookies.set("balai_session", value, domain="testserver.local", path="/")


def _stored(balai_app, city_run, key: str) -> bytes | None:
    store = balai_app.litestar.stores.get("sessions")
    return city_run("malang", store.get, key)


def test_anonymous_pages_create_no_session(client, balai_app, city_run):
    page = client.get("/malang/")
    assert page.status_code == 200
    assert "balai_session" not in page.headers.get("set-cookie", "")
    assert _session_cookie(client) is None


def test_session_id_changes_at_login_and_the_old_one_is_worthless(
    client, balai_app, city_run, post_form
):
    city_run("malang", lambda: create_user(name="Budi", email="budi@example.id", password=PASSWORD))
    store = balai_app.litestar.stores.get("sessions")
    # An attacker plants a session id in the victim's browser before login.
    city_run("malang", store.set, "planted-session-id", b"{}", 3600)
    _set_session_cookie(client, "planted-session-id")
    answer = post_form("/malang/masuk", {"login": "budi@example.id", "password": PASSWORD})
    assert answer.status_code == 303
    new_id = _session_cookie(client)
    assert new_id and new_id != "planted-session-id"
    assert _stored(balai_app, city_run, "planted-session-id") is None
    assert _stored(balai_app, city_run, new_id) is not None
    assert client.get("/malang/akun/", follow_redirects=False).status_code == 200
    # The planted id does not carry the login.
    _set_session_cookie(client, "planted-session-id")
    assert client.get("/malang/akun/", follow_redirects=False).status_code == 303


def test_logging_in_twice_renews_the_id_again(client, login_as):
    login_as(None)
    first = _session_cookie(client)
    login_as("city_admin")
    second = _session_cookie(client)
    assert first and second and first != second


def test_logout_ends_the_session_record(client, balai_app, city_run, login_as, post_form):
    login_as(None)
    session_id = _session_cookie(client)
    assert _stored(balai_app, city_run, session_id) is not None
    answer = post_form("/malang/keluar", {})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/malang/"
    assert _stored(balai_app, city_run, session_id) is None
    assert _session_cookie(client) in (None, "null")
    assert client.get("/malang/akun/", follow_redirects=False).status_code == 303
    # Replaying the old cookie does not bring the login back.
    _set_session_cookie(client, session_id)
    assert client.get("/malang/akun/", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("tamper", ["append", "garbage", "empty-json"])
def test_tampered_session_cookie_is_treated_as_logged_out(client, login_as, tamper):
    login_as(None, name="Budi Santoso")
    real = _session_cookie(client)
    forged = {"append": real + "0", "garbage": "../../etc/passwd;%00", "empty-json": "{}"}[tamper]
    _set_session_cookie(client, forged)
    page = client.get("/malang/akun/", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"].startswith("/malang/masuk")
    home = client.get("/malang/")
    assert home.status_code == 200
    assert "Budi Santoso" not in home.text


def test_post_without_csrf_token_is_refused_with_form_expired(client, city_run):
    city_run("malang", lambda: create_user(name="Budi", email="budi@example.id", password=PASSWORD))
    client.get("/malang/masuk")  # the browser holds a CSRF cookie, the form lacks the token
    answer = client.post("/malang/masuk", data={"login": "budi@example.id", "password": PASSWORD})
    assert answer.status_code == 403
    assert "Formulir kedaluwarsa" in answer.text
    assert "balai_session" not in answer.headers.get("set-cookie", "")
    client.cookies.set("balai_lang", "en")
    answer = client.post("/malang/masuk", data={"login": "budi@example.id", "password": PASSWORD})
    assert answer.status_code == 403
    assert "Form expired" in answer.text


def test_post_with_a_forged_csrf_token_is_refused(client):
    client.get("/malang/daftar")
    answer = client.post("/malang/daftar", data={"name": "X", "_csrf_token": "0" * 128})
    assert answer.status_code == 403
    assert "Formulir kedaluwarsa" in answer.text


def test_htmx_post_with_the_csrf_header_is_accepted(client, city_run):
    city_run("malang", lambda: create_user(name="Budi", email="budi@example.id", password=PASSWORD))
    client.get("/malang/masuk")
    token = next(c.value for c in client.cookies.jar if c.name == "balai_csrf")
    answer = client.post(
        "/malang/masuk",
        data={"login": "budi@example.id", "password": PASSWORD},
        headers={"x-csrftoken": token, "hx-request": "true"},
        follow_redirects=False,
    )
    assert answer.status_code == 303


# --- throttling ---------------------------------------------------------------


def _throttled_app(balai_app_factory, tmp_path, redis: str | None):
    environ = {"BALAI_SECRET_KEY": TEST_SECRET_KEY}
    if redis:
        environ.update(REDIS_URL=redis, REDIS_KEY_PREFIX=run_redis_prefix())
    config = write_config(
        tmp_path / ("redis" if redis else "db"), {"malang": [SLUG], "semarang": []}, environ=environ
    )
    return balai_app_factory(config, registry=uji_registry())


def _check_sixth_attempt_is_throttled(app) -> None:
    from balai.testing import make_post_form, run_in_city

    with open_client(app) as client:
        post_form = make_post_form(client)
        run_in_city(
            app,
            "malang",
            lambda: create_user(name="Budi", email="budi@example.id", password=PASSWORD),
        )
        for attempt in range(5):
            answer = post_form(
                "/malang/masuk", {"login": "budi@example.id", "password": f"salah-{attempt}-xyz"}
            )
            assert answer.status_code == 400, attempt
        blocked = post_form("/malang/masuk", {"login": "budi@example.id", "password": PASSWORD})
        assert blocked.status_code == 429
        assert "Terlalu banyak percobaan yang gagal" in html.unescape(blocked.text)
        assert _session_cookie(client) is None  # even the right password does not log in
        # Another city counts its own attempts.
        assert (
            post_form(
                "/semarang/masuk", {"login": "x@example.id", "password": "salah-salah-1"}
            ).status_code
            == 400
        )


def test_sixth_login_attempt_is_throttled_in_the_database(balai_app_factory, tmp_path, city_run):
    app = _throttled_app(balai_app_factory, tmp_path, None)
    assert app.ui.throttle.redis is None
    _check_sixth_attempt_is_throttled(app)


@pytest.mark.redis
def test_sixth_login_attempt_is_throttled_in_redis(balai_app_factory, tmp_path, redis_url):
    import redis

    app = _throttled_app(balai_app_factory, tmp_path, redis_url)
    assert app.ui.throttle.redis is not None
    _check_sixth_attempt_is_throttled(app)
    counters = redis.Redis.from_url(redis_url)
    throttle = f"{run_redis_prefix()}throttle:login:malang:"
    try:
        keys = {k.decode() for k in counters.keys(f"{throttle}*")}
        # Budi's account is counted, however his login was typed.
        (account_key,) = [k for k in keys if k.startswith(f"{throttle}id:user:")]
        assert int(counters.get(account_key)) >= 5
        assert counters.ttl(account_key) > 0
    finally:
        counters.close()


@pytest.mark.redis
def test_sessions_live_in_redis_when_configured(balai_app_factory, tmp_path, redis_url):
    import redis
    from balai.testing import make_login_as, make_post_form

    app = _throttled_app(balai_app_factory, tmp_path, redis_url)
    with open_client(app) as client:
        make_login_as(client, app, make_post_form(client))(None)
        session_id = _session_cookie(client)
        store = redis.Redis.from_url(redis_url)
        try:
            assert store.exists(f"{run_redis_prefix()}session:{session_id}")
            make_post_form(client)("/malang/keluar", {})
            assert not store.exists(f"{run_redis_prefix()}session:{session_id}")
        finally:
            store.close()


# --- request limits -------------------------------------------------------------


def test_oversized_body_gets_the_413_page(balai_app_factory, city_run):
    app = balai_app_factory(
        cities={"malang": [SLUG], "semarang": []},
        registry=uji_registry(),
        instance={"max_body_bytes": 2048},
    )
    from balai.testing import make_post_form

    with open_client(app) as client:
        post_form = make_post_form(client)
        small = post_form("/malang/daftar", {"name": "", "email": "a@example.id"})
        assert small.status_code == 400
        big = post_form(
            "/malang/daftar", {"name": "x" * 5000, "email": "a@example.id", "password": "p" * 20}
        )
        assert big.status_code == 413
        assert "Terlalu besar" in big.text
        assert "text/html" in big.headers["content-type"]


def test_failed_logins_from_one_address_are_throttled_across_login_names(client, post_form):
    for attempt in range(5):
        answer = post_form(
            "/malang/masuk", {"login": f"orang{attempt}@example.id", "password": "salah-salah-1"}
        )
        assert answer.status_code == 400
    blocked = post_form(
        "/malang/masuk", {"login": "orang-baru@example.id", "password": "salah-salah-1"}
    )
    assert blocked.status_code == 429


def test_refused_forms_are_logged(client, caplog):
    client.get("/malang/masuk")
    with caplog.at_level("INFO", logger="balai.web"):
        client.post("/malang/masuk", data={"login": "x"})
    assert "403 on POST" in caplog.text
    assert "CSRF" in caplog.text
