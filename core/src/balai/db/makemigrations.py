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
   second migration, one step *after* the first. A table's ``full_text``
   columns get their :class:`~balai.db.fulltext.FullTextIndex` in the same
   step, with the statements of each database (FTS5 on SQLite, a
   ``tsvector`` table on PostgreSQL; changed columns: dropped and made
   again). Piccolo runs a migration's raw steps before its ``add_table``
   steps, so an index written into the same migration as its table would
   fail on a table that does not exist yet; the generator always splits
   them. The step records what it made in ``CITY_INDEXES`` and
   ``FULL_TEXT`` (and what it removed, for indexes no longer declared, in
   ``DROPPED_CITY_INDEXES`` and ``DROPPED_FULL_TEXT``), so the next run
   knows which exist; an index name already written in a hand-made
   migration counts as existing.

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

from balai.db.fulltext import FullTextIndex
from balai.db.tables import CityTable

MAX_NAME = 63  # PostgreSQL's identifier length
ENGINES = ("sqlite", "postgres")
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
    for module in modules:  # a step drops before it makes
        for name in getattr(module, "DROPPED_CITY_INDEXES", {}):
            made.pop(name, None)
            tracked.add(name)
        for name, (unique, table, columns) in getattr(module, "CITY_INDEXES", {}).items():
            made[name] = CityIndex(table, tuple(columns), unique)
            tracked.add(name)
    text = "\n".join(sources)
    return made, {n for n in re.findall(r"\b[a-z_][a-z0-9_]*_city_[a-z0-9_]+\b", text)} - tracked


def declared_full_text(table_classes: list[Any]) -> dict[str, FullTextIndex]:
    """The full-text indexes the tables declare (``full_text``), by name.

    Raises:
        MakeMigrationsError: a column is unknown or the list is not 1-4 columns.
    """
    found: dict[str, FullTextIndex] = {}
    for table in table_classes:
        if not (isinstance(table, type) and issubclass(table, CityTable)) or not table.full_text:
            continue
        known = {c._meta.db_column_name for c in table._meta.columns}
        wrong = [c for c in table.full_text if c not in known]
        try:
            index = table.full_text_index()
        except ValueError as exc:
            raise MakeMigrationsError(f"{table._meta.tablename}: {exc}") from exc
        if wrong:
            raise MakeMigrationsError(
                f"{table._meta.tablename}: full_text names unknown columns {wrong!r}"
            )
        found[index.name] = index
    return found


def existing_full_text(modules: list[Any]) -> dict[str, FullTextIndex]:
    """The full-text indexes earlier generated steps made and did not drop."""
    made: dict[str, FullTextIndex] = {}
    for module in modules:  # a step drops before it makes (a changed index is both)
        for name in getattr(module, "DROPPED_FULL_TEXT", {}):
            made.pop(name, None)
        for name, (table, columns) in getattr(module, "FULL_TEXT", {}).items():
            made[name] = FullTextIndex(table, tuple(columns))
    return made


@dataclass(frozen=True)
class Changes:
    """What the index step does: per-city indexes and full-text indexes, made and removed."""

    created: list[CityIndex]
    dropped: list[CityIndex]
    text_created: list[FullTextIndex]
    text_dropped: list[FullTextIndex]

    def __bool__(self) -> bool:
        return bool(self.created or self.dropped or self.text_created or self.text_dropped)


def _changes(app: AppConfig, modules: list[Any], sources: list[str]) -> Changes:
    tables = list(app.table_classes)
    declared = declared_indexes(tables)
    made, hand_made = existing_indexes(modules, sources)
    texts = declared_full_text(tables)
    texts_made = existing_full_text(modules)
    return Changes(
        created=[i for name, i in declared.items() if name not in made and name not in hand_made],
        dropped=[i for name, i in made.items() if name not in declared],
        # an index whose columns changed is dropped and made again
        text_created=[i for name, i in texts.items() if texts_made.get(name) != i],
        text_dropped=[i for name, i in texts_made.items() if texts.get(name) != i],
    )


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
    changes = _changes(app, modules, sources)
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
    if changes:
        files.append(_write_index_step(app, changes, after, description))
    return Generated(app.app_name, tuple(files))


