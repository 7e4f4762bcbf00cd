"""The one rule for numbers in requests: ASCII digits that fit a database integer."""

from __future__ import annotations

import pytest
from balai.web.numbers import MAX_INT, plain_int
from hypothesis import given
from hypothesis import strategies as st


@given(st.integers(min_value=0, max_value=MAX_INT))
def test_every_integer_a_column_holds_is_read_back(value):
    assert plain_int(str(value)) == value


@given(st.integers(min_value=MAX_INT + 1))
def test_integers_past_the_column_are_refused(value):
    assert plain_int(str(value)) is None


@given(st.text())
def test_anything_but_ascii_digits_is_refused(text):
    if not (text.isascii() and text.isdigit()):
        assert plain_int(text) is None


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        " 1",
        "1 ",
        "-1",
        "+1",
        "1_000",
        "1e3",
        "1.0",
        "0x1",
        "\u0661",
        "\uff11",
        "1" * 40,
        7,
    ],
)
def test_malformed_numbers_are_refused(raw):
    assert plain_int(raw) is None


def test_leading_zeros_are_the_same_number():
    assert plain_int("007") == 7
    assert plain_int("0") == 0
