"""``balai makemigrations PLUGIN``: Piccolo's auto migrations with the platform's conventions.

For each Piccolo app of a plugin, the tables (``APP_CONFIG.table_classes``)
are compared with what the app's migrations build, and up to two migration
files are written to its migrations folder:

1. **Piccolo's auto migration** for new tables, columns and column changes.
   A :class:`~balai.db.tables.CityTable` brings its ``city`` column (with its
   index) like any other column.
2. **The per-city indexes** the tables declare (``city_unique`` and
   ``city_indexes``, see :class:`~balai.db.tables.CityTable`): each becomes
   ``CREATE [UNIQUE] INDEX <table>_city_<columns> ON <table> (city, …)`` in a
   second migration, one step *after* the first. Piccolo runs a migration's
   raw steps before its ``add_table`` steps, so an index written into the
   same migration as its table would fail on a table that does not exist
   yet; the generator always splits them. The step records what it made in
   ``CITY_INDEXES`` (and what it removed, for indexes no longer declared, in
   ``DROPPED_CITY_INDEXES``), so the next run knows which exist; an index
   name already written in a hand-made migration counts as existing.

Both files are frozen text, as migrations must be: they do not call back
into the code that wrote them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module
from pathlib import Path
from typing import Any

from piccolo import __VERSION__ as PICCOLO_VERSION
from piccolo.apps.migrations.commands import new as piccolo_new
from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.conf.apps import AppConfig

from balai.db.tables import CityTable

MAX_NAME = 63  # PostgreSQL's identifier length
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


class MakeMigrationsError(RuntimeError):
    """A table declares an index the generator cannot make."""


@dataclass(frozen=True)
class CityIndex:
    """An index on ``(city, *columns)`` of one table."""

    table: str
    columns: tuple[str, ...]
    unique: bool

    @property
    def name(self) -> str:
        """``<table>_city_<columns>``, shortened with a hash past 63 characters."""
        name = f"{self.table}_city_{'_'.join(self.columns)}"
        if len(name) <= MAX_NAME:
            return name
        digest = hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()[:8]
        return f"{name[: MAX_NAME - 9]}_{digest}"

    def create_sql(self) -> str:
        """The statement creating the index (idempotent)."""
        kind = "UNIQUE INDEX" if self.unique else "INDEX"
        columns = ", ".join(("city", *self.columns))
        return f"CREATE {kind} IF NOT EXISTS {self.name} ON {self.table} ({columns})"

    def drop_sql(self) -> str:
        """The statement dropping the index (idempotent)."""
        return f"DROP INDEX IF EXISTS {self.name}"

    def as_record(self) -> tuple[bool, str, tuple[str, ...]]:
        """What a migration's ``CITY_INDEXES`` keeps of it."""
        return (self.unique, self.table, self.columns)


def declared_indexes(table_classes: list[Any]) -> dict[str, CityIndex]:
    """The per-city indexes the tables declare, by name.

    Raises:
        MakeMigrationsError: an index names a column the table lacks, or
            names ``city`` itself (it comes first in every one).
    """
    found: dict[str, CityIndex] = {}
    for table in table_classes:
        if not (isinstance(table, type) and issubclass(table, CityTable)):
            continue
        tablename = table._meta.tablename
        known = {c._meta.db_column_name for c in table._meta.columns}
        for unique, declared in ((True, table.city_unique), (False, table.city_indexes)):
            for columns in declared:
                columns = (columns,) if isinstance(columns, str) else tuple(columns)
                wrong = [c for c in columns if c not in known or c == "city" or not _NAME.match(c)]
                if not columns or wrong:
                    raise MakeMigrationsError(
                        f"{tablename}: index on {columns!r} names unknown columns {wrong!r} "
                        "(list the columns after city)"
                    )
                index = CityIndex(tablename, columns, unique)
                found[index.name] = index
    return found


def existing_indexes(
    modules: list[Any], sources: list[str]
) -> tuple[dict[str, CityIndex], set[str]]:
    """The indexes earlier generated steps made (and did not drop), and hand-made names.

    Args:
        modules: The app's migration modules, in the order they run.
        sources: Their source texts.
    """
    made: dict[str, CityIndex] = {}
    tracked: set[str] = set()
    for module in modules:
        for name, (unique, table, columns) in getattr(module, "CITY_INDEXES", {}).items():
            made[name] = CityIndex(table, tuple(columns), unique)
            tracked.add(name)
        for name in getattr(module, "DROPPED_CITY_INDEXES", {}):
            made.pop(name, None)
            tracked.add(name)
    text = "\n".join(sources)
    return made, {n for n in re.findall(r"\b[a-z_][a-z0-9_]*_city_[a-z0-9_]+\b", text)} - tracked


