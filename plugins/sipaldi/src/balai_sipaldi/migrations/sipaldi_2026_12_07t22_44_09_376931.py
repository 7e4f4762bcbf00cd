"""Accounts of operators and crews (written by balai makemigrations).

The per-city indexes the tables declare (``city_unique``, ``city_indexes``)
and their full-text indexes (``full_text``), in a step of their own after
the one that creates the tables: Piccolo runs a migration's raw steps before
its ``add_table`` steps.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-07T22:44:09:376931"
VERSION = "1.38.0"
DESCRIPTION = "Accounts of operators and crews"

# name -> (unique, table, columns after city): what this step creates, and removes
CITY_INDEXES = {
    "sipaldi_staff_city_user_id": (True, "sipaldi_staff", ("user_id",)),
}
DROPPED_CITY_INDEXES = {}
# name -> (table, columns): the full-text indexes (FTS5 / tsvector) made, and removed
FULL_TEXT = {}
DROPPED_FULL_TEXT = {}

FORWARDS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS sipaldi_staff_city_user_id ON sipaldi_staff (city, user_id)",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS sipaldi_staff_city_user_id",
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


class _Raw(Table, tablename="sipaldi_staff"):
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
