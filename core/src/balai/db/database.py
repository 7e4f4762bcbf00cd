"""The database of a running instance: one engine, the apps, migrations."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Sequence
from importlib import import_module

from piccolo.apps.migrations.commands.backwards import run_backwards
from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.apps.migrations.tables import Migration
from piccolo.conf.apps import AppConfig, AppRegistry
from piccolo.engine.base import Engine
from piccolo.table import Table

from balai.db import piccolo_conf
from balai.db.engines import PooledPostgresEngine, close_engine, engine_from_url, open_engine
from balai.db.replica import ReplicaRoute

os.environ.setdefault("PICCOLO_CONF", "balai.db.piccolo_conf")


class MigrationError(RuntimeError):
    """A migration failed; the message names the app."""


class Database:
    """The engine and the Piccolo apps of this instance.

    Binding sets the engine on every table of every app, so that several
    instances (a test on SQLite, then one on PostgreSQL) can follow each other
    in one process.
    """

    def __init__(
        self, url: str, app_modules: Sequence[str], *, replica: ReplicaRoute | None = None
    ) -> None:
        self.url = url
        self.engine: Engine = engine_from_url(url)
        if replica is not None:
            if not isinstance(self.engine, PooledPostgresEngine):
                raise ValueError("a read replica needs a PostgreSQL DATABASE_URL")
            self.engine.replica = replica
        self.replica = replica
        self.app_modules = list(app_modules)
        self.apps: list[AppConfig] = [import_module(m).APP_CONFIG for m in self.app_modules]
        self.bind()

    @property
    def is_sqlite(self) -> bool:
        """Whether the engine is SQLite."""
        return self.engine.engine_type == "sqlite"

    def bind(self) -> None:
        """Make this database the one Piccolo and every table use."""
        piccolo_conf.DB = self.engine
        piccolo_conf.APP_REGISTRY = AppRegistry(apps=self.app_modules)
        Migration._meta.db = self.engine
        for app in self.apps:
            for table in app.table_classes:
                table._meta.db = self.engine
        # Table classes defined inside migration modules (raw steps, foreign-key
        # stand-ins) are imported once per process and keep the engine they
        # first saw; point every one that already chose an engine at this one.
        stack = list(Table.__subclasses__())
        while stack:
            table = stack.pop()
            stack.extend(table.__subclasses__())
            if table._meta._db is not None:
                table._meta.db = self.engine

    def app_names(self) -> list[str]:
        """App names in dependency order (dependencies first)."""
        ordered: list[str] = []
        by_name = {app.app_name: app for app in self.apps}

        def visit(name: str, trail: tuple[str, ...] = ()) -> None:
            if name in ordered:
                return
            if name in trail:
                raise MigrationError(f"Circular migration dependency: {' -> '.join(trail)}")
            for dep in by_name[name].migration_dependency_app_configs:
                if dep.app_name not in by_name:
                    raise MigrationError(f"App {name!r} needs app {dep.app_name!r}, not installed")
                visit(dep.app_name, (*trail, name))
            ordered.append(name)

        for app in self.apps:
            visit(app.app_name)
        return ordered

    async def open(self) -> None:
        """Prepare the engine for serving requests."""
        self.bind()
        await open_engine(self.engine)

    async def close(self) -> None:
        """Release connections held for the running loop."""
        await close_engine(self.engine)

    async def migrate(self, *, quiet: bool = True) -> list[str]:
        """Run every app's pending migrations forwards, dependencies first.

        Returns:
            The app names, in the order they were migrated.
        """
        self.bind()
        names = self.app_names()
        for name in names:
            with _quiet(quiet):
                result = await run_forwards(app_name=name)
            if not result.success:
                raise MigrationError(f"Migrations of {name!r} failed: {result.message}")
        return names

    async def rollback(self, *, quiet: bool = True) -> list[str]:
        """Undo every app's migrations, dependants first."""
        self.bind()
        names = list(reversed(self.app_names()))
        for name in names:
            with _quiet(quiet):
                result = await run_backwards(app_name=name, migration_id="all", auto_agree=True)
            if not result.success:
                raise MigrationError(f"Rollback of {name!r} failed: {result.message}")
        return names

    async def applied(self) -> dict[str, list[str]]:
        """Migration ids already applied, per app."""
        self.bind()
        if not await Migration.table_exists():
            return {}
        rows = await Migration.select(Migration.app_name, Migration.name)
        applied: dict[str, list[str]] = {}
        for row in rows:
            applied.setdefault(row["app_name"], []).append(row["name"])
        return applied

    async def pending(self) -> dict[str, list[str]]:
        """Migration ids not applied yet, per app in dependency order (apps with none omitted)."""
        applied = await self.applied()
        finder = BaseMigrationManager()
        by_name = {app.app_name: app for app in self.apps}
        pending: dict[str, list[str]] = {}
        for name in self.app_names():
            modules = finder.get_migration_modules(by_name[name].migrations_folder_path)
            done = set(applied.get(name, []))
            missing = [i for i in finder.get_migration_ids(modules) if i not in done]
            if missing:
                pending[name] = missing
        return pending


@contextlib.contextmanager
def _quiet(enabled: bool):
    """Silence Piccolo's chatty migration output unless asked for it."""
    if not enabled:
        yield
        return
    with contextlib.redirect_stdout(io.StringIO()):
        yield
