"""Publishing to delivery partners: opt-in and hours, partner orders, feed tombstones (written by balai makemigrations).

The per-city indexes the tables declare (``city_unique``, ``city_indexes``)
and their full-text indexes (``full_text``), in a step of their own after
the one that creates the tables: Piccolo runs a migration's raw steps before
its ``add_table`` steps.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-07T22:46:51:327716"
VERSION = "1.38.0"
DESCRIPTION = "Publishing to delivery partners: opt-in and hours, partner orders, feed tombstones"

# name -> (unique, table, columns after city): what this step creates, and removes
CITY_INDEXES = {
    "umkm_market_partner_order_city_partner_id_reference": (
        True,
        "umkm_market_partner_order",
        ("partner_id", "reference"),
    ),
    "umkm_market_feed_removal_city_product_id": (True, "umkm_market_feed_removal", ("product_id",)),
}
DROPPED_CITY_INDEXES = {}
# name -> (table, columns): the full-text indexes (FTS5 / tsvector) made, and removed
FULL_TEXT = {}
DROPPED_FULL_TEXT = {}

FORWARDS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS umkm_market_partner_order_city_partner_id_reference ON umkm_market_partner_order (city, partner_id, reference)",
    "CREATE UNIQUE INDEX IF NOT EXISTS umkm_market_feed_removal_city_product_id ON umkm_market_feed_removal (city, product_id)",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS umkm_market_feed_removal_city_product_id",
    "DROP INDEX IF EXISTS umkm_market_partner_order_city_partner_id_reference",
]
# per engine, after FORWARDS / before BACKWARDS: the full-text tables and triggers
ENGINE_FORWARDS = {
    "sqlite": [],
    "postgres": [],
}
ENGINE_BACKWARDS = {
    "sqlite": [],
    "postgres": [],
}


class _Raw(Table, tablename="umkm_market_partner_order"):
    """Only used to reach the engine for raw statements."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="umkm_market", description=DESCRIPTION)

    async def run_forwards() -> None:
        for statement in FORWARDS + ENGINE_FORWARDS[_Raw._meta.db.engine_type]:
            await _Raw.raw(statement)

    async def run_backwards() -> None:
        for statement in ENGINE_BACKWARDS[_Raw._meta.db.engine_type] + BACKWARDS:
            await _Raw.raw(statement)

    manager.add_raw(run_forwards)
    manager.add_raw_backwards(run_backwards)
    return manager
