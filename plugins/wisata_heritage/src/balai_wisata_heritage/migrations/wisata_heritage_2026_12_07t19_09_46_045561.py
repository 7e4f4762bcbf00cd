"""Heritage content: site legal data, stories, places and hours exceptions; events; walks (written by balai makemigrations).

The per-city indexes the tables declare (``city_unique``, ``city_indexes``)
and their full-text indexes (``full_text``), in a step of their own after
the one that creates the tables: Piccolo runs a migration's raw steps before
its ``add_table`` steps.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-07T19:09:46:045561"
VERSION = "1.38.0"
DESCRIPTION = (
    "Heritage content: site legal data, stories, places and hours exceptions; events; walks"
)

# name -> (unique, table, columns after city): what this step creates, and removes
CITY_INDEXES = {
    "wisata_heritage_site_city_status_name": (False, "wisata_heritage_site", ("status", "name")),
    "wisata_heritage_site_exception_city_site_starts_on": (
        False,
        "wisata_heritage_site_exception",
        ("site", "starts_on"),
    ),
    "wisata_heritage_event_city_status_starts_at": (
        False,
        "wisata_heritage_event",
        ("status", "starts_at"),
    ),
    "wisata_heritage_walk_stop_city_walk_position": (
        True,
        "wisata_heritage_walk_stop",
        ("walk", "position"),
    ),
}
DROPPED_CITY_INDEXES = {}
# name -> (table, columns): the full-text indexes (FTS5 / tsvector) made, and removed
FULL_TEXT = {}
DROPPED_FULL_TEXT = {}

FORWARDS = [
    "CREATE INDEX IF NOT EXISTS wisata_heritage_site_city_status_name ON wisata_heritage_site (city, status, name)",
    "CREATE INDEX IF NOT EXISTS wisata_heritage_site_exception_city_site_starts_on ON wisata_heritage_site_exception (city, site, starts_on)",
    "CREATE INDEX IF NOT EXISTS wisata_heritage_event_city_status_starts_at ON wisata_heritage_event (city, status, starts_at)",
    "CREATE UNIQUE INDEX IF NOT EXISTS wisata_heritage_walk_stop_city_walk_position ON wisata_heritage_walk_stop (city, walk, position)",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS wisata_heritage_walk_stop_city_walk_position",
    "DROP INDEX IF EXISTS wisata_heritage_event_city_status_starts_at",
    "DROP INDEX IF EXISTS wisata_heritage_site_exception_city_site_starts_on",
    "DROP INDEX IF EXISTS wisata_heritage_site_city_status_name",
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


class _Raw(Table, tablename="wisata_heritage_site"):
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
