"""NIB, NIP, phone and rupiah checks."""

from __future__ import annotations

from datetime import date

import pytest
from balai_umkm_market.identifiers import (
    InvalidValue,
    check_count,
    check_nib,
    check_nip,
    check_phone,
    check_rupiah,
)

TODAY = date(2026, 11, 23)


def test_nib_is_13_digits_separators_allowed():
    assert check_nib("9120 0012 34567") == "9120001234567"
    for bad in (
        "",
        "912000123456",
        "91200012345678",
        "91200012345a7",
        "１２３４５６７８９０１２３",
    ):
        with pytest.raises(InvalidValue):
            check_nib(bad)


@pytest.mark.parametrize(
    "nip",
    ["198503122010011001", "1985 0312 201001 1 001", "199912312023062999"],
)
def test_valid_nips(nip):
    assert check_nip(nip, TODAY) == nip.replace(" ", "")


@pytest.mark.parametrize(
    ("nip", "reason"),
    [
        ("19850312201001100", "18 digits"),
        ("198502302010011001", "birth date"),  # 30 February
        ("201503122010011001", "not plausible"),  # an 11-year-old
        ("194003122010011001", "not plausible"),  # 86 years old
        ("198503122010131001", "appointment"),  # month 13
        ("198503122030011001", "not plausible"),  # appointed in the future
        ("198503121995011001", "not plausible"),  # appointed at 9
        ("198503122010013001", "Digit 15"),
        ("198503122010011000", "serial"),
    ],
)
def test_invalid_nips_say_why(nip, reason):
    with pytest.raises(InvalidValue, match=reason):
        check_nip(nip, TODAY)


def test_phone_numbers_are_stored_as_08():
    assert check_phone("0812-3456-7890") == "081234567890"
    assert check_phone("+62 812 3456 7890") == "081234567890"
    assert check_phone("6281234567890") == "081234567890"
    for bad in ("", "0341 551234", "08123", "0812345678901234", "abc"):
        with pytest.raises(InvalidValue):
            check_phone(bad)


def test_rupiah_amounts():
    assert check_rupiah("15000") == 15_000
    assert check_rupiah("15.000") == 15_000
    assert check_rupiah("Rp15.000") == 15_000
    assert check_rupiah("Rp 1.250.000,00") == 1_250_000
    assert check_rupiah("0") == 0
    for bad in ("", "15,5", "-5000", "15.00", "Rp", "1e5", "15 000"):
        with pytest.raises(InvalidValue):
            check_rupiah(bad)
    with pytest.raises(InvalidValue):
        check_rupiah("0", allow_zero=False)
    with pytest.raises(InvalidValue):
        check_rupiah("2.000.000.000")


def test_counts():
    assert check_count("12") == 12
    assert check_count("1.500") == 1500
    for bad in ("", "-1", "2.5x", "abc"):
        with pytest.raises(InvalidValue):
            check_count(bad)
