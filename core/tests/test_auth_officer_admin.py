"""A city administrator changes officers' roles, suspends and reactivates them; all audited."""

from __future__ import annotations

import html
import json

import pytest
from account_support import SecondBrowser
from balai.audit.tables import AuditEntry
from balai.auth.access import CITY_ADMIN
from balai.tables import RoleGrant
from balai.testing import TEST_SECRET_KEY, open_client, run_redis_prefix, write_config
from test_platform_uji_plugin import SLUG, uji_registry


def _text(page) -> str:
    return html.unescape(page.text)


def _audit(city_run, action: str) -> list[dict]:
    async def rows() -> list[dict]:
        return await AuditEntry.select(
            AuditEntry.actor_id, AuditEntry.subject, AuditEntry.detail
        ).where(AuditEntry.action == action)

    found = city_run("malang", rows)
    for row in found:
        if isinstance(row["detail"], str):
            row["detail"] = json.loads(row["detail"] or "{}")
    return found


def _roles(city_run, user_id: int) -> list[str]:
    async def rows() -> list[str]:
        grants = await RoleGrant.select(RoleGrant.role).where(RoleGrant.user == user_id)
        return sorted(g["role"] for g in grants)

    return city_run("malang", rows)


@pytest.fixture
def officer_session(client, balai_app):
    """A second browser, logged in as a user manager (the officer the admin manages)."""
    browser = SecondBrowser(client)
    officer = browser.login_as(
        balai_app, "core.user_manager", name="Petugas Dua", email="petugas.dua@example.id"
    )
    yield browser, officer


def test_the_list_links_each_officer_to_their_page(client, login_as, officer_session, city_run):
    _, officer = officer_session
    login_as(CITY_ADMIN, name="Admin Malang")
    listing = client.get("/malang/kelola/pengguna")
    assert f'href="/malang/kelola/pengguna/{officer["id"]}"' in listing.text
    page = client.get(f"/malang/kelola/pengguna/{officer['id']}")
    assert page.status_code == 200
    assert "Petugas Dua" in page.text and "Riwayat masuk" in page.text
    assert "testclient" in page.text  # the officer's sign-in, with its address


def test_roles_change_with_a_reason_and_the_change_is_audited(
    client, login_as, officer_session, post_form, city_run
):
    _, officer = officer_session
    admin = login_as(CITY_ADMIN, name="Admin Malang")
    url = f"/malang/kelola/pengguna/{officer['id']}/peran"
    no_reason = post_form(url, {"role": [CITY_ADMIN], "reason": ""})
    assert no_reason.status_code == 400 and "Tuliskan alasan" in _text(no_reason)
    assert _roles(city_run, officer["id"]) == ["core.user_manager"]
    changed = post_form(url, {"role": [CITY_ADMIN], "reason": "Pindah ke Diskominfo"})
    assert changed.status_code == 303
    assert _roles(city_run, officer["id"]) == [CITY_ADMIN]
    [entry] = _audit(city_run, "core.officer_roles_changed")
    assert entry["actor_id"] == admin["id"] and entry["subject"] == f"user:{officer['id']}"
    assert entry["detail"]["added"] == [CITY_ADMIN]
    assert entry["detail"]["removed"] == ["core.user_manager"]
    assert entry["detail"]["reason"] == "Pindah ke Diskominfo"


def test_an_officer_cannot_change_their_own_roles(client, login_as, post_form, city_run):
    me = login_as("core.user_manager")
    answer = post_form(
        f"/malang/kelola/pengguna/{me['id']}/peran",
        {"role": ["core.user_manager"], "reason": "Saya ingin lebih"},
    )
    assert answer.status_code == 403
    assert "tidak dapat mengubah akun Anda sendiri" in _text(answer)
    assert _roles(city_run, me["id"]) == ["core.user_manager"]
    assert _audit(city_run, "core.officer_change_refused")[0]["detail"]["why"] == "own account"
    suspend = post_form(f"/malang/kelola/pengguna/{me['id']}/tangguhkan", {"reason": "coba-coba"})
    assert suspend.status_code == 403


