"""QRIS payloads: the EMVCo merchant-presented QR layout, built field by field.

Each field is a two-digit tag, a two-digit length and the value. The payload
ends with tag 63 holding a CRC-16/CCITT-FALSE over everything before it,
including the ``6304`` of the CRC field itself. Only ASCII is allowed, so that
lengths counted in characters equal lengths in bytes.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

QRIS_GUI = "ID.CO.QRIS.WWW"
CURRENCY_IDR = "360"
COUNTRY_ID = "ID"
STATIC = "11"
DYNAMIC = "12"
MAX_NAME = 25
MAX_CITY = 15


class QrisError(ValueError):
    """A value cannot go into a QRIS payload."""


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def tlv(tag: str, value: str) -> str:
    """One field: tag, two-digit length, value.

    Raises:
        QrisError: the tag is not two digits, the value is not ASCII or is
            longer than 99 characters.
    """
    if len(tag) != 2 or not tag.isdigit():
        raise QrisError(f"tag {tag!r} must be two digits")
    if not value.isascii():
        raise QrisError(f"field {tag} must be ASCII")
    if not 0 < len(value) <= 99:
        raise QrisError(f"field {tag} must hold 1 to 99 characters")
    return f"{tag}{len(value):02d}{value}"


def ascii_text(value: str, limit: int) -> str:
    """Transliterate ``value`` to printable ASCII (``Café`` -> ``Cafe``) and cut it to ``limit``.

    Raises:
        QrisError: nothing printable is left.
    """
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    cleaned = " ".join("".join(c for c in folded if c.isprintable()).split())[:limit].strip()
    if not cleaned:
        raise QrisError(f"{value!r} has no ASCII letters to show")
    return cleaned


@dataclass(frozen=True)
class Merchant:
    """Who is paid: the city's QRIS merchant data.

    Attributes:
        merchant_id: The 15-character merchant id (NMID part) under ``ID.CO.QRIS.WWW``.
        name: Merchant name (tag 59), transliterated to ASCII.
        city: Merchant city (tag 60).
        postal_code: Postal code (tag 61).
        mcc: Merchant category code (tag 52), four digits.
    """

    merchant_id: str
    name: str
    city: str
    postal_code: str
    mcc: str = "9399"


def build_payload(merchant: Merchant, *, amount: int | None = None, bill_number: str = "") -> str:
    """The QRIS payload for ``merchant``: static without ``amount``, dynamic with it.

    Args:
        merchant: The merchant's data.
        amount: Whole rupiah; a dynamic (point-of-initiation 12) code when given.
        bill_number: Put in the additional data (tag 62, sub-tag 01).

    Raises:
        QrisError: a field is invalid (merchant id not 15 characters, MCC not
            four digits, amount not positive, non-ASCII reference).
    """
    if len(merchant.merchant_id) != 15 or not merchant.merchant_id.isalnum():
        raise QrisError("the merchant id must be 15 letters or digits")
    if len(merchant.mcc) != 4 or not merchant.mcc.isdigit():
        raise QrisError("the merchant category code must be four digits")
    if amount is not None and amount <= 0:
        raise QrisError("the amount must be positive")
    account = tlv("00", QRIS_GUI) + tlv("01", merchant.merchant_id) + tlv("03", "UMI")
    fields = [
        tlv("00", "01"),
        tlv("01", STATIC if amount is None else DYNAMIC),
        tlv("26", account),
        tlv("52", merchant.mcc),
        tlv("53", CURRENCY_IDR),
    ]
    if amount is not None:
        fields.append(tlv("54", str(amount)))
    fields += [
        tlv("58", COUNTRY_ID),
        tlv("59", ascii_text(merchant.name, MAX_NAME)),
        tlv("60", ascii_text(merchant.city, MAX_CITY)),
        tlv("61", merchant.postal_code),
    ]
    if bill_number:
        fields.append(tlv("62", tlv("01", bill_number)))
    body = "".join(fields) + "6304"
    return body + f"{crc16_ccitt_false(body.encode('ascii')):04X}"


def parse(payload: str) -> dict[str, str]:
    """Split a payload into its top-level fields and check its CRC.

    Returns:
        Field values by tag.

    Raises:
        QrisError: a length runs past the end, a tag repeats, the CRC is
            missing, not last, or wrong.
    """
    fields: dict[str, str] = {}
    position = 0
    while position < len(payload):
        tag, length_text = payload[position : position + 2], payload[position + 2 : position + 4]
        if len(length_text) != 2 or not length_text.isdigit() or not tag.isdigit():
            raise QrisError(f"malformed field at position {position}")
        length = int(length_text)
        value = payload[position + 4 : position + 4 + length]
        if len(value) != length:
            raise QrisError(f"field {tag} runs past the end")
        if tag in fields:
            raise QrisError(f"field {tag} appears twice")
        fields[tag] = value
        position += 4 + length
    if "63" not in fields or not payload.endswith("6304" + fields["63"]):
        raise QrisError("the CRC field must come last")
    expected = f"{crc16_ccitt_false(payload[:-4].encode('ascii')):04X}"
    if fields["63"] != expected:
        raise QrisError(f"CRC is {fields['63']}, expected {expected}")
    return fields


def parse_nested(value: str) -> dict[str, str]:
    """Split a template field's value (tag 26, 62) into its sub-fields."""
    fields: dict[str, str] = {}
    position = 0
    while position < len(value):
        tag, length = value[position : position + 2], int(value[position + 2 : position + 4])
        fields[tag] = value[position + 4 : position + 4 + length]
        position += 4 + length
    return fields


def qr_svg(payload: str, title: str = "QR") -> str:
    """The payload as an inline SVG QR code (no XML declaration, no style attribute)."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(
        buffer,
        kind="svg",
        xmldecl=False,
        svgns=True,
        scale=4,
        border=4,
        title=title,
        svgclass="qr-code",
        lineclass=None,
    )
    return buffer.getvalue().decode("ascii")
