"""tickets (written by balai makemigrations).

The per-city indexes the tables declare (``city_unique``, ``city_indexes``)
and their full-text indexes (``full_text``), in a step of their own after
the one that creates the tables: Piccolo runs a migration's raw steps before
its ``add_table`` steps.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-07T19:14:35:491537"
VERSION = "1.38.0"
DESCRIPTION = "tickets"

# name -> (unique, table, columns after city): what this step creates, and removes
CITY_INDEXES = {
    "wisata_heritage_ticket_price_city_product_category": (
        True,
        "wisata_heritage_ticket_price",
        ("product", "category"),
    ),
    "wisata_heritage_ticket_slot_city_product_starts_at": (
        False,
        "wisata_heritage_ticket_slot",
        ("product", "starts_at"),
    ),
    "wisata_heritage_ticket_stock_city_slot_channel": (
        True,
        "wisata_heritage_ticket_stock",
        ("slot", "channel"),
    ),
    "wisata_heritage_ticket_order_city_number": (True, "wisata_heritage_ticket_order", ("number",)),
    "wisata_heritage_ticket_order_city_buyer_id_created_at": (
        False,
        "wisata_heritage_ticket_order",
        ("buyer_id", "created_at"),
    ),
    "wisata_heritage_ticket_order_city_invoice_number": (
        False,
        "wisata_heritage_ticket_order",
        ("invoice_number",),
    ),
    "wisata_heritage_ticket_order_city_status_created_at": (
        False,
        "wisata_heritage_ticket_order",
        ("status", "created_at"),
    ),
    "wisata_heritage_ticket_city_code": (True, "wisata_heritage_ticket", ("code",)),
    "wisata_heritage_ticket_city_purchase": (False, "wisata_heritage_ticket", ("purchase",)),
    "wisata_heritage_ticket_city_slot_status": (
        False,
        "wisata_heritage_ticket",
        ("slot", "status"),
    ),
    "wisata_heritage_admission_city_ticket": (False, "wisata_heritage_admission", ("ticket",)),
    "wisata_heritage_admission_city_flagged_recorded_at": (
        False,
        "wisata_heritage_admission",
        ("flagged", "recorded_at"),
    ),
}
DROPPED_CITY_INDEXES = {}
# name -> (table, columns): the full-text indexes (FTS5 / tsvector) made, and removed
FULL_TEXT = {}
DROPPED_FULL_TEXT = {}

FORWARDS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS wisata_heritage_ticket_price_city_product_category ON wisata_heritage_ticket_price (city, product, category)",
    "CREATE INDEX IF NOT EXISTS wisata_heritage_ticket_slot_city_product_starts_at ON wisata_heritage_ticket_slot (city, product, starts_at)",
    "CREATE UNIQUE INDEX IF NOT EXISTS wisata_heritage_ticket_stock_city_slot_channel ON wisata_heritage_ticket_stock (city, slot, channel)",
    "CREATE UNIQUE INDEX IF NOT EXISTS wisata_heritage_ticket_order_city_number ON wisata_heritage_ticket_order (city, number)",
    "CREATE INDEX IF NOT EXISTS wisata_heritage_ticket_order_city_buyer_id_created_at ON wisata_heritage_ticket_order (city, buyer_id, created_at)",
    "CREATE INDEX IF NOT EXISTS wisata_heritage_ticket_order_city_invoice_number ON wisata_heritage_ticket_order (city, invoice_number)",
    "CREATE INDEX IF NOT EXISTS wisata_heritage_ticket_order_city_status_created_at ON wisata_heritage_ticket_order (city, status, created_at)",
    "CREATE UNIQUE INDEX IF NOT EXISTS wisata_heritage_ticket_city_code ON wisata_heritage_ticket (city, code)",
    "CREATE INDEX IF NOT EXISTS wisata_heritage_ticket_city_purchase ON wisata_heritage_ticket (city, purchase)",
    "CREATE INDEX IF NOT EXISTS wisata_heritage_ticket_city_slot_status ON wisata_heritage_ticket (city, slot, status)",
    "CREATE INDEX IF NOT EXISTS wisata_heritage_admission_city_ticket ON wisata_heritage_admission (city, ticket)",
    "CREATE INDEX IF NOT EXISTS wisata_heritage_admission_city_flagged_recorded_at ON wisata_heritage_admission (city, flagged, recorded_at)",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS wisata_heritage_admission_city_flagged_recorded_at",
    "DROP INDEX IF EXISTS wisata_heritage_admission_city_ticket",
    "DROP INDEX IF EXISTS wisata_heritage_ticket_city_slot_status",
    "DROP INDEX IF EXISTS wisata_heritage_ticket_city_purchase",
    "DROP INDEX IF EXISTS wisata_heritage_ticket_city_code",
    "DROP INDEX IF EXISTS wisata_heritage_ticket_order_city_status_created_at",
    "DROP INDEX IF EXISTS wisata_heritage_ticket_order_city_invoice_number",
    "DROP INDEX IF EXISTS wisata_heritage_ticket_order_city_buyer_id_created_at",
    "DROP INDEX IF EXISTS wisata_heritage_ticket_order_city_number",
    "DROP INDEX IF EXISTS wisata_heritage_ticket_stock_city_slot_channel",
    "DROP INDEX IF EXISTS wisata_heritage_ticket_slot_city_product_starts_at",
    "DROP INDEX IF EXISTS wisata_heritage_ticket_price_city_product_category",
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


class _Raw(Table, tablename="wisata_heritage_ticket_price"):
    """Only used to reach the engine for raw statements."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="wisata_heritage", description=DESCRIPTION)

    async def run_forwards() -> None:
        for statement in FORWARDS + ENGINE_FORWARDS[_Raw._meta.db.engine_type]:
            await _Raw.raw(statement)

    async def run_backwards() -> None:
        for statement in ENGINE_BACKWARDS[_Raw._meta.db.engine_type] + BACKWARDS:
            await _Raw.raw(statement)

    manager.add_raw(run_forwards)
    manager.add_raw_backwards(run_backwards)
    return manager
