"""Prefix indexes for the product search on SQLite (FTS5 ``prefix = '2 3 4 5 6 7 8'``).

The last search word is matched as a prefix. Without a prefix index FTS5
gathers every product holding a word with that prefix before it can hand out
the newest twenty, so a page of a common word cost in proportion to the
catalogue (about 14 ms at a million products against 4 ms at ten thousand in
the bench). With an index for prefixes of 2 to 8 letters it reads the page's
rows only. The index takes about five times the space of the plain one.

FTS5 options cannot be changed in place: the table is created again with the
option and filled from the products (the triggers of the previous migration
name the table and keep working). Backwards does the same without it.
PostgreSQL needs nothing here (its GIN index answers ``word:*`` itself).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T02:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Prefix indexes for the product search (SQLite FTS5)"

TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2'"
FILL = (
    "INSERT INTO umkm_market_product_fts (rowid, name, description, merchant) "
    "SELECT p.id, p.name, p.description, m.name FROM umkm_market_product p "
    "JOIN umkm_market_merchant m ON m.id = p.merchant"
)


class _Raw(Table, tablename="umkm_market_product"):
    """Only used to reach the engine for raw statements."""


async def _rebuild(options: str) -> None:
    if _Raw._meta.db.engine_type != "sqlite":
        return
    await _Raw.raw("DROP TABLE IF EXISTS umkm_market_product_fts")
    await _Raw.raw(
        "CREATE VIRTUAL TABLE umkm_market_product_fts USING fts5("
        f"name, description, merchant, {options})"
    )
    await _Raw.raw(FILL)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="umkm_market", description=DESCRIPTION)

    async def with_prefixes() -> None:
        await _rebuild(f"{TOKENIZE}, prefix = '2 3 4 5 6 7 8'")

    async def without_prefixes() -> None:
        await _rebuild(TOKENIZE)

    manager.add_raw(with_prefixes)
    manager.add_raw_backwards(without_prefixes)
    return manager
