"""Operators, trucks and service areas (written by balai makemigrations).

The per-city indexes the tables declare (``city_unique``, ``city_indexes``)
and their full-text indexes (``full_text``), in a step of their own after
the one that creates the tables: Piccolo runs a migration's raw steps before
its ``add_table`` steps.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-07T19:17:15:937614"
VERSION = "1.38.0"
DESCRIPTION = "Operators, trucks and service areas"

# name -> (unique, table, columns after city): what this step creates, and removes
CITY_INDEXES = {
    "sipaldi_operator_city_licence_number": (True, "sipaldi_operator", ("licence_number",)),
    "sipaldi_truck_city_plate": (True, "sipaldi_truck", ("plate",)),
    "sipaldi_service_area_city_operator_id_kelurahan": (
        True,
        "sipaldi_service_area",
        ("operator_id", "kelurahan"),
    ),
}
DROPPED_CITY_INDEXES = {}
# name -> (table, columns): the full-text indexes (FTS5 / tsvector) made, and removed
FULL_TEXT = {}
DROPPED_FULL_TEXT = {}

FORWARDS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS sipaldi_operator_city_licence_number ON sipaldi_operator (city, licence_number)",
    "CREATE UNIQUE INDEX IF NOT EXISTS sipaldi_truck_city_plate ON sipaldi_truck (city, plate)",
    "CREATE UNIQUE INDEX IF NOT EXISTS sipaldi_service_area_city_operator_id_kelurahan ON sipaldi_service_area (city, operator_id, kelurahan)",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS sipaldi_service_area_city_operator_id_kelurahan",
    "DROP INDEX IF EXISTS sipaldi_truck_city_plate",
    "DROP INDEX IF EXISTS sipaldi_operator_city_licence_number",
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


class _Raw(Table, tablename="sipaldi_operator"):
    """Only used to reach the engine for raw statements."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="sipaldi", description=DESCRIPTION)

    async def run_forwards() -> None:
        for statement in FORWARDS + ENGINE_FORWARDS[_Raw._meta.db.engine_type]:
            await _Raw.raw(statement)

    async def run_backwards() -> None:
        for statement in ENGINE_BACKWARDS[_Raw._meta.db.engine_type] + BACKWARDS:
            await _Raw.raw(statement)

    manager.add_raw(run_forwards)
    manager.add_raw_backwards(run_backwards)
    return manager