@dataclass(frozen=True)
class Generated:
    """The files written for one app (none when nothing changed)."""

    app_name: str
    files: tuple[Path, ...]


def _migration_modules(app: AppConfig) -> tuple[list[Any], list[str]]:
    finder = BaseMigrationManager()
    modules = finder.get_migration_modules(app.resolved_migrations_folder_path)
    ordered = [modules[key] for key in sorted(modules)]
    sources = [Path(m.__file__).read_text(encoding="utf-8") for m in ordered if m.__file__]
    return ordered, sources


async def make_migrations(app_module: str, description: str = "") -> Generated:
    """Write the migrations that bring the app's database up to its tables.

    Args:
        app_module: The module holding the app's ``APP_CONFIG``
            (``balai_pajak.piccolo_app``).
        description: The migrations' ``DESCRIPTION`` (default: what they do).
    """
    app: AppConfig = import_module(app_module).APP_CONFIG
    Path(app.resolved_migrations_folder_path).mkdir(parents=True, exist_ok=True)
    init = Path(app.resolved_migrations_folder_path) / "__init__.py"
    if not init.exists():
        init.write_text("", encoding="utf-8")
    files: list[Path] = []
    modules, sources = _migration_modules(app)
    declared = declared_indexes(list(app.table_classes))
    made, hand_made = existing_indexes(modules, sources)
    created = [i for name, i in declared.items() if name not in made and name not in hand_made]
    dropped = [i for name, i in made.items() if name not in declared]
    try:
        meta = await piccolo_new._create_new_migration(
            app,
            auto=True,
            description=description or f"{app.app_name}: tables and columns",
            auto_input="y",
        )
        files.append(Path(meta.migration_path))
        after = datetime.strptime(meta.migration_id, "%Y-%m-%dT%H:%M:%S:%f")
    except piccolo_new.NoChanges:
        after = None
    if created or dropped:
        files.append(_write_index_step(app, created, dropped, after, description))
    return Generated(app.app_name, tuple(files))


def _write_index_step(
    app: AppConfig,
    created: list[CityIndex],
    dropped: list[CityIndex],
    after: datetime | None,
    description: str,
) -> Path:
    moment = piccolo_new.now()
    if after is not None and moment <= after:
        moment = after + timedelta(milliseconds=1)
    migration_id = moment.strftime("%Y-%m-%dT%H:%M:%S:%f")
    filename = f"{app.app_name}_{migration_id.replace(':', '_').replace('-', '_').lower()}"
    path = Path(app.resolved_migrations_folder_path) / f"{filename}.py"
    what = description or f"{app.app_name}: per-city indexes"
    forwards = [i.drop_sql() for i in dropped] + [i.create_sql() for i in created]
    backwards = [i.drop_sql() for i in reversed(created)] + [
        i.create_sql() for i in reversed(dropped)
    ]
    table = (created or dropped)[0].table
    path.write_text(
        INDEX_STEP.format(
            what=what,
            migration_id=migration_id,
            version=PICCOLO_VERSION,
            app_name=app.app_name,
            table=table,
            made=_records(created),
            removed=_records(dropped),
            forwards=_lines(forwards),
            backwards=_lines(backwards),
        ),
        encoding="utf-8",
    )
    return path


def _records(indexes: list[CityIndex]) -> str:
    if not indexes:
        return "{}"
    rows = "".join(f"    {i.name!r}: {i.as_record()!r},\n" for i in indexes)
    return "{\n" + rows + "}"


def _lines(statements: list[str]) -> str:
    return "[\n" + "".join(f"    {s!r},\n" for s in statements) + "]"


INDEX_STEP = '''"""{what} (written by balai makemigrations).

The per-city indexes the tables declare (``city_unique``, ``city_indexes``),
in a step of their own after the one that creates the tables: Piccolo runs a
migration's raw steps before its ``add_table`` steps.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "{migration_id}"
VERSION = "{version}"
DESCRIPTION = "{what}"

# name -> (unique, table, columns after city): what this step creates, and removes
CITY_INDEXES = {made}
DROPPED_CITY_INDEXES = {removed}

FORWARDS = {forwards}
BACKWARDS = {backwards}


class _Raw(Table, tablename="{table}"):
    """Only used to reach the engine for raw statements."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="{app_name}", description=DESCRIPTION)

    async def run_forwards() -> None:
        for statement in FORWARDS:
            await _Raw.raw(statement)

    async def run_backwards() -> None:
        for statement in BACKWARDS:
            await _Raw.raw(statement)

    manager.add_raw(run_forwards)
    manager.add_raw_backwards(run_backwards)
    return manager
'''
