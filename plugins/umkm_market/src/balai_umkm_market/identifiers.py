"""Checking the numbers people type: NIB, NIP, phone numbers and rupiah amounts.

Each ``check_*`` function returns the cleaned value or raises
:class:`InvalidValue` with a translated message for the form.
"""

from __future__ import annotations

import re
from datetime import date

from balai import toolkit as tk

NIB_LENGTH = 13
NIP_LENGTH = 18
MAX_RUPIAH = 1_000_000_000
_SEPARATORS = re.compile(r"[\s.\-]")
_PHONE = re.compile(r"^(?:\+62|62|0)8[0-9]{7,11}$")
_RUPIAH = re.compile(r"^(?:rp)?\s*([0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,0{1,2})?$", re.IGNORECASE)
_FIRST_TMT_YEAR = 1960


class InvalidValue(ValueError):
    """A typed value is not acceptable; ``str(error)`` is the translated reason."""


def digits_only(value: str) -> str:
    """``value`` without the spaces, dots and dashes people type to group digits."""
    return _SEPARATORS.sub("", value or "")


def check_nib(value: str) -> str:
    """A business registration number (NIB, from OSS): exactly 13 digits."""
    nib = digits_only(value)
    if not nib:
        raise InvalidValue(tk._("Enter the business registration number (NIB)."))
    if not nib.isascii() or not nib.isdigit() or len(nib) != NIB_LENGTH:
        raise InvalidValue(tk._("The NIB has exactly 13 digits."))
    return nib


def check_nip(value: str, today: date | None = None) -> str:
    """A civil servant's number (NIP), 18 digits with a structure.

    Birth date ``yyyymmdd`` (a real date, 17 to 70 years before today), the
    month of appointment (TMT) ``yyyymm`` (a real month, after the 17th
    birthday and not in the future), sex ``1`` (man) or ``2`` (woman) and a
    serial ``001``–``999``.
    """
    today = today or date.today()
    nip = digits_only(value)
    if not nip:
        raise InvalidValue(tk._("Enter your NIP."))
    if not nip.isascii() or not nip.isdigit() or len(nip) != NIP_LENGTH:
        raise InvalidValue(tk._("The NIP has exactly 18 digits."))
    try:
        born = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise InvalidValue(
            tk._("The first 8 digits of the NIP must be a birth date (yyyymmdd).")
        ) from None
    if not 17 <= _age(born, today) <= 70:
        raise InvalidValue(tk._("The birth date in the NIP is not plausible for a civil servant."))
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12 or year < _FIRST_TMT_YEAR:
        raise InvalidValue(
            tk._("Digits 9 to 14 of the NIP must be the month of appointment (yyyymm).")
        )
    if (year, month) > (today.year, today.month) or year < born.year + 17:
        raise InvalidValue(tk._("The month of appointment in the NIP is not plausible."))
    if nip[14] not in "12":
        raise InvalidValue(tk._("Digit 15 of the NIP must be 1 (man) or 2 (woman)."))
    if nip[15:] == "000":
        raise InvalidValue(tk._("The last 3 digits of the NIP are a serial from 001."))
    return nip


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def check_phone(value: str) -> str:
    """An Indonesian mobile number, stored as ``08…`` (``+62``/``62`` accepted)."""
    phone = digits_only(value).replace("(", "").replace(")", "")
    if not phone:
        raise InvalidValue(tk._("Enter a phone number."))
    if not _PHONE.match(phone):
        raise InvalidValue(tk._("Enter a mobile number such as 0812 3456 7890."))
    if phone.startswith("+62"):
        return "0" + phone[3:]
    if phone.startswith("62"):
        return "0" + phone[2:]
    return phone


def check_rupiah(value: str, *, allow_zero: bool = True) -> int:
    """An amount in whole rupiah: ``15000``, ``15.000``, ``Rp15.000`` or ``Rp 15.000,00``."""
    text = (value or "").strip()
    if not text:
        raise InvalidValue(tk._("Enter an amount in rupiah."))
    found = _RUPIAH.match(text)
    if not found:
        raise InvalidValue(tk._("Enter whole rupiah, for example 15000 or 15.000."))
    amount = int(found.group(1).replace(".", ""))
    if amount > MAX_RUPIAH:
        raise InvalidValue(tk._("The amount is too large."))
    if amount == 0 and not allow_zero:
        raise InvalidValue(tk._("The amount must be more than zero."))
    return amount


def check_count(value: str, *, maximum: int = 1_000_000) -> int:
    """A whole number from 0 to ``maximum`` (a stock quantity)."""
    text = (value or "").strip().replace(".", "")
    if not text:
        raise InvalidValue(tk._("Enter a number."))
    if not text.isascii() or not text.isdigit():
        raise InvalidValue(tk._("Enter a whole number of 0 or more."))
    number = int(text)
    if number > maximum:
        raise InvalidValue(tk._("The number is too large."))
    return number
