"""Multi-row inserts for large batches (assessment runs, demo data).

Piccolo's ``Table.insert`` builds an object per row, and a raw statement
with one parameter per value spends most of its time in Piccolo's
query-string processing (about 13 µs a value). Here the rows go to the
driver's ``executemany`` on the connection of the current transaction (one
is opened when none is), with the driver's own placeholders: ``?`` for
SQLite (values adapted by the adapters Piccolo registers, so dates and
times are stored exactly as Piccolo stores them), ``$n`` for asyncpg. Only
the caller's constant column names go into the SQL text. Rows must carry
their ``city`` themselves (raw SQL is not scoped).
"""

from __future__ import annotations

from collections.abc import Sequence

from piccolo.table import Table


def insert_statement(table: type[Table], columns: Sequence[str]) -> str:
    """The parameterised ``INSERT`` of one row, in the engine's placeholder style."""
    if table._meta.db.engine_type == "sqlite":
        marks = ", ".join("?" for _ in columns)
    else:
        marks = ", ".join(f"${n}" for n in range(1, len(columns) + 1))
    return f"INSERT INTO {table._meta.tablename} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608


async def insert_rows(table: type[Table], columns: Sequence[str], rows: Sequence[tuple]) -> None:
    """Insert ``rows`` (tuples in ``columns`` order) into ``table`` in the current transaction."""
    if not rows:
        return
    statement = insert_statement(table, columns)
    async with table._meta.db.transaction() as transaction:
        await transaction.connection.executemany(statement, list(rows))
