"""pengaduan: per-city and full-text indexes (written by balai makemigrations).

The per-city indexes the tables declare (``city_unique``, ``city_indexes``)
and their full-text indexes (``full_text``), in a step of their own after
the one that creates the tables: Piccolo runs a migration's raw steps before
its ``add_table`` steps.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-07T19:12:53:861220"
VERSION = "1.38.0"
DESCRIPTION = "pengaduan: per-city and full-text indexes"

# name -> (unique, table, columns after city): what this step creates, and removes
CITY_INDEXES = {
    "pengaduan_report_city_number": (True, "pengaduan_report", ("number",)),
    "pengaduan_report_city_created_at": (False, "pengaduan_report", ("created_at",)),
    "pengaduan_report_city_category_created_at": (
        False,
        "pengaduan_report",
        ("category", "created_at"),
    ),
    "pengaduan_report_city_status_created_at": (
        False,
        "pengaduan_report",
        ("status", "created_at"),
    ),
    "pengaduan_report_city_department_status_urgent_created_at": (
        False,
        "pengaduan_report",
        ("department", "status", "urgent", "created_at"),
    ),
    "pengaduan_report_city_reporter_id": (False, "pengaduan_report", ("reporter_id",)),
    "pengaduan_photo_city_report_id": (False, "pengaduan_photo", ("report_id",)),
    "pengaduan_note_city_report_id": (False, "pengaduan_note", ("report_id",)),
    "pengaduan_follower_city_report_id_user_id": (
        True,
        "pengaduan_follower",
        ("report_id", "user_id"),
    ),
    "pengaduan_member_city_user_id_department": (
        True,
        "pengaduan_member",
        ("user_id", "department"),
    ),
    "pengaduan_api_client_city_key_hash": (True, "pengaduan_api_client", ("key_hash",)),
}
DROPPED_CITY_INDEXES = {}
# name -> (table, columns): the full-text indexes (FTS5 / tsvector) made, and removed
FULL_TEXT = {}
DROPPED_FULL_TEXT = {}

FORWARDS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS pengaduan_report_city_number ON pengaduan_report (city, number)",
    "CREATE INDEX IF NOT EXISTS pengaduan_report_city_created_at ON pengaduan_report (city, created_at)",
    "CREATE INDEX IF NOT EXISTS pengaduan_report_city_category_created_at ON pengaduan_report (city, category, created_at)",
    "CREATE INDEX IF NOT EXISTS pengaduan_report_city_status_created_at ON pengaduan_report (city, status, created_at)",
    "CREATE INDEX IF NOT EXISTS pengaduan_report_city_department_status_urgent_created_at ON pengaduan_report (city, department, status, urgent, created_at)",
    "CREATE INDEX IF NOT EXISTS pengaduan_report_city_reporter_id ON pengaduan_report (city, reporter_id)",
    "CREATE INDEX IF NOT EXISTS pengaduan_photo_city_report_id ON pengaduan_photo (city, report_id)",
    "CREATE INDEX IF NOT EXISTS pengaduan_note_city_report_id ON pengaduan_note (city, report_id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS pengaduan_follower_city_report_id_user_id ON pengaduan_follower (city, report_id, user_id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS pengaduan_member_city_user_id_department ON pengaduan_member (city, user_id, department)",
    "CREATE UNIQUE INDEX IF NOT EXISTS pengaduan_api_client_city_key_hash ON pengaduan_api_client (city, key_hash)",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS pengaduan_api_client_city_key_hash",
    "DROP INDEX IF EXISTS pengaduan_member_city_user_id_department",
    "DROP INDEX IF EXISTS pengaduan_follower_city_report_id_user_id",
    "DROP INDEX IF EXISTS pengaduan_note_city_report_id",
    "DROP INDEX IF EXISTS pengaduan_photo_city_report_id",
    "DROP INDEX IF EXISTS pengaduan_report_city_reporter_id",
    "DROP INDEX IF EXISTS pengaduan_report_city_department_status_urgent_created_at",
    "DROP INDEX IF EXISTS pengaduan_report_city_status_created_at",
    "DROP INDEX IF EXISTS pengaduan_report_city_category_created_at",
    "DROP INDEX IF EXISTS pengaduan_report_city_created_at",
    "DROP INDEX IF EXISTS pengaduan_report_city_number",
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


class _Raw(Table, tablename="pengaduan_report"):
    """Only used to reach the engine for raw statements."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="pengaduan", description=DESCRIPTION)

    async def run_forwards() -> None:
        for statement in FORWARDS + ENGINE_FORWARDS[_Raw._meta.db.engine_type]:
            await _Raw.raw(statement)

    async def run_backwards() -> None:
        for statement in ENGINE_BACKWARDS[_Raw._meta.db.engine_type] + BACKWARDS:
            await _Raw.raw(statement)

    manager.add_raw(run_forwards)
    manager.add_raw_backwards(run_backwards)
    return manager
