"""NIK and NOP: what people type, what is stored, why a value is refused.

Outside a request no catalog is active, so messages come out as their English msgids.
"""

from __future__ import annotations

from datetime import date

import pytest
from balai import toolkit as tk
from balai.forms.regions import is_regency, regency_codes
from balai.tenants import City
from hypothesis import given
from hypothesis import strategies as st

MALANG_NOP = "357301000100100010"
# Kota Malang (35.73), district 01; a woman born 5 August 1990 (45 = 5 + 40); serial 0001.
WOMAN_NIK = "3573014508900001"
MAN_NIK = "3573010508900001"


def _city(region_code: str = "35.73") -> City:
    return City(slug="malang", name="Kota Malang", region_code=region_code)


# --- NOP ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["35.73.010.001.001-0001.0", "357301000100100010", " 35 73 010 001 001 0001 0 "],
)
def test_parse_nop_accepts_the_usual_ways_of_writing_it(typed):
    assert tk.parse_nop(typed) == MALANG_NOP


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "empty"),
        ("  ", "empty"),
        ("35.73.O10", "characters"),
        ("٣٥٧٣", "characters"),
        ("35.73.010.001.001-0001", "length"),
        ("3573010001001000100", "length"),
    ],
)
def test_parse_nop_names_what_is_wrong(typed, reason):
    with pytest.raises(tk.NopError) as caught:
        tk.parse_nop(typed)
    assert caught.value.reason == reason
    assert str(caught.value)  # a message for the form


def test_format_nop_puts_dots_and_dash_in_place():
    assert tk.format_nop(MALANG_NOP) == "35.73.010.001.001-0001.0"
    assert tk.format_nop("12") == "12"


def test_read_nop_refuses_another_region_with_the_reason():
    assert tk.read_nop(MALANG_NOP, _city()) == MALANG_NOP
    assert tk.read_nop("337413000100200030", None) == "337413000100200030"
    with pytest.raises(tk.NopError) as caught:
        tk.read_nop("337413000100200030", _city())
    assert caught.value.reason == "region"
    assert "33.74" in str(caught.value) and "Kota Malang" in str(caught.value)


@given(st.text(max_size=60))
def test_parse_nop_either_gives_18_ascii_digits_or_a_nop_error(typed):
    try:
        digits = tk.parse_nop(typed)
    except tk.NopError:
        return
    assert len(digits) == 18 and digits.isascii() and digits.isdigit()
    assert tk.parse_nop(tk.format_nop(digits)) == digits


# --- NIK ----------------------------------------------------------------------


def test_nik_of_a_woman_and_of_a_man():
    assert tk.parse_nik("3573 0145 0890 0001") == WOMAN_NIK
    woman, man = tk.nik_facts(WOMAN_NIK), tk.nik_facts(MAN_NIK)
    assert woman.female and not man.female
    assert woman.region == "35.73"
    assert woman.birth_date(date(2026, 1, 1)) == date(1990, 8, 5)
    assert man.birth_date(date(2026, 1, 1)) == date(1990, 8, 5)


def test_nik_birth_year_takes_the_century_in_the_past():
    child = tk.parse_nik("3573010101200001")  # born 1 January 2020
    assert tk.nik_facts(child).birth_date(date(2026, 1, 1)) == date(2020, 1, 1)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("", "Enter the NIK"),
        ("357301450890000", "16 digits"),
        ("35730145089000012", "16 digits"),
        ("357301450890000X", "16 digits"),
        ("٣٥٧٣٠١٤٥٠٨٩٠٠٠٠١", "16 digits"),
        ("9973014508900001", "region code"),  # no province 99
        ("3500014508900001", "region code"),  # regency 00
        ("3599014508900001", "region code"),  # Jawa Timur has no regency 99
        ("3530014508900001", "region code"),  # nor a 30th kabupaten
        ("3480014508900001", "region code"),  # DI Yogyakarta has one kota, 71
        ("3573004508900001", "region code"),  # district 00
        ("3573013208900001", "birth date"),  # day 32
        ("3573017208900001", "birth date"),  # day 72 (32 + 40)
        ("3573010013900001", "birth date"),  # month 13
        ("3573013002900001", "birth date"),  # 30 February
        ("3573012902910001", "birth date"),  # 29 February 1991
        ("3573014508900000", "serial"),
    ],
)
def test_nik_refusals_say_what_is_wrong(typed, words):
    with pytest.raises(tk.FieldError) as caught:
        tk.parse_nik(typed)
    assert words in str(caught.value)


def test_a_leap_day_nik_is_accepted():
    assert tk.parse_nik("3573016902920001")  # a woman born 29 February 1992


@given(st.text(max_size=40))
def test_parse_nik_either_gives_16_ascii_digits_or_a_field_error(typed):
    try:
        nik = tk.parse_nik(typed)
    except tk.FieldError:
        return
    assert len(nik) == 16 and nik.isascii() and nik.isdigit()
    facts = tk.nik_facts(nik)
    assert 1 <= facts.day <= 31 and 1 <= facts.month <= 12


