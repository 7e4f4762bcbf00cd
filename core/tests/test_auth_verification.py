"""Registration verifies the phone or email with a code before the account may pay or report."""

from __future__ import annotations

import html

import pytest
from account_support import PHONE_E164, emailed_codes, register, texted_codes
from balai import toolkit as tk
from balai.audit.tables import AuditEntry
from balai.tables import OneTimeCode, User
from balai.testing import build_app
from litestar import Request, Response, get, post
from test_platform_uji_plugin import uji_registry


@get("/bayar-uji", guards=[tk.require_verified], name="uji-verified-page")
async def verified_page(request: Request) -> Response:
    """A page only verified accounts may open."""
    return Response("halaman-terverifikasi")


@post("/bayar-uji", guards=[tk.require_verified], name="uji-verified-action")
async def verified_action(request: Request) -> Response:
    """An action only verified accounts may take."""
    return Response("aksi-diterima", status_code=200)


@pytest.fixture
def balai_app(balai_config, balai_database_url, balai_test_databases, balai_fast_passwords):
    """The core and ``uji`` with one page and one action behind ``require_verified``."""
    registry = uji_registry(extra_pages=(verified_page, verified_action))
    return build_app(
        balai_config, balai_test_databases, database_url=balai_database_url, registry=registry
    )


def _text(page) -> str:
    return html.unescape(page.text)


def test_registering_with_a_phone_texts_a_code_and_the_code_verifies(client, post_form, city_run):
    answer = register(post_form)
    assert answer.headers["location"] == "/malang/akun/verifikasi"
    page = client.get("/malang/akun/verifikasi")
    assert page.status_code == 200
    assert "+62812****7890" in page.text  # the number, masked
    codes = texted_codes(client)
    assert len(codes) == 1
    wrong = "000000" if codes[0] != "000000" else "111111"
    refused = post_form("/malang/akun/verifikasi", {"code": wrong})
    assert refused.status_code == 400
    assert "Kode salah" in _text(refused)
    accepted = post_form("/malang/akun/verifikasi", {"code": codes[0]})
    assert accepted.status_code == 303
    assert accepted.headers["location"] == "/malang/akun/"
    account = client.get("/malang/akun/")
    assert "Terverifikasi" in account.text and "Verifikasi sekarang" not in account.text

    async def verified() -> dict:
        return await User.select(User.phone_verified_at, User.email_verified_at).first()

    row = city_run("malang", verified)
    assert row["phone_verified_at"] is not None and row["email_verified_at"] is None
    # Used once: the same code again is refused (the account is verified, the page moves on).
    assert client.get("/malang/akun/verifikasi", follow_redirects=False).status_code == 303


def test_an_unverified_account_browses_but_may_not_act(client, post_form, city_run):
    register(post_form)
    assert client.get("/malang/").status_code == 200
    assert client.get("/malang/akun/").status_code == 200
    # A page: sent to verify, and back afterwards.
    page = client.get("/malang/uji/bayar-uji", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/malang/akun/verifikasi?next=/malang/uji/bayar-uji"
    # An action: refused with a clear answer, nothing done, audited.
    action = post_form("/malang/uji/bayar-uji", {})
    assert action.status_code == 403
    assert "Verifikasi akun Anda terlebih dahulu" in _text(action)
    assert "aksi-diterima" not in action.text

    async def denials() -> int:
        return await AuditEntry.count().where(AuditEntry.action == "core.permission_denied")

    assert city_run("malang", denials) == 1
    # The core's payments refuse too, before looking at the invoice.
    assert post_form("/malang/bayar/INV-TIDAKADA/mulai", {"method": "va"}).status_code == 403
    # Once verified, both work (the unknown invoice is then simply not found).
    code = texted_codes(client)[0]
    verified = post_form("/malang/akun/verifikasi", {"code": code, "next": "/malang/uji/bayar-uji"})
    assert verified.headers["location"] == "/malang/uji/bayar-uji"
    assert client.get("/malang/uji/bayar-uji").text == "halaman-terverifikasi"
    assert post_form("/malang/uji/bayar-uji", {}).text == "aksi-diterima"
    assert post_form("/malang/bayar/INV-TIDAKADA/mulai", {"method": "va"}).status_code == 404


def test_registering_with_an_email_only_mails_the_code(client, post_form, city_run):
    register(post_form, phone="", email="siti@example.id")
    codes = emailed_codes(city_run, "siti@example.id")
    assert len(codes) == 1
    assert texted_codes(client, PHONE_E164) == []
    assert post_form("/malang/akun/verifikasi", {"code": codes[0]}).status_code == 303

    async def verified() -> dict:
        return await User.select(User.email_verified_at).first()

    assert city_run("malang", verified)["email_verified_at"] is not None


def test_a_new_code_replaces_the_old_one_and_requests_are_throttled(client, post_form, city_run):
    register(post_form)
    first = texted_codes(client)[0]
    sent = post_form("/malang/akun/verifikasi/kirim", {})
    assert sent.status_code == 303
    assert len(texted_codes(client)) == 2
    refused = post_form("/malang/akun/verifikasi", {"code": first})
    if first != texted_codes(client)[0]:  # the earlier code stopped working
        assert refused.status_code == 400
        assert "Kode salah" in _text(refused)
    # Three codes per account in 15 minutes: the fourth request sends nothing.
    assert post_form("/malang/akun/verifikasi/kirim", {}).status_code == 303
    throttled = post_form("/malang/akun/verifikasi/kirim", {})
    assert throttled.status_code == 429
    assert "Terlalu banyak permintaan kode" in _text(throttled)
    assert len(texted_codes(client)) == 3

    async def refusals() -> list[str]:
        rows = await AuditEntry.select(AuditEntry.detail).where(
            AuditEntry.action == "core.code_refused"
        )
        return [r["detail"] for r in rows]

    assert any("throttled" in str(d) for d in city_run("malang", refusals))


def test_wrong_tries_use_up_the_code_and_an_expired_code_is_refused(client, post_form, city_run):
    register(post_form)
    code = texted_codes(client)[0]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        assert post_form("/malang/akun/verifikasi", {"code": wrong}).status_code == 400
    fifth = post_form("/malang/akun/verifikasi", {"code": wrong})
    assert "Terlalu banyak percobaan" in _text(fifth)
    blocked = post_form("/malang/akun/verifikasi", {"code": code})
    assert blocked.status_code == 400
    assert "Terlalu banyak percobaan" in _text(blocked)

    # A fresh code that has expired.
    post_form("/malang/akun/verifikasi/kirim", {})
    fresh = texted_codes(client)[0]

    async def expire() -> None:
        from datetime import UTC, datetime, timedelta

        past = datetime.now(UTC) - timedelta(minutes=1)
        await OneTimeCode.update({OneTimeCode.expires_at: past}).where(
            OneTimeCode.used_at.is_null()
        )

    city_run("malang", expire)
    expired = post_form("/malang/akun/verifikasi", {"code": fresh})
    assert expired.status_code == 400
    assert "kedaluwarsa" in _text(expired)


def test_codes_are_stored_as_hashes_only(client, post_form, city_run):
    register(post_form)
    code = texted_codes(client)[0]

    async def stored() -> list[dict]:
        return await OneTimeCode.select()

    rows = city_run("malang", stored)
    assert len(rows) == 1
    assert code not in str(rows[0]) and len(rows[0]["code_hash"]) == 64