def _write_index_step(
    app: AppConfig, changes: Changes, after: datetime | None, description: str
) -> Path:
    moment = piccolo_new.now()
    if after is not None and moment <= after:
        moment = after + timedelta(milliseconds=1)
    migration_id = moment.strftime("%Y-%m-%dT%H:%M:%S:%f")
    filename = f"{app.app_name}_{migration_id.replace(':', '_').replace('-', '_').lower()}"
    path = Path(app.resolved_migrations_folder_path) / f"{filename}.py"
    what = description or f"{app.app_name}: per-city and full-text indexes"
    created, dropped = changes.created, changes.dropped
    forwards = [i.drop_sql() for i in dropped] + [i.create_sql() for i in created]
    backwards = [i.drop_sql() for i in reversed(created)] + [
        i.create_sql() for i in reversed(dropped)
    ]
    engine_forwards = {
        engine: [s for i in changes.text_dropped for s in i.backwards(engine)]
        + [s for i in changes.text_created for s in i.forwards(engine)]
        for engine in ENGINES
    }
    engine_backwards = {
        engine: [s for i in reversed(changes.text_created) for s in i.backwards(engine)]
        + [s for i in reversed(changes.text_dropped) for s in i.forwards(engine)]
        for engine in ENGINES
    }
    tables = [i.table for i in (*created, *dropped, *changes.text_created, *changes.text_dropped)]
    path.write_text(
        INDEX_STEP.format(
            what=what,
            migration_id=migration_id,
            version=PICCOLO_VERSION,
            app_name=app.app_name,
            table=tables[0],
            made=_records({i.name: i.as_record() for i in created}),
            removed=_records({i.name: i.as_record() for i in dropped}),
            text_made=_records({i.name: (i.table, i.columns) for i in changes.text_created}),
            text_removed=_records({i.name: (i.table, i.columns) for i in changes.text_dropped}),
            forwards=_lines(forwards),
            backwards=_lines(backwards),
            engine_forwards=_by_engine(engine_forwards),
            engine_backwards=_by_engine(engine_backwards),
        ),
        encoding="utf-8",
    )
    return path


def _records(records: dict[str, tuple]) -> str:
    if not records:
        return "{}"
    return "{\n" + "".join(f"    {name!r}: {r!r},\n" for name, r in records.items()) + "}"


def _lines(statements: list[str], indent: str = "") -> str:
    if not statements:
        return "[]"
    return "[\n" + "".join(f"{indent}    {s!r},\n" for s in statements) + indent + "]"


def _by_engine(statements: dict[str, list[str]]) -> str:
    rows = "".join(f"    {e!r}: {_lines(lines, '    ')},\n" for e, lines in statements.items())
    return "{\n" + rows + "}"


INDEX_STEP = '''"""{what} (written by balai makemigrations).

The per-city indexes the tables declare (``city_unique``, ``city_indexes``)
and their full-text indexes (``full_text``), in a step of their own after
the one that creates the tables: Piccolo runs a migration's raw steps before
its ``add_table`` steps.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "{migration_id}"
VERSION = "{version}"
DESCRIPTION = "{what}"

# name -> (unique, table, columns after city): what this step creates, and removes
CITY_INDEXES = {made}
DROPPED_CITY_INDEXES = {removed}
# name -> (table, columns): the full-text indexes (FTS5 / tsvector) made, and removed
FULL_TEXT = {text_made}
DROPPED_FULL_TEXT = {text_removed}

FORWARDS = {forwards}
BACKWARDS = {backwards}
# per engine, after FORWARDS / before BACKWARDS: the full-text tables and triggers
ENGINE_FORWARDS = {engine_forwards}
ENGINE_BACKWARDS = {engine_backwards}


class _Raw(Table, tablename="{table}"):
    """Only used to reach the engine for raw statements."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="{app_name}", description=DESCRIPTION)

    async def run_forwards() -> None:
        for statement in FORWARDS + ENGINE_FORWARDS[_Raw._meta.db.engine_type]:
            await _Raw.raw(statement)

    async def run_backwards() -> None:
        for statement in ENGINE_BACKWARDS[_Raw._meta.db.engine_type] + BACKWARDS:
            await _Raw.raw(statement)

    manager.add_raw(run_forwards)
    manager.add_raw_backwards(run_backwards)
    return manager
'''
