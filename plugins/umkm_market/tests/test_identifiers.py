"""NIB and NIP checks; the phone, price and stock fields of the market's forms."""

from __future__ import annotations

from datetime import date

import pytest
from balai_umkm_market.catalogue.product_rules import ProductRowError, check_product
from balai_umkm_market.identifiers import InvalidValue, check_nib, check_nip
from balai_umkm_market.merchants.form import LocalPhoneField

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
    phone = LocalPhoneField("Mobile number")
    assert phone.check("0812-3456-7890") == "081234567890"
    assert phone.check("+62 812 3456 7890") == "081234567890"
    assert phone.check("6281234567890") == "081234567890"
    for bad in ("0341 551234", "08123", "0812345678901234", "abc"):
        with pytest.raises(InvalidValue):
            phone.check(bad)


def _product(**typed: str) -> dict[str, str]:
    return {
        "name": "Keripik",
        "category": "makanan",
        "unit": "pcs",
        "price": "1",
        "stock": "0",
    } | typed


async def test_prices_are_whole_rupiah_from_1():
    for typed, amount in (
        ("15000", 15_000),
        ("15.000", 15_000),
        ("Rp15.000", 15_000),
        ("Rp 1.250.000,00", 1_250_000),
    ):
        assert (await check_product(_product(price=typed)))["price"] == amount
    for bad in ("", "15,5", "-5000", "15.00", "Rp", "1e5", "15 000", "0", "2.000.000.000"):
        with pytest.raises(ProductRowError) as refused:
            await check_product(_product(price=bad))
        assert set(refused.value.errors) == {"price"}


async def test_stock_counts():
    assert (await check_product(_product(stock="12")))["stock"] == 12
    assert (await check_product(_product(stock="1.500")))["stock"] == 1500
    for bad in ("", "-1", "2.5x", "abc", "1000001"):
        with pytest.raises(ProductRowError) as refused:
            await check_product(_product(stock=bad))
        assert set(refused.value.errors) == {"stock"}


async def test_categories_and_units_are_read_in_any_case_and_stored_as_offered():
    clean = await check_product(_product(category="Makanan", unit="KG", is_active="Tidak"))
    assert (clean["category"], clean["unit"], clean["is_active"]) == ("makanan", "kg", False)
    assert (await check_product(_product()))["is_active"] is True
