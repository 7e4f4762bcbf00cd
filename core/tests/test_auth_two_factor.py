"""Two-step sign-in: enrolling an app, signing in with it, recovery codes, the city's rule."""

from __future__ import annotations

import html
import re
import time

import pyotp
from balai.audit.tables import AuditEntry
from balai.auth.two_factor import STEP, matching_step

KEY = re.compile(r'<span class="code-text">([A-Z2-7 ]+)</span>')
_RECOVERY = re.compile(r'<li class="code-text">([a-z0-9-]+)</li>')


def _text(page) -> str:
    return html.unescape(page.text)


def enrol(client, post_form) -> tuple[str, list[str]]:
    """Enrol an app through the pages; returns the key and the recovery codes."""
    page = client.get("/malang/akun/dua-langkah")
    assert page.status_code == 200 and "<svg" in page.text and "otpauth://totp/" in page.text
    key = KEY.search(page.text).group(1).replace(" ", "")
    totp = pyotp.TOTP(key)
    wrong = post_form(
        "/malang/akun/dua-langkah", {"code": "000000" if totp.now() != "000000" else "1"}
    )
    assert wrong.status_code == 400
    done = post_form("/malang/akun/dua-langkah", {"code": totp.at(time.time() - STEP)})
    assert done.status_code == 200
    codes = _RECOVERY.findall(done.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    return key, codes


def test_enrolled_officer_signs_in_with_a_code_and_never_twice_with_the_same(
    client, login_as, post_form, city_run
):
    officer = login_as("core.user_manager")
    key, _codes = enrol(client, post_form)
    client.cookies.clear()
    first = post_form("/malang/masuk", {"login": officer["login"], "password": officer["password"]})
    assert first.headers["location"] == "/malang/masuk/dua-langkah"
    assert client.get("/malang/kelola/", follow_redirects=False).status_code == 303  # not yet in
    code = pyotp.TOTP(key).now()
    assert post_form("/malang/masuk/dua-langkah", {"code": code}).status_code == 303
    assert client.get("/malang/kelola/").status_code == 200

    # The same code again (a replay, another browser) is refused.
    client.cookies.clear()
    post_form("/malang/masuk", {"login": officer["login"], "password": officer["password"]})
    replay = post_form("/malang/masuk/dua-langkah", {"code": code})
    assert replay.status_code == 400 and "sudah dipakai" in _text(replay)

    async def failures() -> int:
        return await AuditEntry.count().where(AuditEntry.action == "core.second_factor_failed")

    assert city_run("malang", failures) == 1


def test_a_recovery_code_works_once(client, login_as, post_form):
    officer = login_as("core.user_manager")
    _key, codes = enrol(client, post_form)
    answers = []
    for _ in range(2):
        client.cookies.clear()
        post_form("/malang/masuk", {"login": officer["login"], "password": officer["password"]})
        answers.append(post_form("/malang/masuk/dua-langkah", {"code": codes[0].upper()}))
        if answers[-1].status_code == 303:
            assert "9 kode pemulihan tersisa" in client.get("/malang/akun/dua-langkah").text
    assert [a.status_code for a in answers] == [303, 400]


def test_wrong_second_steps_are_throttled(client, login_as, post_form):
    officer = login_as("core.user_manager")
    enrol(client, post_form)
    client.cookies.clear()
    post_form("/malang/masuk", {"login": officer["login"], "password": officer["password"]})
    answers = [
        post_form("/malang/masuk/dua-langkah", {"code": "12345"}).status_code for _ in range(6)
    ]
    assert answers == [400] * 5 + [429]


def test_turning_it_off_needs_the_password(client, login_as, post_form):
    officer = login_as("core.user_manager")
    enrol(client, post_form)
    wrong = post_form("/malang/akun/dua-langkah/matikan", {"password": "bukan-ini-123"})
    assert wrong.status_code == 400
    off = post_form("/malang/akun/dua-langkah/matikan", {"password": officer["password"]})
    assert off.status_code == 303
    assert "otpauth://" in client.get("/malang/akun/dua-langkah").text  # offered again


def test_the_code_check_accepts_one_step_either_side_only():
    secret = pyotp.random_base32()
    now = 1_800_000_000.0
    totp = pyotp.TOTP(secret)
    step = int(now // STEP)
    assert matching_step(secret, totp.at(now), 0, now) == step
    assert matching_step(secret, totp.at(now - STEP), 0, now) == step - 1
    assert matching_step(secret, totp.at(now + STEP), 0, now) == step + 1
    assert matching_step(secret, totp.at(now - 3 * STEP), 0, now) is None
    assert matching_step(secret, totp.at(now), step, now) is None  # already used
    assert matching_step(secret, "12 34 5x", 0, now) is None
