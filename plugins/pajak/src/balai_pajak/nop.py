"""The NOP (*Nomor Objek Pajak*): reading what people type, showing it the usual way.

A NOP has 18 digits: province (2), regency or city (2), district (3),
village (3), block (3), object number (4) and a type digit (1), written as
``35.73.010.001.001-0001.0``.
"""

from __future__ import annotations

import re

NOP_LENGTH = 18
_SEPARATORS = re.compile(r"[\s.\-]")
# Where the dots and the dash go, as lengths of the digit groups.
_GROUPS = (2, 2, 3, 3, 3, 4, 1)


class NopError(ValueError):
    """What someone typed is not a NOP.

    Attributes:
        reason: ``empty``, ``characters`` or ``length``.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_nop(raw: str) -> str:
    """The 18 digits of a NOP typed with or without dots, dashes and spaces.

    Raises:
        NopError: when nothing was typed, when it holds anything but digits
            and separators, or when it does not have exactly 18 digits.
    """
    text = _SEPARATORS.sub("", raw or "")
    if not text:
        raise NopError("empty")
    if not (text.isascii() and text.isdigit()):
        raise NopError("characters")
    if len(text) != NOP_LENGTH:
        raise NopError("length")
    return text


def format_nop(digits: str) -> str:
    """Show 18 stored digits as ``35.73.010.001.001-0001.0``."""
    if len(digits) != NOP_LENGTH or not digits.isdigit():
        return digits
    parts: list[str] = []
    start = 0
    for size in _GROUPS:
        parts.append(digits[start : start + size])
        start += size
    return ".".join(parts[:5]) + "-" + ".".join(parts[5:])


def region_of(digits: str) -> str:
    """The region code a NOP belongs to (``35.73`` for Kota Malang)."""
    return f"{digits[:2]}.{digits[2:4]}"
