"""A write transaction that takes SQLite's write lock at once (PostgreSQL: a plain one).

A deferred SQLite transaction that reads first and writes later can fail to
upgrade its lock when another writer got there first; taking the lock at the
start makes concurrent writers (two gate officers) wait their turn instead.
"""

from __future__ import annotations

from typing import Any

from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.table import Table


def write_transaction(table: type[Table]) -> Any:
    """A transaction on ``table``'s database, immediate on SQLite."""
    engine = table._meta.db
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()
