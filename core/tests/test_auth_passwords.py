"""The password policy: length, the shipped list of common passwords, hashes upgraded at sign-in."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from balai.auth import passwords
from balai.auth.accounts import create_user
from balai.auth.passwords import common_passwords, is_common, password_problem
from balai.tables import User
from hypothesis import given
from hypothesis import strategies as st


@pytest.mark.parametrize(
    "password",
    [
        "1234567890",
        "qwertyuiop",
        "password2026!",
        "123bismillah",
        "Sayangku1234",
        "IndonesiaRaya45",
    ],
)
def test_common_passwords_and_their_variants_are_refused(password):
    assert is_common(password)
    assert password_problem(password) is not None


@pytest.mark.parametrize(
    "password", ["teh-manis-hangat-2026", "kopi-tubruk-pagi-77", "demo-malang-2026"]
)
def test_ordinary_long_passwords_pass(password):
    assert not is_common(password)
    assert password_problem(password, name="Siti Rahayu", login="siti@example.id") is None


def test_the_list_ships_with_the_package_and_is_lower_case():
    listed = common_passwords()
    assert len(listed) > 300
    assert all(word == word.lower() and word.strip() == word for word in listed)


_WORDS = sorted(w for w in common_passwords() if w[0].isalpha() and w[-1].isalpha())


@given(st.sampled_from(_WORDS), st.text("0123456789!@#._-", max_size=6))
def test_a_listed_word_with_digits_or_symbols_around_it_stays_common(word, tail):
    assert is_common(word + tail) and is_common(tail + word.upper())


def test_a_hash_with_old_parameters_is_upgraded_at_the_next_sign_in(
    client, post_form, city_run, monkeypatch
):
    old = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", old)
    city_run(
        "malang",
        lambda: create_user(
            name="Siti", email="siti@example.id", password="teh-manis-hangat-2026", verified=True
        ),
    )
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", stronger)

    async def stored() -> str:
        return (await User.select(User.password_hash).first())["password_hash"]

    before = city_run("malang", stored)
    assert "m=1024,t=1" in before
    answer = post_form(
        "/malang/masuk", {"login": "siti@example.id", "password": "teh-manis-hangat-2026"}
    )
    assert answer.status_code == 303
    after = city_run("malang", stored)
    assert "m=2048,t=2" in after and not stronger.check_needs_rehash(after)
