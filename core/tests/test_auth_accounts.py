"""Registration, login and logout through the pages, as a citizen uses them."""

from __future__ import annotations

import html

import pytest
from balai.tables import User

GOOD = {
    "name": "Siti Rahayu",
    "email": "siti@example.id",
    "phone": "",
    "password": "rahasia-panjang-42",
    "password_confirm": "rahasia-panjang-42",
}


def _text(page) -> str:
    return html.unescape(page.text)


def test_register_creates_the_account_and_logs_in(client, post_form, city_run):
    answer = post_form("/malang/daftar", GOOD)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/malang/akun/verifikasi"
    account = client.get("/malang/akun/")
    assert account.status_code == 200
    assert "Siti Rahayu" in account.text
    assert "siti@example.id" in account.text

    async def users():
        return await User.select(User.name, User.email, User.password_hash)

    rows = city_run("malang", users)
    assert [(r["name"], r["email"]) for r in rows] == [("Siti Rahayu", "siti@example.id")]
    assert rows[0]["password_hash"].startswith("$argon2id$")
    assert "rahasia-panjang-42" not in rows[0]["password_hash"]
    assert city_run("semarang", users) == []


def test_register_with_a_phone_number_only(client, post_form):
    form = {**GOOD, "email": "", "phone": "0812-3456-7890"}
    assert post_form("/malang/daftar", form).status_code == 303
    client.post("/malang/keluar", data={"_csrf_token": client.cookies.get("balai_csrf")})
    answer = post_form(
        "/malang/masuk", {"login": "+62 812 3456 7890", "password": GOOD["password"]}
    )
    assert answer.status_code == 303


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": ""}, "Isi nama Anda (2 sampai 120 karakter)."),
        ({"email": "bukan-email"}, "Masukkan alamat email yang valid"),
        ({"email": "", "phone": "12345"}, "Masukkan nomor ponsel Indonesia"),
        ({"email": "", "phone": ""}, None),
        ({"password": "pendek", "password_confirm": "pendek"}, "Gunakan minimal 10 karakter."),
        ({"password_confirm": "rahasia-lain-42"}, "Kedua kata sandi tidak sama."),
    ],
    ids=["empty-name", "bad-email", "bad-phone", "no-contact", "short-password", "mismatch"],
)
def test_register_refuses_bad_input_with_a_message(client, post_form, city_run, change, message):
    answer = post_form("/malang/daftar", {**GOOD, **change})
    assert answer.status_code == 400
    assert "balai_session" not in answer.headers.get("set-cookie", "")
    if message is not None:
        assert message in _text(answer)
    assert 'class="field-error"' in answer.text or "form-errors" in answer.text
    assert city_run("malang", User.count) == 0
    # What the visitor typed (except passwords) is kept in the form.
    if change.get("email") == "bukan-email":
        assert 'value="bukan-email"' in answer.text
    assert GOOD["password"] not in answer.text


def test_register_refuses_an_email_already_used_in_the_city(client, post_form, city_run):
    assert post_form("/malang/daftar", GOOD).status_code == 303
    client.cookies.clear()
    again = post_form("/malang/daftar", {**GOOD, "email": "SITI@example.id", "name": "Siti Lain"})
    assert again.status_code == 400
    assert "Akun dengan email ini sudah terdaftar." in _text(again)
    assert city_run("malang", User.count) == 1
    # Each city has its own accounts: the same address may register in Semarang.
    assert post_form("/semarang/daftar", GOOD).status_code == 303


def test_register_messages_in_english(client, post_form):
    client.cookies.set("balai_lang", "en")
    answer = post_form("/malang/daftar", {**GOOD, "password_confirm": "something-else-42"})
    assert answer.status_code == 400
    assert "The two passwords differ." in answer.text


def test_login_with_good_credentials(client, post_form, city_run):
    from balai.auth.accounts import create_user

    city_run(
        "malang",
        lambda: create_user(name="Budi", email="budi@example.id", password=GOOD["password"]),
    )
    answer = post_form(
        "/malang/masuk",
        {"login": "Budi@Example.id", "password": GOOD["password"], "next": "/malang/cari"},
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/malang/cari"
    assert "Budi" in client.get("/malang/akun/").text


def test_login_in_one_city_does_not_log_in_another(client, login_as):
    login_as(None, "malang", name="Warga Malang")
    assert client.get("/malang/akun/", follow_redirects=False).status_code == 200
    assert client.get("/semarang/akun/", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (
            {"login": "budi@example.id", "password": "salah-sekali-99"},
            "Email/nomor ponsel atau kata sandi salah.",
        ),
        (
            {"login": "tidak-ada@example.id", "password": GOOD["password"]},
            "Email/nomor ponsel atau kata sandi salah.",
        ),
        ({"login": "", "password": GOOD["password"]}, "Masukkan email atau nomor ponsel Anda"),
    ],
    ids=["wrong-password", "unknown-login", "empty-login"],
)
def test_login_with_bad_credentials_is_refused(client, post_form, city_run, form, message):
    from balai.auth.accounts import create_user

    city_run(
        "malang",
        lambda: create_user(name="Budi", email="budi@example.id", password=GOOD["password"]),
    )
    answer = post_form("/malang/masuk", form)
    assert answer.status_code == 400
    assert "balai_session" not in answer.headers.get("set-cookie", "")
    if message:
        assert message.split(" Anda")[0] in _text(answer)
    assert client.get("/malang/akun/", follow_redirects=False).status_code == 303


def test_account_page_sends_visitors_to_the_login_form_and_back(client, post_form, city_run):
    from urllib.parse import parse_qs, urlsplit

    from balai.auth.accounts import create_user

    city_run(
        "malang",
        lambda: create_user(name="Budi", email="budi@example.id", password=GOOD["password"]),
    )
    answer = client.get("/malang/akun/", follow_redirects=False)
    assert answer.status_code == 303
    target = urlsplit(answer.headers["location"])
    assert target.path == "/malang/masuk"
    next_url = parse_qs(target.query)["next"][0]
    assert next_url.startswith("/malang/akun")
    login_page = client.get(answer.headers["location"])
    assert f'name="next" value="{next_url}"' in login_page.text
    done = post_form(
        "/malang/masuk",
        {"login": "budi@example.id", "password": GOOD["password"], "next": next_url},
    )
    assert done.status_code == 303
    assert done.headers["location"] == next_url
    assert "Budi" in client.get(next_url).text
