"""partners: ticket orders (written by balai makemigrations).

The per-city indexes the tables declare (``city_unique``, ``city_indexes``)
and their full-text indexes (``full_text``), in a step of their own after
the one that creates the tables: Piccolo runs a migration's raw steps before
its ``add_table`` steps.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-07T22:44:50:543226"
VERSION = "1.38.0"
DESCRIPTION = "partners: ticket orders"

# name -> (unique, table, columns after city): what this step creates, and removes
CITY_INDEXES = {
    "balai_partner_ticket_order_city_partner_id_reference": (
        True,
        "balai_partner_ticket_order",
        ("partner_id", "reference"),
    ),
    "balai_partner_ticket_order_city_partner_id_payment_reference": (
        True,
        "balai_partner_ticket_order",
        ("partner_id", "payment_reference"),
    ),
}
DROPPED_CITY_INDEXES = {}
# name -> (table, columns): the full-text indexes (FTS5 / tsvector) made, and removed
FULL_TEXT = {}
DROPPED_FULL_TEXT = {}

FORWARDS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS balai_partner_ticket_order_city_partner_id_reference ON balai_partner_ticket_order (city, partner_id, reference)",
    "CREATE UNIQUE INDEX IF NOT EXISTS balai_partner_ticket_order_city_partner_id_payment_reference ON balai_partner_ticket_order (city, partner_id, payment_reference)",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS balai_partner_ticket_order_city_partner_id_payment_reference",
    "DROP INDEX IF EXISTS balai_partner_ticket_order_city_partner_id_reference",
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


class _Raw(Table, tablename="balai_partner_ticket_order"):
    """Only used to reach the engine for raw statements."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="partners", description=DESCRIPTION)

    async def run_forwards() -> None:
        for statement in FORWARDS + ENGINE_FORWARDS[_Raw._meta.db.engine_type]:
            await _Raw.raw(statement)

    async def run_backwards() -> None:
        for statement in ENGINE_BACKWARDS[_Raw._meta.db.engine_type] + BACKWARDS:
            await _Raw.raw(statement)

    manager.add_raw(run_forwards)
    manager.add_raw_backwards(run_backwards)
    return manager
