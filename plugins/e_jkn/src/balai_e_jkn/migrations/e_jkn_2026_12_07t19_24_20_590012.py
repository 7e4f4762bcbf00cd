"""Applications with sealed KK, family members with sealed NIK and blind indexes (written by balai makemigrations).

The per-city indexes the tables declare (``city_unique``, ``city_indexes``)
and their full-text indexes (``full_text``), in a step of their own after
the one that creates the tables: Piccolo runs a migration's raw steps before
its ``add_table`` steps.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-07T19:24:20:590012"
VERSION = "1.38.0"
DESCRIPTION = "Applications with sealed KK, family members with sealed NIK and blind indexes"

# name -> (unique, table, columns after city): what this step creates, and removes
CITY_INDEXES = {
    "e_jkn_enrolment_city_number": (True, "e_jkn_enrolment", ("number",)),
    "e_jkn_enrolment_city_applicant_id": (False, "e_jkn_enrolment", ("applicant_id",)),
    "e_jkn_enrolment_city_kk_index": (False, "e_jkn_enrolment", ("kk_index",)),
    "e_jkn_member_city_open_nik_index": (True, "e_jkn_member", ("open_nik_index",)),
}
DROPPED_CITY_INDEXES = {}
# name -> (table, columns): the full-text indexes (FTS5 / tsvector) made, and removed
FULL_TEXT = {}
DROPPED_FULL_TEXT = {}

FORWARDS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS e_jkn_enrolment_city_number ON e_jkn_enrolment (city, number)",
    "CREATE INDEX IF NOT EXISTS e_jkn_enrolment_city_applicant_id ON e_jkn_enrolment (city, applicant_id)",
    "CREATE INDEX IF NOT EXISTS e_jkn_enrolment_city_kk_index ON e_jkn_enrolment (city, kk_index)",
    "CREATE UNIQUE INDEX IF NOT EXISTS e_jkn_member_city_open_nik_index ON e_jkn_member (city, open_nik_index)",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS e_jkn_member_city_open_nik_index",
    "DROP INDEX IF EXISTS e_jkn_enrolment_city_kk_index",
    "DROP INDEX IF EXISTS e_jkn_enrolment_city_applicant_id",
    "DROP INDEX IF EXISTS e_jkn_enrolment_city_number",
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


class _Raw(Table, tablename="e_jkn_enrolment"):
    """Only used to reach the engine for raw statements."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="e_jkn", description=DESCRIPTION)

    async def run_forwards() -> None:
        for statement in FORWARDS + ENGINE_FORWARDS[_Raw._meta.db.engine_type]:
            await _Raw.raw(statement)

    async def run_backwards() -> None:
        for statement in ENGINE_BACKWARDS[_Raw._meta.db.engine_type] + BACKWARDS:
            await _Raw.raw(statement)

    manager.add_raw(run_forwards)
    manager.add_raw_backwards(run_backwards)
    return manager
