"""A plugin's city rows as the conformance suite uses them.

Three uses: values for path parameters (``{product_id:int}`` takes the ``id``
of the table whose name ends in ``_product``; ``{nop:str}`` a column named
``nop``), markers (text only one row of one city holds, which must never be
seen in another city's pages) and row counts (a refused form writes nothing).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from piccolo.columns import Column, Text, Varchar

from balai.db.tables import CityTable

# Values that look like a machine enumeration (status, kind): pages show them as
# option values whatever the city, so they identify no row.
_ENUM_LIKE = re.compile(r"[a-z_]+")
MIN_MARKER_LENGTH = 6
ROWS_PER_END = 10  # markers from the first and the last rows of each table, and as many between


def city_tables(app: Any, slug: str) -> list[type[CityTable]]:
    """The ``CityTable`` classes of the plugin ``slug``'s Piccolo apps."""
    registry = app.ui.registry
    modules = registry.call_one(registry.plugins[slug].obj, "piccolo_apps") or []
    tables: list[type[CityTable]] = []
    for name in modules:
        for table in import_module(name).APP_CONFIG.table_classes:
            if issubclass(table, CityTable) and table not in tables:
                tables.append(table)
    return tables


async def read_rows(tables: Iterable[type[CityTable]]) -> dict[str, list[dict[str, Any]]]:
    """Every row of the current city in each table, by table name, in ``id`` order."""
    return {t._meta.tablename: await t.select().order_by(t._meta.primary_key) for t in tables}


async def count_rows(tables: Iterable[type[CityTable]]) -> dict[str, int]:
    """How many rows of the current city each table holds, by table name."""
    return {t._meta.tablename: await t.count() for t in tables}


def _text_columns(table: type[CityTable]) -> list[str]:
    return [
        c._meta.name
        for c in table._meta.columns
        if isinstance(c, Varchar | Text) and c._meta.name != "city"
    ]


def _spread(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first and last rows, and as many spread evenly between them."""
    if len(rows) <= 3 * ROWS_PER_END:
        return rows
    step = len(rows) // (ROWS_PER_END + 1)
    middle = rows[step : len(rows) - step : step][:ROWS_PER_END]
    return rows[:ROWS_PER_END] + middle + rows[-ROWS_PER_END:]


def markers(
    tables: Iterable[type[CityTable]],
    own: dict[str, list[dict[str, Any]]],
    other: dict[str, list[dict[str, Any]]],
) -> dict[str, str]:
    """Texts that identify one row of a city and appear nowhere in the other city's rows.

    Args:
        tables: The plugin's city tables.
        own: The city's rows (:func:`read_rows`).
        other: The other city's rows.

    Returns:
        Marker text -> where it comes from (``umkm_market_product #12 name``).
    """
    other_text = "\x00".join(
        str(value)
        for table in tables
        for row in other.get(table._meta.tablename, [])
        for name in _text_columns(table)
        if (value := row.get(name))
    )
    found: dict[str, str] = {}
    for table in tables:
        rows = own.get(table._meta.tablename, [])
        for name in _text_columns(table):
            counts = Counter(row.get(name) for row in rows)
            for row in _spread(rows):
                value = row.get(name)
                if not isinstance(value, str) or counts[value] != 1:
                    continue
                value = value.strip()
                if len(value) < MIN_MARKER_LENGTH or _ENUM_LIKE.fullmatch(value):
                    continue
                if value in other_text or value in found:
                    continue
                found[value] = f"{table._meta.tablename} #{row.get('id')} {name}"
    return found


@dataclass(frozen=True)
class ParamSource:
    """Where the values of one path parameter come from: a table's column."""

    table: str
    column: str


def _stem(name: str) -> str:
    return name[: -len("_id")] if name.endswith("_id") else name


def param_source(
    name: str, tables: Iterable[type[CityTable]], overrides: dict[str, Column]
) -> ParamSource | None:
    """The column whose values fill the path parameter ``name``.

    ``overrides`` (parameter -> Piccolo column) first; then ``<x>_id`` is the
    ``id`` of the table named ``..._<x>`` (``product_id``:
    ``umkm_market_product``); then any table with a column named ``name``.
    """
    if name in overrides:
        column = overrides[name]
        return ParamSource(column._meta.table._meta.tablename, column._meta.name)
    tables = list(tables)
    if name.endswith("_id"):
        for table in tables:
            if table._meta.tablename.endswith(f"_{_stem(name)}"):
                return ParamSource(table._meta.tablename, "id")
    for table in tables:
        if name in {c._meta.name for c in table._meta.columns}:
            return ParamSource(table._meta.tablename, name)
    return None


def absent_value(kind: type) -> Any:
    """A path parameter value no row has (for tables the demo leaves empty)."""
    return 999_999 if kind is int else "tidak-ada"


def path_values(
    params: list[tuple[str, type]],
    sources: dict[str, ParamSource],
    rows: dict[str, list[dict[str, Any]]],
    limit: int,
) -> list[dict[str, Any]]:
    """Up to ``limit`` sets of values for ``params`` (name, type), taken from ``rows``.

    The last parameter picks the row (the first ones and the last one); the
    others come from that row when it has a column named after them
    (``business`` or ``business_id`` for ``{business_id}``), so that
    ``/usaha/{business_id}/spt/{return_id}`` names a return of that business.
    A parameter whose table is empty gets :func:`absent_value`.
    """
    if not params:
        return [{}]
    (last_name, last_kind), last = params[-1], sources[params[-1][0]]
    table_rows = [r for r in rows.get(last.table, []) if r.get(last.column) not in (None, "")]
    chosen = table_rows[: max(limit - 1, 1)] + table_rows[-1:] if table_rows else [{}]
    filled: list[dict[str, Any]] = []
    for row in chosen[:limit]:
        values = {last_name: row.get(last.column, absent_value(last_kind))}
        for name, kind in params[:-1]:
            if row.get(_stem(name)) is not None:
                values[name] = row[_stem(name)]
            elif row.get(name) is not None:
                values[name] = row[name]
            else:
                source = sources[name]
                own = [r[source.column] for r in rows.get(source.table, [])]
                values[name] = own[0] if own else absent_value(kind)
        if values not in filled:
            filled.append(values)
    return filled
