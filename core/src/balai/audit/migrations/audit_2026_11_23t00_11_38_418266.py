"""One sequence number per city, and triggers that refuse UPDATE and DELETE."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T00:11:38:418266"
VERSION = "1.38.0"
DESCRIPTION = "Unique (city, seq); the audit table is append-only in the database too"

POSTGRES_UP = [
    "CREATE UNIQUE INDEX IF NOT EXISTS balai_audit_entry_city_seq ON balai_audit_entry (city, seq)",
    """CREATE OR REPLACE FUNCTION balai_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'balai_audit_entry is append-only';
END;
$$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS balai_audit_entry_append_only ON balai_audit_entry",
    """CREATE TRIGGER balai_audit_entry_append_only
BEFORE UPDATE OR DELETE ON balai_audit_entry
FOR EACH ROW EXECUTE FUNCTION balai_audit_append_only()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS balai_audit_entry_append_only ON balai_audit_entry",
    "DROP FUNCTION IF EXISTS balai_audit_append_only()",
    "DROP INDEX IF EXISTS balai_audit_entry_city_seq",
]
SQLITE_UP = [
    "CREATE UNIQUE INDEX IF NOT EXISTS balai_audit_entry_city_seq ON balai_audit_entry (city, seq)",
    """CREATE TRIGGER IF NOT EXISTS balai_audit_entry_no_update
BEFORE UPDATE ON balai_audit_entry
BEGIN SELECT RAISE(ABORT, 'balai_audit_entry is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS balai_audit_entry_no_delete
BEFORE DELETE ON balai_audit_entry
BEGIN SELECT RAISE(ABORT, 'balai_audit_entry is append-only'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS balai_audit_entry_no_update",
    "DROP TRIGGER IF EXISTS balai_audit_entry_no_delete",
    "DROP INDEX IF EXISTS balai_audit_entry_city_seq",
]


class _Raw(Table, tablename="balai_audit_entry"):
    """Only used to reach the engine for raw statements."""


def _statements(up: bool) -> list[str]:
    sqlite = _Raw._meta.db.engine_type == "sqlite"
    if up:
        return SQLITE_UP if sqlite else POSTGRES_UP
    return SQLITE_DOWN if sqlite else POSTGRES_DOWN


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="audit", description=DESCRIPTION)

    async def create() -> None:
        for statement in _statements(up=True):
            await _Raw.raw(statement)

    async def drop() -> None:
        for statement in _statements(up=False):
            await _Raw.raw(statement)

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
