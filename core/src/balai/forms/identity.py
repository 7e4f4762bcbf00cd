"""Indonesian identity numbers: the NIK of a person and the NOP of a taxed property.

Pure functions, no database: each ``parse_*`` returns the stored form or
raises a :class:`~balai.forms.errors.FieldError` whose text is the
translated reason, so a form, a spreadsheet import and a search box give the
same message.

* NIK, 16 digits: province (2), regency or city (2), district (2), birth
  date ``DDMMYY`` with 40 added to the day for women, serial (4). The region
  part is where the NIK was first registered, not where the person lives.
* NOP, 18 digits: province (2), regency or city (2), district (3), village
  (3), block (3), object number (4) and a type digit (1), written
  ``35.73.010.001.001-0001.0``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from balai.forms.errors import FieldError
from balai.forms.regions import is_regency
from balai.i18n import gettext as _
from balai.tenants import City

NIK_LENGTH = 16
NOP_LENGTH = 18
_SEPARATORS = re.compile(r"[\s.\-]")
# Where the dots and the dash of a NOP go, as lengths of the digit groups.
_NOP_GROUPS = (2, 2, 3, 3, 3, 4, 1)
# The provinces' codes (Kemendagri), Aceh 11 to Papua Barat Daya 96.
PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 16, 17, 18, 19, 21}
    | {31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65}
    | {71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96}
)
# Digits shown by a mask: the regency code and the last two.
MASK_HEAD = 4
MASK_TAIL = 2


def _digits(raw: str) -> str:
    """``raw`` without the spaces, dots and dashes people type to group digits."""
    return _SEPARATORS.sub("", str(raw or ""))


class NopError(FieldError):
    """What someone typed is not a NOP (``str(error)`` is the translated reason).

    Attributes:
        reason: ``empty``, ``characters``, ``length`` or ``region``.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def parse_nop(raw: str) -> str:
    """The 18 digits of a NOP typed with or without dots, dashes and spaces.

    Raises:
        NopError: nothing typed, anything but ASCII digits and separators,
            or not exactly 18 digits.
    """
    text = _digits(raw)
    if not text:
        raise NopError("empty", _("Enter the tax object number (NOP) printed on your SPPT."))
    if not (text.isascii() and text.isdigit()):
        raise NopError("characters", _("A NOP contains only digits, dots and a dash."))
    if len(text) != NOP_LENGTH:
        raise NopError(
            "length", _("A NOP has exactly 18 digits, for example 35.73.010.001.001-0001.0.")
        )
    return text


def format_nop(digits: str) -> str:
    """Show 18 stored digits as ``35.73.010.001.001-0001.0`` (anything else as it is)."""
    if len(digits) != NOP_LENGTH or not (digits.isascii() and digits.isdigit()):
        return digits
    parts: list[str] = []
    start = 0
    for size in _NOP_GROUPS:
        parts.append(digits[start : start + size])
        start += size
    return ".".join(parts[:5]) + "-" + ".".join(parts[5:])


def nop_region(digits: str) -> str:
    """The region code a NOP (or a NIK) belongs to: ``35.73`` for Kota Malang."""
    return f"{digits[:2]}.{digits[2:4]}"


def read_nop(raw: str, city: City | None = None) -> str:
    """The digits of a NOP of ``city`` (any region when ``None`` or the city sets no code).

    Raises:
        NopError: malformed, or (reason ``region``) of another region.
    """
    digits = parse_nop(raw)
    if city is not None and city.region_code and nop_region(digits) != city.region_code:
        raise NopError(
            "region",
            _(
                "This NOP belongs to region %(region)s, not to %(city)s (%(code)s).",
                region=nop_region(digits),
                city=city.name,
                code=city.region_code,
            ),
        )
    return digits


@dataclass(frozen=True)
class NikFacts:
    """What a NIK's digits say (not proof: the registry is the authority).

    Attributes:
        region: ``35.73``-style code where the NIK was first registered.
        female: Whether the day of birth carries the +40 for women.
        day: Day of birth (1-31).
        month: Month of birth (1-12).
        year_2digits: The last two digits of the year of birth.
    """

    region: str
    female: bool
    day: int
    month: int
    year_2digits: int

    def birth_date(self, today: date) -> date:
        """The birth date, taking the century that puts it in the past (up to 100 years)."""
        year = 2000 + self.year_2digits
        if date(year, self.month, min(self.day, 28)) > today:
            year -= 100
        day = self.day
        if self.month == 2 and day == 29 and year % 4:
            day = 28  # 29 February of a non-leap century year: the nearest real day
        return date(year, self.month, day)


