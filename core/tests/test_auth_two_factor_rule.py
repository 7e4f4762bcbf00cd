"""A city that requires a second factor of its officers; an administrator resets a lost one."""

from __future__ import annotations

import html

import pyotp
import pytest
from account_support import SecondBrowser
from balai.audit.tables import AuditEntry
from balai.auth.access import CITY_ADMIN
from balai.testing import write_config
from test_auth_two_factor import KEY, enrol
from test_platform_uji_plugin import SLUG


def _text(page) -> str:
    return html.unescape(page.text)


@pytest.fixture
def balai_config(tmp_path):
    """Malang requires a second factor of every officer."""
    return write_config(
        tmp_path / "instance",
        {"malang": [SLUG], "semarang": []},
        city_options={"malang": {"settings": {"core": {"two_factor_officers": True}}}},
    )


def test_a_city_rule_sends_officers_to_enrol_and_an_admin_resets_a_lost_device(
    client, balai_app, login_as, post_form, city_run
):
    officer = login_as("core.user_manager")
    page = client.get("/malang/kelola/", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/malang/akun/dua-langkah?next=/malang/kelola/"
    refused = post_form("/malang/kelola/pengguna", {"name": "X"})
    assert refused.status_code == 403 and "Pasang masuk dua langkah" in _text(refused)
    assert client.get("/malang/akun/").status_code == 200  # citizen pages stay open
    enrol(client, post_form)
    assert client.get("/malang/kelola/").status_code == 200
    kept = post_form("/malang/akun/dua-langkah/matikan", {"password": officer["password"]})
    assert kept.status_code == 400 and "mewajibkan" in _text(kept)

    # The phone is lost: an administrator resets it, with a reason, audited.
    admin_browser = SecondBrowser(client)
    admin_browser.login_as(balai_app, CITY_ADMIN, email="admin@example.id")
    assert admin_browser.get("/malang/kelola/", follow_redirects=False).status_code == 303
    page = admin_browser.get("/malang/akun/dua-langkah")
    key = KEY.search(page.text).group(1).replace(" ", "")
    assert (
        admin_browser.post_form(
            "/malang/akun/dua-langkah", {"code": pyotp.TOTP(key).now()}
        ).status_code
        == 200
    )
    url = f"/malang/kelola/pengguna/{officer['id']}/reset-dua-langkah"
    assert (
        admin_browser.post_form(url, {"reason": "Ponsel hilang, laporan 12/2026"}).status_code
        == 303
    )

    async def resets() -> int:
        return await AuditEntry.count().where(
            AuditEntry.action == "core.officer_second_factor_reset"
        )

    assert city_run("malang", resets) == 1
    # The officer's session ended; signing in again leads to enrolment.
    assert client.get("/malang/kelola/", follow_redirects=False).status_code == 303
    post_form("/malang/masuk", {"login": officer["login"], "password": officer["password"]})
    again = client.get("/malang/kelola/", follow_redirects=False)
    assert again.headers["location"].startswith("/malang/akun/dua-langkah")
