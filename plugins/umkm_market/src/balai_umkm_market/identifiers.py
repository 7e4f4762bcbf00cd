"""Checking the numbers people type that are the market's own: the NIB and the NIP.

Each ``check_*`` function returns the cleaned value or raises
:class:`InvalidValue` (the toolkit's ``FieldError``) with a translated
message for the form. Phone numbers, amounts and counts are the toolkit's
form fields (see ``merchants/form.py`` and ``catalogue/product_rules.py``);
the NIB and the NIP are the market's own.
"""

from __future__ import annotations

import re
from datetime import date

from balai import toolkit as tk

NIB_LENGTH = 13
NIP_LENGTH = 18
_SEPARATORS = re.compile(r"[\s.\-]")
_FIRST_TMT_YEAR = 1960


InvalidValue = tk.FieldError  # a typed value is not acceptable; str(error) is the reason


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
