"""Multi-row inserts for large batches (assessment runs, demo data).

Piccolo's ``Table.insert`` builds an object per row, and a raw statement
with a parameter per value spends most of its time in Piccolo's query-string
processing (about 13 µs a value). Here a chunk of rows travels as **one JSON
parameter** and the database unpacks it: ``json_populate_recordset`` on
PostgreSQL (the table's own row type gives every column its type) and
``json_each``/``json_extract`` on SQLite. Values are JSON: dates as
``YYYY-MM-DD``, times in UTC as Piccolo writes them, booleans as
``true``/``false``. Only the caller's constant column names go into the SQL
text. Rows must carry their ``city`` themselves (raw SQL is not scoped).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime

from piccolo.table import Table

CHUNK_ROWS = 5_000


def _json_value(value):
    if isinstance(value, datetime):
        return str(value.astimezone(UTC))
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__} in a bulk insert")


def insert_statement(table: type[Table], columns: Sequence[str]) -> str:
    """The ``INSERT`` that reads its rows from one JSON parameter (``{}``)."""
    name = table._meta.tablename
    listed = ", ".join(columns)
    if table._meta.db.engine_type == "sqlite":
        picked = ", ".join(f"json_extract(value, '$.{c}')" for c in columns)
        return f"INSERT INTO {name} ({listed}) SELECT {picked} FROM json_each({{}})"  # noqa: S608
    return (
        f"INSERT INTO {name} ({listed}) SELECT {listed}"  # noqa: S608
        f" FROM json_populate_recordset(NULL::{name}, CAST({{}} AS json))"
    )


async def insert_rows(table: type[Table], columns: Sequence[str], rows: Sequence[tuple]) -> None:
    """Insert ``rows`` (tuples in ``columns`` order) into ``table``, chunk by chunk."""
    if not rows:
        return
    statement = insert_statement(table, columns)
    for start in range(0, len(rows), CHUNK_ROWS):
        part = [dict(zip(columns, row, strict=True)) for row in rows[start : start + CHUNK_ROWS]]
        await table.raw(statement, json.dumps(part, default=_json_value, separators=(",", ":")))
