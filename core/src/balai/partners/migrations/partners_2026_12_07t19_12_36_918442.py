"""partners: per-city and full-text indexes (written by balai makemigrations).

The per-city indexes the tables declare (``city_unique``, ``city_indexes``)
and their full-text indexes (``full_text``), in a step of their own after
the one that creates the tables: Piccolo runs a migration's raw steps before
its ``add_table`` steps.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-07T19:12:36:918442"
VERSION = "1.38.0"
DESCRIPTION = "partners: per-city and full-text indexes"

# name -> (unique, table, columns after city): what this step creates, and removes
CITY_INDEXES = {
    "balai_partner_city_client_id": (True, "balai_partner", ("client_id",)),
    "balai_partner_message_city_partner_id_day_external_id": (
        True,
        "balai_partner_message",
        ("partner_id", "day", "external_id"),
    ),
    "balai_partner_inquiry_city_partner_id_inquiry_id": (
        True,
        "balai_partner_inquiry",
        ("partner_id", "inquiry_id"),
    ),
    "balai_partner_payment_city_partner_id_reference": (
        True,
        "balai_partner_payment",
        ("partner_id", "reference"),
    ),
    "balai_partner_payment_city_partner_id_day": (
        False,
        "balai_partner_payment",
        ("partner_id", "day"),
    ),
}
DROPPED_CITY_INDEXES = {}
# name -> (table, columns): the full-text indexes (FTS5 / tsvector) made, and removed
FULL_TEXT = {}
DROPPED_FULL_TEXT = {}

FORWARDS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS balai_partner_city_client_id ON balai_partner (city, client_id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS balai_partner_message_city_partner_id_day_external_id ON balai_partner_message (city, partner_id, day, external_id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS balai_partner_inquiry_city_partner_id_inquiry_id ON balai_partner_inquiry (city, partner_id, inquiry_id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS balai_partner_payment_city_partner_id_reference ON balai_partner_payment (city, partner_id, reference)",
    "CREATE INDEX IF NOT EXISTS balai_partner_payment_city_partner_id_day ON balai_partner_payment (city, partner_id, day)",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS balai_partner_payment_city_partner_id_day",
    "DROP INDEX IF EXISTS balai_partner_payment_city_partner_id_reference",
    "DROP INDEX IF EXISTS balai_partner_inquiry_city_partner_id_inquiry_id",
    "DROP INDEX IF EXISTS balai_partner_message_city_partner_id_day_external_id",
    "DROP INDEX IF EXISTS balai_partner_city_client_id",
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


class _Raw(Table, tablename="balai_partner"):
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