def _month_days(month: int, year_2digits: int) -> int:
    if month == 2:
        return 29 if year_2digits % 4 == 0 else 28
    return 30 if month in (4, 6, 9, 11) else 31


def nik_facts(nik: str) -> NikFacts:
    """Read the region, sex and birth date of a checked NIK (see :func:`parse_nik`)."""
    day = int(nik[6:8])
    female = day > 40
    return NikFacts(
        region=nop_region(nik),
        female=female,
        day=day - 40 if female else day,
        month=int(nik[8:10]),
        year_2digits=int(nik[10:12]),
    )


def parse_nik(raw: str) -> str:
    """The 16 digits of a NIK typed with or without spaces, dots and dashes.

    Checks the structure only: a real province and regency or city
    (:mod:`balai.forms.regions`), a non-zero district and serial, and a real
    birth date (day + 40 for women).

    Raises:
        FieldError: with the translated reason.
    """
    nik = _digits(raw)
    if not nik:
        raise FieldError(_("Enter the NIK (16 digits, on the KTP or KK)."))
    if not (nik.isascii() and nik.isdigit()) or len(nik) != NIK_LENGTH:
        raise FieldError(_("A NIK has exactly 16 digits."))
    if not _real_region(nik):
        raise FieldError(_("The first 6 digits of a NIK are a region code; these are not one."))
    facts = nik_facts(nik)
    if not 1 <= facts.month <= 12 or not 1 <= facts.day <= _month_days(
        facts.month, facts.year_2digits
    ):
        raise FieldError(
            _("Digits 7 to 12 of a NIK are the birth date (DDMMYY, day + 40 for women).")
        )
    if nik[12:] == "0000":
        raise FieldError(_("The last 4 digits of a NIK are a serial from 0001."))
    return nik


def _real_region(digits: str) -> bool:
    """Whether the first 6 digits name a real province and regency, and a district."""
    return (
        int(digits[:2]) in PROVINCES
        and is_regency(int(digits[:2]), int(digits[2:4]))
        and digits[4:6] != "00"
    )


def check_nik_person(nik: str, *, female: bool, born: date) -> None:
    """Check that a checked NIK's date digits fit the person's stated sex and birth date.

    Raises:
        FieldError: the +40 of women does not fit ``female``, or the date
            digits are not ``born``.
    """
    facts = nik_facts(nik)
    if facts.female != female:
        raise FieldError(
            _("This NIK is a woman's (day of birth + 40); check the NIK or the sex.")
            if facts.female
            else _("This NIK is a man's (day of birth without + 40); check the NIK or the sex.")
        )
    if (facts.day, facts.month, facts.year_2digits) != (born.day, born.month, born.year % 100):
        raise FieldError(_("Digits 7 to 12 of this NIK do not match the birth date; check both."))


def parse_kk(raw: str) -> str:
    """The 16 digits of a family card (KK) number, structure checked.

    A KK number is the issuing region (6 digits), the recording date
    ``DDMMYY`` (no + 40) and a family serial (4 digits).

    Raises:
        FieldError: with the translated reason.
    """
    kk = _digits(raw)
    if not kk:
        raise FieldError(_("Enter the family card (KK) number, 16 digits."))
    if not (kk.isascii() and kk.isdigit()) or len(kk) != NIK_LENGTH:
        raise FieldError(_("A KK number has exactly 16 digits."))
    if not _real_region(kk):
        raise FieldError(
            _("The first 6 digits of a KK number are a region code; these are not one.")
        )
    day, month, year = int(kk[6:8]), int(kk[8:10]), int(kk[10:12])
    if not 1 <= month <= 12 or not 1 <= day <= _month_days(month, year):
        raise FieldError(_("Digits 7 to 12 of a KK number are the date it was recorded (DDMMYY)."))
    if kk[12:] == "0000":
        raise FieldError(_("The last 4 digits of a KK number are a serial from 0001."))
    return kk


def _mask(digits: str) -> str:
    if len(digits) != NIK_LENGTH:
        return "*" * len(digits)
    return digits[:MASK_HEAD] + "*" * (NIK_LENGTH - MASK_HEAD - MASK_TAIL) + digits[-MASK_TAIL:]


def mask_nik(nik: str) -> str:
    """A NIK shown masked: ``3573014508900001`` as ``3573**********01``.

    Only the regency and the last two digits stay: no birth date, no sex, no
    district, so the masked NIK with a name does not single a person out.
    """
    return _mask(nik)


def mask_kk(kk: str) -> str:
    """A KK number shown masked, like a NIK: ``3573**********07``."""
    return _mask(kk)
