"""What a plugin declares about its encrypted columns (the ``sealed_fields`` hook)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SealedField:
    """A column of sealed values, so that ``balai keys rotate`` can re-encrypt it.

    Attributes:
        table: The ``CityTable`` holding the column.
        column: Name of the ``Text`` column holding ``tk.seal`` output (null or
            empty where there is no value).
        purpose: The purpose the values were sealed and indexed with (``e_jkn.nik``).
        indexes: Columns holding the value's ``tk.blind_index`` (rebuilt by the
            rotation where they are not null; null means "not indexed", e.g. a
            uniqueness column cleared when an application is rejected).
    """

    table: Any
    column: str
    purpose: str
    indexes: tuple[str, ...] = ()
