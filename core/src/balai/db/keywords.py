r"""Keyword search with ``LIKE``: the same rows on SQLite and PostgreSQL.

A visitor's text is cut into words (:func:`search_words`); a row matches when
**every word** is contained in at least one of the searched columns, ignoring
case (:func:`keyword_filter`). ``%``, ``_`` and ``\\`` in a word are matched
as themselves: the pattern escapes them and names its escape character, which
both databases then honour (SQLite has no default escape character,
PostgreSQL's is the backslash).

Case: PostgreSQL compares with ``ILIKE``, SQLite's ``LIKE`` ignores the case
of ASCII letters only (``É`` and ``é`` differ there). For accent- and
case-blind search in every script, declare a full-text index instead
(:mod:`balai.db.fulltext`).

``LIKE '%word%'`` reads every row of the city: fine for officers' lists of a
few thousand rows, not for a public catalogue of a hundred thousand.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from piccolo.columns.combination import Where
from piccolo.columns.operators.comparison import ComparisonOperator

MAX_WORDS = 5
MAX_QUERY_LENGTH = 200
ESCAPE = "\\"


class _LikeEscaped(ComparisonOperator):
    template = "{name} LIKE {value} ESCAPE '\\'"


class _ILikeEscaped(ComparisonOperator):
    template = "{name} ILIKE {value} ESCAPE '\\'"


def search_words(query: str, *, max_words: int = MAX_WORDS) -> list[str]:
    """The words of ``query`` (split on white space), at most ``max_words``."""
    return (query or "")[:MAX_QUERY_LENGTH].split()[:max_words]


def like_pattern(word: str) -> str:
    """``%word%`` with the word's own percent, underscore and backslash escaped."""
    escaped = word.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")
    return f"%{escaped}%"


def contains(column: Any, word: str) -> Any:
    """A condition: ``column`` holds ``word`` (as typed, wildcards included), ignoring case."""
    sqlite = column._meta.engine_type == "sqlite"
    operator = _LikeEscaped if sqlite else _ILikeEscaped
    return Where(column=column, value=like_pattern(word), operator=operator)


def keyword_filter(
    query: str,
    columns: Sequence[Any],
    *,
    exact: Sequence[Any] = (),
    max_words: int = MAX_WORDS,
) -> Any | None:
    """The condition "every word of ``query`` is in one of ``columns``", or ``None``.

    Args:
        query: What the visitor typed.
        columns: Text columns searched with "contains, ignoring case".
        exact: Columns that match a word only when equal to it (an NIB, a
            phone number, a reference), where a partial match means nothing.
        max_words: Words after this many are ignored.

    Returns:
        A Piccolo condition to pass to ``.where()``, or ``None`` when the
        query has no words (then nothing is filtered).
    """
    if not columns and not exact:
        raise ValueError("keyword_filter needs at least one column")
    condition = None
    for word in search_words(query, max_words=max_words):
        either = None
        for column in columns:
            either = _or(either, contains(column, word))
        for column in exact:
            either = _or(either, column == word)
        condition = either if condition is None else condition & either
    return condition


def _or(left: Any | None, right: Any) -> Any:
    return right if left is None else left | right
