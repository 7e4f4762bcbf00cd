"""The per-login throttle counts one account however its login is spelled."""

from __future__ import annotations

import pytest
from balai.auth.accounts import create_user, normalise_phone
from balai.testing import run_in_city

PASSWORD = "rahasia-panjang-42"
NBSP = "\u00a0"


def _fail_then_try_right_password(client, balai_app, post_form, spellings, right_login):
    """Fail once with each spelling, from a fresh address each time; then log in rightly."""
    for attempt, login in enumerate(spellings):
        # An attacker who rotates addresses: the per-address counter never fills up.
        run_in_city(balai_app, "malang", balai_app.ui.throttle.reset, "login:malang:ip:testclient")
        answer = post_form("/malang/masuk", {"login": login, "password": f"salah-{attempt}-xyz"})
        assert answer.status_code == 400, (attempt, login)
    run_in_city(balai_app, "malang", balai_app.ui.throttle.reset, "login:malang:ip:testclient")
    return post_form("/malang/masuk", {"login": right_login, "password": PASSWORD})


def _budi(city_run):
    return city_run(
        "malang",
        lambda: create_user(
            name="Budi", email="budi@example.id", phone="+6281234567890", password=PASSWORD
        ),
    )


def test_email_spellings_share_one_counter(client, balai_app, city_run, post_form):
    _budi(city_run)
    spellings = [
        " budi@example.id",
        "budi@example.id ",
        "\tbudi@example.id",
        f"{NBSP}budi@example.id",
        "BUDI@Example.ID",
    ]
    answer = _fail_then_try_right_password(
        client, balai_app, post_form, spellings, "budi@example.id"
    )
    assert answer.status_code == 429


def test_phone_spellings_and_the_email_share_the_account_counter(
    client, balai_app, city_run, post_form
):
    _budi(city_run)
    spellings = [
        "081234567890",
        "+6281234567890",
        "6281234567890",
        f"{NBSP}0812 3456 7890\t",
        "budi@example.id",  # the same account through its other login
    ]
    answer = _fail_then_try_right_password(
        client, balai_app, post_form, spellings, "0812-3456-7890"
    )
    assert answer.status_code == 429


def test_unknown_logins_are_counted_normalised_too(client, balai_app, post_form):
    spellings = [
        " siapa@example.id",
        "SIAPA@example.id",
        f"siapa@example.id{NBSP}",
        "\tsiapa@example.id",
        "siapa@example.id",
    ]
    answer = _fail_then_try_right_password(
        client, balai_app, post_form, spellings, "siapa@example.id "
    )
    assert answer.status_code == 429


def test_a_right_login_after_fewer_failures_still_works(client, balai_app, city_run, post_form):
    _budi(city_run)
    answer = _fail_then_try_right_password(
        client, balai_app, post_form, ["0812 3456 7890", " budi@example.id"], "+62 812-3456-7890"
    )
    assert answer.status_code == 303


@pytest.mark.parametrize(
    "typed",
    ["٠٨١٢٣٤٥٦٧٨٩٠", "08١٢٣٤٥٦٧٨٩٠", "０８１２３４５６７８９０"],
)
def test_phone_numbers_are_ascii_digits_only(typed):
    assert normalise_phone(typed) is None
    assert normalise_phone("0812 3456 7890") == "+6281234567890"
