"""Each table's row count and content checksum, read the same way from a source and its copy.

A table's checksum is the SHA-256 of its rows in a fixed order, each row
written as one canonical line, so a backup and the database restored from it
compare equal exactly when every row came back.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_BATCH = 1000


def quoted(name: str) -> str:
    """A table name from the database's own catalogue as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class TableSum:
    """How many rows a table holds and the checksum of their content."""

    rows: int
    sha256: str

    def as_json(self) -> dict[str, Any]:
        """The manifest's form."""
        return {"rows": self.rows, "sha256": self.sha256}


def _line(row: Any) -> bytes:
    def plain(value: Any) -> Any:
        return value.hex() if isinstance(value, bytes | memoryview) else value

    return json.dumps([plain(v) for v in row], default=str, ensure_ascii=False).encode() + b"\n"


def sqlite_tables(path: Path) -> dict[str, TableSum]:
    """Every table of the SQLite file at ``path``, rows ordered by every column in turn."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        sums = {}
        for name in names:
            digest, count = hashlib.sha256(), 0
            width = len(connection.execute(f"PRAGMA table_info({quoted(name)})").fetchall())
            order = ", ".join(str(n) for n in range(1, width + 1))
            cursor = connection.execute(f"SELECT * FROM {quoted(name)} ORDER BY {order}")  # noqa: S608
            while batch := cursor.fetchmany(_BATCH):
                for row in batch:
                    digest.update(_line(row))
                count += len(batch)
            sums[name] = TableSum(count, digest.hexdigest())
        return sums
    finally:
        connection.close()


async def postgres_tables(connection: Any) -> dict[str, TableSum]:
    """Every table of the ``public`` schema, read on ``connection`` (an asyncpg connection).

    Rows are PostgreSQL's own JSON text of each row, ordered by that text
    byte-wise (``COLLATE "C"``), so the order does not depend on a locale.
    Call it inside the transaction whose snapshot the dump was taken from.
    """
    names = [
        row["table_name"]
        for row in await connection.fetch(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
    ]
    sums = {}
    for name in names:
        digest, count = hashlib.sha256(), 0
        query = (
            f"SELECT row_to_json(t)::text AS line FROM {quoted(name)} AS t "  # noqa: S608
            'ORDER BY row_to_json(t)::text COLLATE "C"'
        )
        async for row in connection.cursor(query, prefetch=_BATCH):
            digest.update(row["line"].encode() + b"\n")
            count += 1
        sums[name] = TableSum(count, digest.hexdigest())
    return sums
