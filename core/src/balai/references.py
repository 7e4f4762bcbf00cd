"""Reference numbers: readable, unguessable, with a prefix and a check character.

One implementation for every number people read out or type back: the
ledger's invoices (``INV-2026-7KQ4-M9TX-K``) and payments, a plugin's orders
or applications. The random part uses Crockford's base32 (no I, L, O, U),
so a number read aloud over the phone is not misheard; the last character
is a check over everything after the prefix, so one mistyped character or
two swapped neighbours are caught before any lookup.

Uniqueness per city comes from a unique index on ``(city, <number column>)``
in the owning table's migration; :meth:`ReferenceFormat.new_unique` draws
again when a number is already taken.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

# Crockford's base32: no I, L, O, U, so a number read aloud cannot be misheard.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {char: index for index, char in enumerate(ALPHABET)}
# What people type by mistake for what they mean (Crockford's decoding rules).
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_PREFIX = re.compile(r"^[A-Z][A-Z0-9]{0,7}$")
_ATTEMPTS = 5


def random_code(length: int = 8) -> str:
    """``length`` random Crockford base32 characters (5 bits of entropy each).

    One ``token_bytes`` call cut into 5-bit groups (not one ``secrets.choice``
    per character): the demo makes tens of thousands of numbers at start-up.
    """
    bits = int.from_bytes(secrets.token_bytes((5 * length + 7) // 8), "big")
    return "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(length))


def _times_alpha(value: int) -> int:
    """``value`` times the generator in GF(32) (the field of x^5 + x^2 + 1)."""
    value <<= 1
    return value ^ 0b100101 if value & 0b100000 else value


def _gf_multiply(a: int, b: int) -> int:
    product = 0
    while b:
        if b & 1:
            product ^= a
        a = _times_alpha(a)
        b >>= 1
    return product


def check_character(body: str) -> str:
    """The check character of ``body`` (base32 characters only).

    A weighted sum in GF(32), each position weighted by a different power of
    the field's generator: it catches every single wrong character and
    every swap of two neighbouring different characters.

    Raises:
        ValueError: ``body`` holds a character outside the alphabet.
    """
    total = 0
    weight = 1
    for char in reversed(body):
        if char not in _VALUE:
            raise ValueError(f"{char!r} is not a base32 character")
        weight = _times_alpha(weight)
        total ^= _gf_multiply(weight, _VALUE[char])
    return ALPHABET[total]


def _valid_body(body: str) -> bool:
    """Whether ``body`` (check character last) passes the check."""
    return len(body) > 1 and check_character(body[:-1]) == body[-1]


@dataclass(frozen=True)
class ReferenceFormat:
    """How one kind of reference number looks: ``PREFIX[-YEAR]-XXXX-XXXX-C``.

    Declare one per kind at module level and make numbers with :meth:`new`
    (or :meth:`new_unique`); read what a person typed with :meth:`parse`.

    Attributes:
        prefix: Upper-case letters (and digits after the first), at most 8:
            ``INV``, ``UMK``, ``ADU``.
        with_year: Put the year after the prefix (``INV-2026-…``).
        length: Random characters (5 bits each; 8 gives 40 bits), written in
            groups of four.
    """

    prefix: str
    with_year: bool = True
    length: int = 8

    def __post_init__(self) -> None:
        if not _PREFIX.match(self.prefix):
            raise ValueError(f"reference prefix {self.prefix!r}: 1-8 upper-case letters/digits")
        if not 4 <= self.length <= 16:
            raise ValueError("a reference number has 4 to 16 random characters")

    @property
    def max_length(self) -> int:
        """The length of every number of this format (for the column)."""
        groups = -(-self.length // 4)
        return len(self.prefix) + (5 if self.with_year else 0) + self.length + groups + 2

    def new(self, when: datetime | None = None) -> str:
        """A new number, e.g. ``INV-2026-7KQ4-M9TX-K`` (the year of ``when``, default now)."""
        code = random_code(self.length)
        year = str((when or datetime.now(UTC)).year) if self.with_year else ""
        return self._write(year, code)

    def from_bits(self, bits: int, when: datetime | None = None) -> str:
        """The number whose random part is ``bits`` (demo data from a seeded generator).

        Raises:
            ValueError: ``bits`` is negative or needs more than ``5 * length`` bits.
        """
        if not 0 <= bits < 1 << (5 * self.length):
            raise ValueError(f"{self.prefix} numbers hold {5 * self.length} random bits")
        code = "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(self.length))
        year = str((when or datetime.now(UTC)).year) if self.with_year else ""
        return self._write(year, code)

    def _write(self, year: str, code: str) -> str:
        groups = [code[i : i + 4] for i in range(0, len(code), 4)]
        check = check_character(year + code)
        return "-".join([self.prefix, *([year] if year else []), *groups, check])

    def parse(self, typed: str) -> str | None:
        """The number a person typed, written the standard way; ``None`` if it is not one.

        Case, spaces and dashes do not matter, ``O`` reads as ``0`` and ``I``
        or ``L`` as ``1``; the check character must match.
        """
        text = re.sub(r"[\s\-]", "", str(typed or "")).upper()
        if not text.startswith(self.prefix) or len(text) > 64:
            return None
        body = text[len(self.prefix) :].translate(_READ_AS)
        year_digits = 4 if self.with_year else 0
        if len(body) != year_digits + self.length + 1:
            return None
        if any(char not in _VALUE for char in body):
            return None
        year = body[:year_digits]
        if year and not year.isdigit():
            return None
        if not _valid_body(body):
            return None
        return self._write(year, body[year_digits:-1])

    async def new_unique(self, column: Any, when: datetime | None = None) -> str:
        """A new number not yet used in ``column`` (a city table's column) in this city.

        The table's unique index on ``(city, column)`` is the guarantee; this
        only draws again in the rare case the number is taken.

        Raises:
            RuntimeError: five draws in a row were taken (the format is too short).
        """
        table = column._meta.table
        for _ in range(_ATTEMPTS):
            number = self.new(when)
            if not await table.exists().where(column == number):
                return number
        raise RuntimeError(f"no free {self.prefix} number after {_ATTEMPTS} draws")
