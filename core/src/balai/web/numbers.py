"""Numbers in requests: ASCII digits that fit a database integer, or refused.

Ids in paths (``/produk/{product_id:int}``), page numbers in queries and ids
posted by forms end up in SQL as 64-bit signed integers. Python's ``int``
takes far more than that: any size (SQLite then raises ``OverflowError``,
PostgreSQL a range error), a sign, underscores, surrounding spaces, and
Arabic-Indic or full-width digits (``int("١٢") == 12``). A number a person
types or a link carries is 1 to 19 ASCII digits up to ``2**63 - 1``;
anything else names nothing.

:func:`plain_int` is the one test. :func:`refuse_bent_numbers` applies it to
every request before its handler runs (from the app-wide ``city_guard``):
integer path parameters (404, as for an id that does not exist) and integer
query parameters of the handler (400), so no route, core or plugin, needs a
check of its own. Forms read with ``request.form()`` call :func:`plain_int`
(``tk.plain_int``) where they take an id.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import ParameterKwarg

MAX_INT = 2**63 - 1
"""The largest signed 64-bit integer (SQLite ``INTEGER``, PostgreSQL ``BIGINT``)."""

_DIGITS = re.compile(r"[0-9]{1,19}")


def plain_int(raw: Any) -> int | None:
    """``raw`` as an ``int`` when it is 1-19 ASCII digits up to 2**63 - 1, else ``None``.

    ``None``, ``"-1"``, ``"+1"``, ``" 1"``, ``"1e3"``, ``"1_000"``, ``"١"`` and
    ``str(2**63)`` all give ``None``; ``"007"`` gives 7.
    """
    if not isinstance(raw, str) or not _DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if value <= MAX_INT else None


@lru_cache(maxsize=4096)
def _template_slots(template: str) -> tuple[tuple[int, str], ...]:
    """(segment index, name) of each ``{name}`` in a route's path template."""
    return tuple(
        (index, segment[1:-1])
        for index, segment in enumerate(template.split("/"))
        if segment.startswith("{") and segment.endswith("}")
    )


_QUERY_INTS: dict[Any, tuple[str, ...]] = {}


def _int_query_names(handler: Any) -> tuple[str, ...]:
    """Query keys the handler takes as an ``int`` (``page: FromQuery[int | None]``)."""
    found = _QUERY_INTS.get(handler.fn)
    if found is None:
        names = []
        for name, field in handler.parsed_fn_signature.parameters.items():
            definition = field.kwarg_definition
            if definition is not None and not isinstance(definition, ParameterKwarg):
                continue  # a dependency or the body
            if definition is not None and (definition.header or definition.cookie):
                continue
            if field.is_optional:
                types = [t.annotation for t in field.inner_types]
            else:
                types = [field.annotation]
            if int in types:
                names.append((definition.query if definition else None) or name)
        found = _QUERY_INTS[handler.fn] = tuple(names)
    return found


def refuse_bent_numbers(scope: Any, handler: Any) -> None:
    """Refuse a request whose integer path or query parameter is not :func:`plain_int`.

    Raises:
        NotFoundException: an integer path segment is bent (no such object).
        ValidationException: an integer query parameter is bent (400).
    """
    params = scope.get("path_params")
    if params:
        segments = scope["path"].split("/")
        for index, name in _template_slots(scope.get("path_template", "")):
            value = params.get(name)
            if (
                isinstance(value, int)
                and index < len(segments)
                and plain_int(segments[index]) is None
            ):
                raise NotFoundException()
    names = _int_query_names(handler)
    if names and scope.get("query_string"):
        query = ASGIConnection(scope).query_params
        for name in names:
            for raw in query.getall(name, []):
                if raw != "" and plain_int(raw) is None:
                    raise ValidationException(f"{name} is not a whole number")
