"""documents: per-city and full-text indexes (written by balai makemigrations).

The per-city indexes the tables declare (``city_unique``, ``city_indexes``)
and their full-text indexes (``full_text``), in a step of their own after
the one that creates the tables: Piccolo runs a migration's raw steps before
its ``add_table`` steps.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-07T19:13:39:162335"
VERSION = "1.38.0"
DESCRIPTION = "documents: per-city and full-text indexes"

# name -> (unique, table, columns after city): what this step creates, and removes
CITY_INDEXES = {
    "balai_documents_document_city_number": (True, "balai_documents_document", ("number",)),
    "balai_documents_document_city_status_signer_role": (
        False,
        "balai_documents_document",
        ("status", "signer_role"),
    ),
    "balai_documents_certificate_city_serial": (True, "balai_documents_certificate", ("serial",)),
}
DROPPED_CITY_INDEXES = {}
# name -> (table, columns): the full-text indexes (FTS5 / tsvector) made, and removed
FULL_TEXT = {}
DROPPED_FULL_TEXT = {}

FORWARDS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS balai_documents_document_city_number ON balai_documents_document (city, number)",
    "CREATE INDEX IF NOT EXISTS balai_documents_document_city_status_signer_role ON balai_documents_document (city, status, signer_role)",
    "CREATE UNIQUE INDEX IF NOT EXISTS balai_documents_certificate_city_serial ON balai_documents_certificate (city, serial)",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS balai_documents_certificate_city_serial",
    "DROP INDEX IF EXISTS balai_documents_document_city_status_signer_role",
    "DROP INDEX IF EXISTS balai_documents_document_city_number",
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


class _Raw(Table, tablename="balai_documents_document"):
    """Only used to reach the engine for raw statements."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="documents", description=DESCRIPTION)

    async def run_forwards() -> None:
        for statement in FORWARDS + ENGINE_FORWARDS[_Raw._meta.db.engine_type]:
            await _Raw.raw(statement)

    async def run_backwards() -> None:
        for statement in ENGINE_BACKWARDS[_Raw._meta.db.engine_type] + BACKWARDS:
            await _Raw.raw(statement)

    manager.add_raw(run_forwards)
    manager.add_raw_backwards(run_backwards)
    return manager
