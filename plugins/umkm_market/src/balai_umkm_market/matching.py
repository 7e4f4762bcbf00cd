"""Case-insensitive text matching that behaves the same on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from typing import Any

MAX_WORDS = 5
# LIKE wildcards and escapes are dropped from search words: SQLite and
# PostgreSQL do not agree on the escape character.
_WILDCARDS = re.compile(r"[%_\\]")


def search_words(query: str) -> list[str]:
    """The words of ``query`` without LIKE wildcards, at most five."""
    return _WILDCARDS.sub(" ", query).split()[:MAX_WORDS]


def contains(column: Any, word: str) -> Any:
    """A condition: ``column`` holds ``word``, ignoring case.

    PostgreSQL gets ``ILIKE``; SQLite's ``LIKE`` already ignores the case of
    ASCII letters (Piccolo's ``ilike`` would fall back to it too, with a
    warning on every query).
    """
    pattern = f"%{word}%"
    if column._meta.engine_type == "sqlite":
        return column.like(pattern)
    return column.ilike(pattern)
