"""Reference numbers: format, check character, reading what people type, uniqueness."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from balai.references import ALPHABET, ReferenceFormat, check_character, random_code
from hypothesis import given
from hypothesis import strategies as st

ORDER = ReferenceFormat("UMK")
PLAIN = ReferenceFormat("ADU", with_year=False, length=6)
codes = st.text(alphabet=ALPHABET, min_size=4, max_size=16)


def test_random_codes_use_the_whole_alphabet_at_every_length():
    for length in (1, 7, 8, 13):
        made = [random_code(length) for _ in range(400)]
        assert all(len(code) == length for code in made)
        assert set("".join(made)) == set(ALPHABET)


def test_a_number_has_prefix_year_groups_and_check_character():
    number = ORDER.new(datetime(2026, 3, 1, tzinfo=UTC))
    prefix, year, first, second, check = number.split("-")
    assert (prefix, year) == ("UMK", "2026")
    assert len(first) == len(second) == 4 and len(check) == 1
    assert check == check_character(year + first + second)
    assert len(number) == ORDER.max_length == 20
    assert not set(first + second) & set("ILOU")


def test_a_format_without_year_and_an_odd_length():
    number = PLAIN.new()
    assert number.startswith("ADU-") and number.count("-") == 3
    assert len(number) == PLAIN.max_length
    assert PLAIN.parse(number) == number


@pytest.mark.parametrize("prefix", ["", "inv", "TOOLONGPREFIX", "9AB", "A-B"])
def test_bad_prefixes_are_refused(prefix):
    with pytest.raises(ValueError):
        ReferenceFormat(prefix)


@given(codes)
def test_every_single_wrong_character_is_caught(body):
    check = check_character(body)
    for position in range(len(body)):
        for other in ALPHABET:
            if other != body[position]:
                changed = body[:position] + other + body[position + 1 :]
                assert check_character(changed) != check


@given(codes)
def test_every_swap_of_neighbours_is_caught(body):
    check = check_character(body)
    for position in range(len(body) - 1):
        a, b = body[position], body[position + 1]
        if a != b:
            swapped = body[:position] + b + a + body[position + 2 :]
            assert check_character(swapped) != check


@given(st.integers(min_value=2000, max_value=2999))
def test_parse_reads_what_people_type(year):
    number = ORDER.new(datetime(year, 1, 1, tzinfo=UTC))
    assert ORDER.parse(number) == number
    assert ORDER.parse(number.lower()) == number
    assert ORDER.parse(" " + number.replace("-", " ") + " ") == number
    assert ORDER.parse(number.replace("-", "")) == number
    assert ORDER.parse(number.replace("0", "O").replace("1", "l")) == number


@given(st.text(max_size=40))
def test_parse_never_raises_and_accepts_only_valid_numbers(typed):
    parsed = ORDER.parse(typed)
    assert parsed is None or ORDER.parse(parsed) == parsed


def test_parse_refuses_a_wrong_check_character_prefix_or_length():
    number = ORDER.new()
    wrong = ALPHABET[(ALPHABET.index(number[-1]) + 1) % 32]
    assert ORDER.parse(number[:-1] + wrong) is None
    assert ORDER.parse("INV" + number[3:]) is None
    assert ORDER.parse(number[:-2]) is None
    assert ORDER.parse("UMK-２０２６-0000-0000-0") is None


def test_check_character_refuses_foreign_characters():
    with pytest.raises(ValueError):
        check_character("AB!")


def test_numbers_from_a_seeded_generator_are_valid_and_repeatable():
    when = datetime(2026, 5, 1, tzinfo=UTC)
    first = ORDER.from_bits(123_456_789, when)
    assert first == ORDER.from_bits(123_456_789, when) and ORDER.parse(first) == first
    assert ORDER.from_bits(0, when).startswith("UMK-2026-0000-0000-")
    with pytest.raises(ValueError):
        ORDER.from_bits(1 << 40, when)
