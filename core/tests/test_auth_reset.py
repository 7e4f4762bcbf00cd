"""A forgotten password: a code to the contact, then a new password; no account discovery."""

from __future__ import annotations

import html
import re

from account_support import (
    PASSWORD,
    PHONE,
    PHONE_E164,
    SecondBrowser,
    emailed_codes,
    register,
    texted_codes,
)
from balai.audit.tables import AuditEntry
from balai.notifications.tables import OutboxMessage

NEW_PASSWORD = "kopi-tubruk-pagi-77"


def _text(page) -> str:
    return html.unescape(page.text)


def _other_code(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def _same_page(text: str) -> str:
    """A page without its per-browser tokens."""
    return re.sub(r"[0-9a-f]{64,}|[A-Za-z0-9_\-.]{40,}", "<token>", text)


def _forget(post_form, login: str):
    return post_form("/malang/lupa-sandi", {"login": login})


def _reset(post_form, code: str, password: str = NEW_PASSWORD):
    return post_form(
        "/malang/lupa-sandi/kode",
        {"code": code, "password": password, "password_confirm": password},
    )


def _log_in(post_form, login: str, password: str):
    return post_form("/malang/masuk", {"login": login, "password": password})


def test_a_texted_code_sets_a_new_password_and_signs_out_everywhere(
    client, balai_app, post_form, city_run
):
    register(post_form)
    # Another device stays signed in with the old password until the reset.
    other = SecondBrowser(client)

    assert (
        other.post_form("/malang/masuk", {"login": PHONE, "password": PASSWORD}).status_code == 303
    )
    assert other.get("/malang/akun/").status_code == 200

    client.cookies.clear()
    asked = _forget(post_form, PHONE)
    assert asked.status_code == 303
    assert asked.headers["location"] == "/malang/lupa-sandi/kode"
    page = client.get("/malang/lupa-sandi/kode")
    assert "+62812****7890" in page.text
    code = texted_codes(client)[0]  # the reset code is the newest text
    wrong = _reset(post_form, _other_code(code))
    assert wrong.status_code == 400 and "Kode salah" in _text(wrong)
    weak = _reset(post_form, code, "password2026!")
    assert weak.status_code == 400 and "terlalu mudah ditebak" in _text(weak)
    done = _reset(post_form, code)
    assert done.status_code == 303 and done.headers["location"] == "/malang/masuk"
    assert "Kata sandi Anda telah diganti" in _text(client.get("/malang/masuk"))

    # The other device's session ended with the old password.
    refused = other.get("/malang/akun/", follow_redirects=False)
    assert refused.status_code == 303 and refused.headers["location"].startswith("/malang/masuk")

    assert _log_in(post_form, PHONE, PASSWORD).status_code == 400
    assert _log_in(post_form, PHONE, NEW_PASSWORD).status_code == 303

    async def actions() -> list[str]:
        return [r["action"] for r in await AuditEntry.select(AuditEntry.action)]

    done_actions = city_run("malang", actions)
    assert "core.password_reset" in done_actions and "core.session_refused" in done_actions


def test_a_used_code_cannot_reset_again(client, post_form, city_run):
    register(post_form, phone="", email="siti@example.id")
    client.cookies.clear()
    _forget(post_form, "siti@example.id")
    code = emailed_codes(city_run, "siti@example.id")[0]
    assert _reset(post_form, code).status_code == 303
    _forget(post_form, "siti@example.id")
    newest = emailed_codes(city_run, "siti@example.id")[0]
    again = _reset(post_form, code, "teh-tarik-panas-88")
    if newest != code:
        assert again.status_code == 400
    assert _log_in(post_form, "siti@example.id", NEW_PASSWORD).status_code == 303


def test_an_unknown_login_gets_the_same_answer_and_nothing_is_sent(client, post_form, city_run):
    register(post_form)
    client.cookies.clear()
    known = _forget(post_form, PHONE)
    known_page = client.get("/malang/lupa-sandi/kode").text
    client.cookies.clear()
    unknown = _forget(post_form, "0813 1111 2222")
    unknown_page = client.get("/malang/lupa-sandi/kode").text
    assert (known.status_code, known.headers["location"]) == (
        unknown.status_code,
        unknown.headers["location"],
    )
    assert "+62812****7890" in known_page and "+62813****2222" in unknown_page
    assert _same_page(known_page.replace("+62812****7890", "<nomor>")) == _same_page(
        unknown_page.replace("+62813****2222", "<nomor>")
    )
    assert texted_codes(client, "+6281311112222") == []
    answer = _reset(post_form, "123456")
    assert answer.status_code == 400 and "Kode salah" in _text(answer)

    async def reset_codes() -> int:
        return await OutboxMessage.count().where(OutboxMessage.kind == "core.code_reset")

    assert city_run("malang", reset_codes) == 1  # only the known account's


def test_bulk_requests_to_one_number_are_throttled_alike_for_known_and_unknown(
    client, post_form, city_run
):
    register(post_form)
    client.cookies.clear()
    for login in (PHONE, "0813 1111 2222"):
        answers = [_forget(post_form, login).status_code for _ in range(4)]
        assert answers == [303, 303, 303, 429], login
    refused = _forget(post_form, PHONE)
    assert "Terlalu banyak permintaan kode" in _text(refused)
    # Only three reset texts reached the number (plus the registration's code).
    assert len(texted_codes(client, PHONE_E164)) == 4

    async def throttled() -> int:
        return await AuditEntry.count().where(AuditEntry.action == "core.reset_throttled")

    assert city_run("malang", throttled) == 3


def test_a_malformed_login_is_answered_with_a_message(client, post_form):
    answer = _forget(post_form, "bukan login")
    assert answer.status_code == 400
    assert "Masukkan email atau nomor ponsel Anda" in _text(answer)
    # The code page without a request first sends back to the form.
    assert client.get("/malang/lupa-sandi/kode", follow_redirects=False).headers["location"] == (
        "/malang/lupa-sandi"
    )


def test_the_login_form_shown_after_a_reset_works_with_its_own_token(client, post_form):
    """The page that shows the reset's message empties the session; its form must still work."""
    register(post_form)
    client.cookies.clear()
    _forget(post_form, PHONE)
    assert _reset(post_form, texted_codes(client)[0]).status_code == 303
    page = client.get("/malang/masuk")
    assert "Kata sandi Anda telah diganti" in _text(page)
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    answer = client.post(
        "/malang/masuk",
        data={"login": PHONE, "password": NEW_PASSWORD, "_csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303
