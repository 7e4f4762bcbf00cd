"""The city administrator's officer accounts page, and who may open it."""

from __future__ import annotations

import html

import pytest
from balai.auth.access import CITY_ADMIN
from balai.tables import RoleGrant, User

PASSWORD = "rahasia-panjang-42"
OFFICER = {
    "name": "Petugas Satu",
    "email": "petugas@example.id",
    "password": PASSWORD,
    "role": "core.user_manager",
}


def test_visitors_are_sent_to_log_in(client):
    answer = client.get("/malang/kelola/pengguna", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/malang/masuk?next=")


def test_a_citizen_is_forbidden(client, login_as, post_form):
    login_as(None)
    page = client.get("/malang/kelola/pengguna")
    assert page.status_code == 403
    assert "Akses ditolak" in page.text
    assert client.get("/malang/kelola/").status_code == 403
    refused = post_form("/malang/kelola/pengguna", OFFICER)
    assert refused.status_code == 403


def test_city_admin_creates_an_officer_who_can_then_log_in(client, login_as, post_form, city_run):
    login_as(CITY_ADMIN, name="Admin Malang")
    page = client.get("/malang/kelola/pengguna")
    assert page.status_code == 200
    assert 'value="core.user_manager"' in page.text
    answer = post_form("/malang/kelola/pengguna", OFFICER)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/malang/kelola/pengguna"
    listing = client.get("/malang/kelola/pengguna")
    assert "Akun petugas telah dibuat." in listing.text
    assert "Petugas Satu" in listing.text and "petugas@example.id" in listing.text

    async def grants():
        user = await User.select(User.id).where(User.email == "petugas@example.id").first()
        return [
            g["role"]
            for g in await RoleGrant.select(RoleGrant.role).where(RoleGrant.user == user["id"])
        ]

    assert city_run("malang", grants) == ["core.user_manager"]
    assert city_run("semarang", User.count) == 0

    # The new officer logs in and may manage officers too (the role grants it).
    client.cookies.clear()
    assert (
        post_form(
            "/malang/masuk", {"login": "petugas@example.id", "password": PASSWORD}
        ).status_code
        == 303
    )
    assert client.get("/malang/kelola/pengguna").status_code == 200


def test_an_officer_of_malang_is_nobody_in_semarang(client, login_as):
    login_as(CITY_ADMIN, "malang")
    assert client.get("/malang/kelola/pengguna").status_code == 200
    assert client.get("/semarang/kelola/pengguna", follow_redirects=False).status_code == 303


def test_city_admin_form_refuses_bad_input(client, login_as, post_form, city_run):
    admin = login_as(CITY_ADMIN)
    cases = [
        ({"role": "pajak.kepala"}, "Pilih salah satu peran yang tersedia."),
        ({"role": ""}, "Pilih salah satu peran yang tersedia."),
        ({"email": "bukan-email"}, "Masukkan alamat email yang valid"),
        ({"name": "x"}, "Isi nama Anda (2 sampai 120 karakter)."),
        ({"password": "pendek"}, "Gunakan minimal 10 karakter."),
        ({"email": admin["login"]}, "Akun dengan email ini sudah terdaftar."),
    ]
    for change, message in cases:
        answer = post_form("/malang/kelola/pengguna", {**OFFICER, **change})
        assert answer.status_code == 400, change
        assert message in html.unescape(answer.text), change
    assert city_run("malang", User.count) == 1  # only the admin


def test_only_a_city_admin_may_create_another_city_admin(client, login_as, post_form, city_run):
    login_as(CITY_ADMIN)
    assert f'value="{CITY_ADMIN}"' in client.get("/malang/kelola/pengguna").text
    client.cookies.clear()
    login_as("core.user_manager")
    page = client.get("/malang/kelola/pengguna")
    assert page.status_code == 200
    assert f'value="{CITY_ADMIN}"' not in page.text
    answer = post_form("/malang/kelola/pengguna", {**OFFICER, "role": CITY_ADMIN})
    assert answer.status_code == 400
    assert "Pilih salah satu peran yang tersedia." in answer.text

    async def admins():
        return await RoleGrant.count().where(RoleGrant.role == CITY_ADMIN)

    assert city_run("malang", admins) == 1


def test_the_test_kit_refuses_an_undeclared_role(client, login_as):
    with pytest.raises(ValueError, match=r"no role 'pajak\.kepala' is declared"):
        login_as("pajak.kepala")
