"""A reverse proxy mounts the platform under ``/layanan`` (``balai serve --root-path``).

The proxy strips ``/layanan`` and uvicorn, started with ``root_path``, puts
it back in front of the path (ASGI's ``root_path`` is part of ``path``). The
test client does the same here: requests go to ``/layanan/...`` with
``root_path="/layanan"``. Every link, redirect, static file and cookie must
then carry the prefix, or the browser would leave the proxy's mount.
"""

from __future__ import annotations

import re

import pytest
from balai.auth.accounts import create_user
from balai.config import ConfigError, check_root_path, load_config
from balai.testing import run_in_city
from balai.testing import testing_environ as environ_of_tests
from litestar.testing import TestClient

ROOT = "/layanan"


@pytest.fixture
def app(balai_app_factory):
    """The app mounted under ``/layanan``, with Sri's account (made before the client starts)."""
    built = balai_app_factory(cities={"malang": []}, instance={"root_path": ROOT})

    async def sri():
        return await create_user(
            name="Sri", email="sri@contoh.id", password="kata-sandi-panjang-1", verified=True
        )

    run_in_city(built, "malang", sri)
    return built


@pytest.fixture
def proxied(app):
    with TestClient(app=app, base_url="http://testserver", root_path=ROOT) as client:
        yield client


def _local_urls(html: str) -> list[str]:
    return [u for u in re.findall(r'(?:href|src|action)="([^"#]*)"', html) if u.startswith("/")]


def test_links_and_static_files_carry_the_mount_path(proxied):
    page = proxied.get(f"{ROOT}/malang/")
    assert page.status_code == 200
    urls = _local_urls(page.text)
    assert len(urls) > 10
    assert [u for u in urls if not u.startswith(f"{ROOT}/")] == []
    stylesheet = next(u for u in urls if ".css" in u)
    assert proxied.get(stylesheet).status_code == 200


def test_redirects_and_cookies_stay_under_the_mount_path(proxied):
    form = proxied.get(f"{ROOT}/malang/masuk")
    assert form.status_code == 200
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form.text)[1]
    csrf_cookie = form.headers.get_list("set-cookie")
    assert any("balai_csrf=" in c and f"Path={ROOT}" in c for c in csrf_cookie), csrf_cookie
    signed_in = proxied.post(
        f"{ROOT}/malang/masuk",
        data={"_csrf_token": token, "login": "sri@contoh.id", "password": "kata-sandi-panjang-1"},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303
    assert signed_in.headers["location"].startswith(f"{ROOT}/malang/")
    session = [c for c in signed_in.headers.get_list("set-cookie") if "balai_session=" in c]
    assert session and all(f"Path={ROOT}" in c for c in session)
    assert proxied.get(signed_in.headers["location"]).status_code == 200
    language = proxied.get(f"{ROOT}/malang/bahasa/en", follow_redirects=False)
    assert language.headers["location"].startswith(f"{ROOT}/malang/")
    assert f"Path={ROOT}" in language.headers["set-cookie"]


def test_a_missing_trailing_slash_redirects_inside_the_mount(proxied):
    answer = proxied.get(f"{ROOT}/malang", follow_redirects=False)
    assert answer.status_code in (301, 302, 307, 308)
    assert answer.headers["location"] == f"{ROOT}/malang/"


@pytest.mark.parametrize(
    ("raw", "path"), [("", ""), ("/layanan", "/layanan"), ("/a/b-c/", "/a/b-c"), ("/", "")]
)
def test_root_paths_are_read_plainly(raw, path):
    assert check_root_path(raw) == path


@pytest.mark.parametrize("raw", ["layanan", "/../etc", "/a b", "/a//b", "https://x/y", "/a/./b"])
def test_odd_root_paths_are_refused(raw, tmp_path):
    with pytest.raises(ConfigError, match="root_path"):
        check_root_path(raw)
    (tmp_path / "balai.toml").write_text(
        f'[instance]\nroot_path = "{raw}"\n[cities.malang]\nname = "Malang"\n'
    )
    with pytest.raises(ConfigError):
        load_config(tmp_path / "balai.toml", environ=environ_of_tests())