@given(
    st.sampled_from(regency_codes()),
    st.integers(1, 99),
    st.dates(min_value=date(1930, 1, 1), max_value=date(2025, 12, 31)),
    st.booleans(),
    st.integers(1, 9999),
)
def test_every_well_formed_nik_is_accepted_and_read_back(region, district, born, female, serial):
    day = born.day + (40 if female else 0)
    nik = f"{region}{district:02d}{day:02d}{born:%m%y}{serial:04d}"
    assert tk.parse_nik(nik) == nik
    facts = tk.nik_facts(nik)
    assert facts.female == female
    assert facts.birth_date(date(2026, 1, 1)) == born


def test_mask_nik_shows_the_regency_and_the_last_two_digits_only():
    assert tk.mask_nik(WOMAN_NIK) == "3573**********01"
    assert tk.mask_kk("3573012003150007") == "3573**********07"
    assert tk.mask_nik("123") == "***"


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_a_mask_never_shows_the_district_birth_date_or_serial(digits):
    masked = tk.mask_nik(digits)
    assert len(masked) == 16 and masked[4:14] == "*" * 10
    assert masked[:4] == digits[:4] and masked[14:] == digits[14:]


def test_the_region_table_knows_the_cities_of_the_demo():
    assert is_regency(35, 73) and is_regency(33, 74) and is_regency(34, 71)
    assert not is_regency(35, 80) and not is_regency(99, 1) and not is_regency(76, 71)
    assert len(regency_codes()) > 500  # 514 regencies and cities (2022)


# --- NIK and the person -----------------------------------------------------------


def test_a_nik_fits_the_sex_and_birth_date_of_its_holder():
    tk.check_nik_person(WOMAN_NIK, female=True, born=date(1990, 8, 5))
    tk.check_nik_person(MAN_NIK, female=False, born=date(1990, 8, 5))


@pytest.mark.parametrize(
    ("nik", "female", "born", "words"),
    [
        (WOMAN_NIK, False, date(1990, 8, 5), "woman's"),
        (MAN_NIK, True, date(1990, 8, 5), "man's"),
        (MAN_NIK, False, date(1990, 8, 6), "birth date"),
        (MAN_NIK, False, date(1991, 8, 5), "birth date"),
    ],
)
def test_a_nik_that_does_not_fit_its_holder_says_which_part(nik, female, born, words):
    with pytest.raises(tk.FieldError, match=words):
        tk.check_nik_person(nik, female=female, born=born)


@given(
    st.sampled_from(regency_codes()),
    st.dates(min_value=date(1930, 1, 1), max_value=date(2025, 12, 31)),
    st.booleans(),
    st.booleans(),
    st.dates(min_value=date(1930, 1, 1), max_value=date(2025, 12, 31)),
)
def test_check_nik_person_accepts_exactly_the_matching_sex_and_date(
    region, born, female, said_female, said_born
):
    day = born.day + (40 if female else 0)
    nik = tk.parse_nik(f"{region}01{day:02d}{born:%m%y}0001")
    matches = female == said_female and (said_born.day, said_born.month, said_born.year % 100) == (
        born.day,
        born.month,
        born.year % 100,
    )
    try:
        tk.check_nik_person(nik, female=said_female, born=said_born)
    except tk.FieldError:
        assert not matches
    else:
        assert matches


# --- KK -------------------------------------------------------------------------


def test_a_kk_number_typed_with_spaces_is_read():
    assert tk.parse_kk("3573 0120 0315 0007") == "3573012003150007"


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("", "Enter the family card"),
        ("357301200315000", "16 digits"),
        ("35730120031500071", "16 digits"),
        ("3599012003150007", "region code"),
        ("3573005003150007", "region code"),
        ("3573014503150007", "recorded"),  # no + 40 on a KK
        ("3573012013150007", "recorded"),
        ("3573012003150000", "serial"),
    ],
)
def test_kk_refusals_say_what_is_wrong(typed, words):
    with pytest.raises(tk.FieldError, match=words):
        tk.parse_kk(typed)


@given(st.text(max_size=40))
def test_parse_kk_either_gives_16_ascii_digits_or_a_field_error(typed):
    try:
        kk = tk.parse_kk(typed)
    except tk.FieldError:
        return
    assert len(kk) == 16 and kk.isascii() and kk.isdigit()
    assert is_regency(int(kk[:2]), int(kk[2:4]))


@given(
    st.sampled_from(regency_codes()),
    st.integers(1, 99),
    st.dates(min_value=date(1970, 1, 1), max_value=date(2026, 12, 31)),
    st.integers(1, 9999),
)
def test_every_well_formed_kk_is_accepted(region, district, recorded, serial):
    kk = f"{region}{district:02d}{recorded:%d%m%y}{serial:04d}"
    assert tk.parse_kk(kk) == kk