def test_a_user_manager_cannot_grant_the_city_administrator_role(
    client, login_as, officer_session, post_form, city_run
):
    _, officer = officer_session
    login_as("core.user_manager")
    answer = post_form(
        f"/malang/kelola/pengguna/{officer['id']}/peran",
        {"role": [CITY_ADMIN], "reason": "Naik jabatan"},
    )
    assert answer.status_code == 400
    assert _roles(city_run, officer["id"]) == ["core.user_manager"]


def test_a_suspended_officers_open_session_is_refused_at_once(
    client, login_as, officer_session, post_form, city_run
):
    browser, officer = officer_session
    assert browser.get("/malang/kelola/").status_code == 200
    admin = login_as(CITY_ADMIN, name="Admin Malang")
    url = f"/malang/kelola/pengguna/{officer['id']}"
    assert (
        post_form(url + "/tangguhkan", {"reason": "Pindah tugas ke Dinas lain"}).status_code == 303
    )
    assert "Ditangguhkan" in client.get(url).text

    refused = browser.get("/malang/kelola/", follow_redirects=False)
    assert refused.status_code == 303 and refused.headers["location"].startswith("/malang/masuk")
    assert "Akun Anda ditangguhkan" in _text(browser.get("/malang/masuk"))
    entry = _audit(city_run, "core.session_refused")[0]
    assert entry["actor_id"] == officer["id"] and entry["detail"]["reason"] == "suspended"
    # A write from the old session changes nothing either.
    other = browser.post_form("/malang/kelola/pengguna", {"name": "Siluman"})
    assert other.status_code in (401, 403)

    login = browser.post_form(
        "/malang/masuk", {"login": officer["login"], "password": officer["password"]}
    )
    assert login.status_code == 403 and "Akun ini ditangguhkan" in _text(login)
    [suspended] = _audit(city_run, "core.officer_suspended")
    assert suspended["actor_id"] == admin["id"]
    assert suspended["detail"]["reason"] == "Pindah tugas ke Dinas lain"
    assert suspended["detail"]["sessions_ended"] == 1

    assert post_form(url + "/aktifkan", {"reason": "Kembali bertugas"}).status_code == 303
    again = browser.post_form(
        "/malang/masuk", {"login": officer["login"], "password": officer["password"]}
    )
    assert again.status_code == 303
    assert browser.get("/malang/kelola/").status_code == 200


def test_a_citizen_account_is_not_an_officer_page(client, balai_app, login_as):
    other = SecondBrowser(client)
    citizen = other.login_as(balai_app, None, email="warga@example.id")
    login_as(CITY_ADMIN)
    assert client.get(f"/malang/kelola/pengguna/{citizen['id']}").status_code == 404
    assert client.get("/malang/kelola/pengguna/999999").status_code == 404


@pytest.mark.redis
def test_suspension_ends_sessions_kept_in_redis(balai_app_factory, tmp_path, redis_url, city_run):
    environ = {
        "BALAI_SECRET_KEY": TEST_SECRET_KEY,
        "REDIS_URL": redis_url,
        "REDIS_KEY_PREFIX": run_redis_prefix(),
    }
    config = write_config(tmp_path / "redis", {"malang": [SLUG]}, environ=environ)
    app = balai_app_factory(config, registry=uji_registry())
    assert app.ui.redis is not None
    with open_client(app) as client:
        officer_browser = SecondBrowser(client)
        admin_browser = SecondBrowser(client)
        officer = officer_browser.login_as(app, "core.user_manager", email="petugas@example.id")
        admin_browser.login_as(app, CITY_ADMIN, email="admin@example.id")
        assert officer_browser.get("/malang/kelola/").status_code == 200
        answer = admin_browser.post_form(
            f"/malang/kelola/pengguna/{officer['id']}/tangguhkan", {"reason": "Cuti panjang"}
        )
        assert answer.status_code == 303
        refused = officer_browser.get("/malang/kelola/", follow_redirects=False)
        assert refused.status_code == 303
