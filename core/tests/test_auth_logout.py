"""Logging out of one city: that city's login ends, the others stay, the cookie goes when empty."""

from __future__ import annotations

from balai.testing import make_login_as, make_post_form


def _session_set_cookie(answer) -> str:
    cookies = answer.headers.get_list("set-cookie")
    return next((c for c in cookies if c.startswith("balai_session=")), "")


def test_logout_of_the_only_city_deletes_the_cookie(client, login_as, post_form):
    login_as(None)
    answer = post_form("/malang/keluar", {})
    assert answer.status_code == 303
    cookie = _session_set_cookie(answer)
    assert "Max-Age=0" in cookie or "max-age=0" in cookie.lower(), cookie
    assert client.get("/malang/akun/", follow_redirects=False).status_code == 303


def test_logout_of_one_city_keeps_the_other_citys_login(client, balai_app, post_form):
    login_as = make_login_as(client, balai_app, make_post_form(client))
    login_as(None, "malang", name="Budi di Malang")
    login_as(None, "semarang", name="Budi di Semarang")
    assert client.get("/semarang/akun/", follow_redirects=False).status_code == 200
    answer = post_form("/malang/keluar", {})
    assert answer.status_code == 303
    assert client.get("/malang/akun/", follow_redirects=False).status_code == 303
    still = client.get("/semarang/akun/", follow_redirects=False)
    assert still.status_code == 200 and "Budi di Semarang" in still.text
