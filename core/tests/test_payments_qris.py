"""QRIS payloads: EMVCo fields, CRC-16/CCITT-FALSE, parsing, ASCII only, the SVG code."""

from __future__ import annotations

import pytest
from balai.payments.qris import (
    Merchant,
    QrisError,
    ascii_text,
    build_payload,
    crc16_ccitt_false,
    parse,
    parse_nested,
    qr_svg,
    tlv,
)

MERCHANT = Merchant("ID1020000012345", "Bapenda Kota Malang", "Malang", "65119", "9399")


@pytest.mark.parametrize(
    ("data", "crc"),
    [(b"123456789", 0x29B1), (b"", 0xFFFF), (b"A", 0xB915)],
)
def test_crc_vectors(data, crc):
    assert crc16_ccitt_false(data) == crc


def test_dynamic_payload_fields_and_crc():
    payload = build_payload(MERCHANT, amount=15000, bill_number="INV-2026-7KQ4-M9TX")
    fields = parse(payload)
    assert payload.startswith("000201010212")
    assert fields["00"] == "01" and fields["01"] == "12"
    account = parse_nested(fields["26"])
    assert account["00"] == "ID.CO.QRIS.WWW" and account["01"] == "ID1020000012345"
    assert fields["52"] == "9399" and fields["53"] == "360" and fields["54"] == "15000"
    assert (
        fields["58"] == "ID" and fields["59"] == "Bapenda Kota Malang" and fields["60"] == "Malang"
    )
    assert fields["61"] == "65119"
    assert parse_nested(fields["62"]) == {"01": "INV-2026-7KQ4-M9TX"}
    assert payload[-8:-4] == "6304"
    assert payload[-4:] == f"{crc16_ccitt_false(payload[:-4].encode()):04X}"
    assert payload[-4:].isupper() or payload[-4:].isdigit()


def test_static_payload_has_no_amount():
    fields = parse(build_payload(MERCHANT))
    assert fields["01"] == "11" and "54" not in fields


def test_lengths_are_two_digit_character_counts():
    assert tlv("59", "Toko") == "5904Toko"
    assert tlv("62", "x" * 99).startswith("6299")
    with pytest.raises(QrisError):
        tlv("62", "x" * 100)


def test_non_ascii_names_are_transliterated_or_refused():
    fields = parse(build_payload(Merchant("ID1020000012345", "Kafé Ñusantara", "Malang", "65119")))
    assert fields["59"] == "Kafe Nusantara"
    with pytest.raises(QrisError):
        ascii_text("漢字", 25)
    with pytest.raises(QrisError):
        tlv("59", "Café")


def test_long_names_are_cut_to_the_field_limit():
    fields = parse(build_payload(Merchant("ID1020000012345", "N" * 60, "C" * 40, "65119")))
    assert len(fields["59"]) == 25 and len(fields["60"]) == 15


@pytest.mark.parametrize(
    "merchant",
    [
        Merchant("SHORT", "Bapenda", "Malang", "65119"),
        Merchant("ID1020000012345", "Bapenda", "Malang", "65119", mcc="93A9"),
    ],
)
def test_invalid_merchant_data_is_refused(merchant):
    with pytest.raises(QrisError):
        build_payload(merchant, amount=1000)


def test_non_positive_amount_is_refused():
    with pytest.raises(QrisError):
        build_payload(MERCHANT, amount=0)


def test_parser_rejects_a_changed_payload():
    payload = build_payload(MERCHANT, amount=15000)
    tampered = payload.replace("540515000", "540519000")
    with pytest.raises(QrisError, match="CRC"):
        parse(tampered)
    with pytest.raises(QrisError):
        parse(payload[:-10])
    with pytest.raises(QrisError):
        parse(payload.replace("6304", "6305"))


def test_svg_is_inline_without_styles_scripts_or_external_references():
    svg = qr_svg(build_payload(MERCHANT, amount=15000), title="QRIS")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg
    assert "style" not in svg and "<script" not in svg
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
