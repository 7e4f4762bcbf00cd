"""The holder's account page: password, contact, devices, deleting the account."""

from __future__ import annotations

import html

from account_support import PASSWORD, PHONE, SecondBrowser, register, texted_codes
from balai.audit.tables import AuditEntry
from balai.notifications.tables import OutboxMessage
from balai.tables import SignIn, User

NEW_PASSWORD = "kopi-tubruk-pagi-77"


def _text(page) -> str:
    return html.unescape(page.text)


def _verified(client, post_form) -> None:
    register(post_form)
    assert (
        post_form("/malang/akun/verifikasi", {"code": texted_codes(client)[0]}).status_code == 303
    )


def test_the_account_page_links_every_setting(client, post_form):
    _verified(client, post_form)
    page = client.get("/malang/akun/")
    for path in (
        "/akun/sandi",
        "/akun/kontak",
        "/akun/perangkat",
        "/akun/dua-langkah",
        "/akun/hapus",
    ):
        assert f'href="/malang{path}"' in page.text
        assert client.get(f"/malang{path}").status_code == 200


def test_changing_the_password_needs_the_current_one_and_signs_out_other_devices(
    client, balai_app, post_form, city_run
):
    _verified(client, post_form)
    other = SecondBrowser(client)
    assert (
        other.post_form("/malang/masuk", {"login": PHONE, "password": PASSWORD}).status_code == 303
    )
    wrong = post_form(
        "/malang/akun/sandi",
        {
            "current_password": "bukan-itu-123",
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    assert wrong.status_code == 400 and "Kata sandi salah" in _text(wrong)
    common = post_form(
        "/malang/akun/sandi",
        {
            "current_password": PASSWORD,
            "password": "1234567890",
            "password_confirm": "1234567890",
        },
    )
    assert common.status_code == 400 and "terlalu mudah ditebak" in _text(common)
    done = post_form(
        "/malang/akun/sandi",
        {
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    assert done.status_code == 303
    assert client.get("/malang/akun/").status_code == 200  # this device stays
    gone = other.get("/malang/akun/", follow_redirects=False)
    assert gone.status_code == 303
    assert "dikeluarkan dari perangkat ini" in _text(other.get("/malang/masuk"))


def test_devices_lists_sign_ins_and_signs_the_others_out(client, balai_app, post_form, city_run):
    _verified(client, post_form)
    other = SecondBrowser(client)
    other.post_form(
        "/malang/masuk",
        {"login": PHONE, "password": PASSWORD},
        headers={"user-agent": "PonselLain/1.0 (Android 14)"},
    )
    page = client.get("/malang/akun/perangkat")
    assert "PonselLain/1.0 (Android 14)" in page.text
    assert "Perangkat ini" in page.text and "Sedang masuk" in page.text
    assert post_form("/malang/akun/perangkat/keluar-lain", {}).status_code == 303
    assert other.get("/malang/akun/", follow_redirects=False).status_code == 303
    assert client.get("/malang/akun/").status_code == 200

    async def open_sign_ins() -> int:
        return await SignIn.count().where(SignIn.ended_at.is_null())

    assert city_run("malang", open_sign_ins) == 1


def test_a_new_phone_number_is_used_only_once_its_code_is_entered(client, post_form, city_run):
    _verified(client, post_form)
    wrong_password = post_form(
        "/malang/akun/kontak", {"contact": "0813 5555 6666", "password": "x"}
    )
    assert wrong_password.status_code == 400
    asked = post_form("/malang/akun/kontak", {"contact": "0813 5555 6666", "password": PASSWORD})
    assert asked.headers["location"] == "/malang/akun/kontak/kode"
    assert "+62813****6666" in client.get("/malang/akun/kontak/kode").text
    code = texted_codes(client, "+6281355556666")[0]

    async def phone() -> str:
        return (await User.select(User.phone).first())["phone"]

    assert city_run("malang", phone) == "+6281234567890"  # unchanged until the code
    assert post_form("/malang/akun/kontak/kode", {"code": code}).status_code == 303
    assert city_run("malang", phone) == "+6281355556666"
    reused = post_form("/malang/akun/kontak/kode", {"code": code})
    assert reused.status_code == 400 and "sudah dipakai" in _text(reused)


def test_an_address_of_another_account_is_refused(client, post_form):
    register(post_form, phone="0813 9999 0001", name="Budi Santoso")
    client.cookies.clear()
    _verified(client, post_form)
    taken = post_form("/malang/akun/kontak", {"contact": "0813 9999 0001", "password": PASSWORD})
    assert taken.status_code == 400 and "sudah dipakai akun lain" in _text(taken)


def test_deleting_the_account_erases_personal_data_and_keeps_a_pseudonymous_row(
    client, post_form, city_run
):
    _verified(client, post_form)
    no_confirm = post_form("/malang/akun/hapus", {"password": PASSWORD})
    assert no_confirm.status_code == 400 and "Centang kotak" in _text(no_confirm)
    wrong = post_form("/malang/akun/hapus", {"password": "salah-sekali-1", "confirm": "1"})
    assert wrong.status_code == 400
    done = post_form("/malang/akun/hapus", {"password": PASSWORD, "confirm": "1"})
    assert done.status_code == 303 and done.headers["location"] == "/malang/"
    assert "Akun Anda telah dihapus" in _text(client.get("/malang/"))

    async def left() -> tuple:
        user = await User.select().first()
        messages = await OutboxMessage.count()
        sign_ins = await SignIn.count()
        actions = [r["action"] for r in await AuditEntry.select(AuditEntry.action)]
        return user, messages, sign_ins, actions

    user, messages, sign_ins, actions = city_run("malang", left)
    assert user["name"] == f"#{user['id']}"
    assert (user["email"], user["phone"], user["is_active"]) == (None, None, False)
    assert user["deleted_at"] is not None and PASSWORD not in user["password_hash"]
    assert messages == 0  # notifications answered user_deleted
    assert sign_ins == 0
    assert "core.account_deleted" in actions
    assert post_form("/malang/masuk", {"login": PHONE, "password": PASSWORD}).status_code == 400


def test_an_officer_cannot_delete_their_own_account(client, login_as, post_form):
    officer = login_as("core.user_manager")
    refused = post_form("/malang/akun/hapus", {"password": officer["password"], "confirm": "1"})
    assert refused.status_code == 400
    assert "administrator kota" in _text(refused)
