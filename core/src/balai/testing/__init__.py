"""Balai's pytest plugin: the test kit for the core and for plugin authors.

Installed with ``balai`` (entry point ``pytest11: balai``), so every project
that depends on Balai gets these fixtures without importing anything:

``balai_plugins``
    Which installed plugins the app loads (``None``: all). Override it in a
    plugin's ``conftest.py``::

        @pytest.fixture
        def balai_plugins():
            return ["pajak"]

``balai_cities`` / ``balai_config``
    Two cities, Malang (every loaded plugin) and Semarang (none), in a checked
    :class:`balai.config.Config`. Override ``balai_config`` with
    :func:`write_config` for other mixes or plugin settings.

``balai_database_url`` / ``balai_app`` / ``client``
    A migrated application on an empty database and a
    :class:`litestar.testing.TestClient` with its lifespan running. The
    database is SQLite in the test's temporary folder, or, when
    ``BALAI_TEST_DATABASE_URL`` names a PostgreSQL server, a database of
    this test run's own on that server (emptied before each test).
    When ``BALAI_TEST_REDIS_URL`` is set, sessions, login throttling and
    jobs use that Redis, under this run's own key prefix (its keys are
    removed before each test).

``balai_test_servers``
    What this run owns on those servers: the PostgreSQL database it created
    (``balai_test_<pid>_<random>``, dropped when the run ends) and its Redis
    key prefix (``balai-test-<pid>-<random>:``, its keys deleted when the
    run ends). Nothing else on either server is read, emptied or dropped,
    so a developer's own ``test`` database is safe and two runs against one
    server do not see each other.

``post_form`` / ``login_as`` / ``city_run``
    Send a form with its CSRF token, log in as a user with a role, and run
    async code (seeding, checking rows) inside a city.

``postgres_url`` / ``redis_url``
    For tests that need those servers: skipped with a reason when the
    variable is unset, failed when it is set and the server does not answer.

:func:`assert_catalog_complete`
    A plugin's translation check, for its own test suite (no fixture needed)::

        def test_every_message_is_translated():
            balai.testing.assert_catalog_complete("balai_pasar")
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import os
import re
import secrets
import signal
import sqlite3
import threading
import warnings
import weakref
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import replace
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import pytest
import tomli_w

from balai.config import Config, load_config
from balai.db.database import Database
from balai.db.engines import KeptSQLiteEngine, close_engine
from balai.plugins import ENTRY_POINT_GROUP, PluginRegistry
from balai.tenants import city_scope

T = TypeVar("T")

DATABASE_ENV = "BALAI_TEST_DATABASE_URL"
REDIS_ENV = "BALAI_TEST_REDIS_URL"
TEST_SECRET_KEY = "balai-test-secret-key-not-for-production-use-0123456789"  # noqa: S105 (tests only)
DEFAULT_PASSWORD = "kata-sandi-uji-123"  # noqa: S105 (tests only)
CITY_NAMES = {"malang": "Kota Malang", "semarang": "Kota Semarang"}
_CSRF_INPUT = re.compile(r'name="_csrf_token"\s+value="([^"]+)"')
_CSRF_COOKIE = "balai_csrf"

# The client whose event loop serves each app, so that city_run shares it.
_RUNNING_CLIENTS: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


# --- building blocks (usable without fixtures) ------------------------------


def installed_plugin_slugs() -> list[str]:
    """Names of every entry point in the ``balai.plugins`` group, sorted."""
    return sorted({ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)})


def city_name(slug: str) -> str:
    """The display name the test kit gives a city slug."""
    return CITY_NAMES.get(slug, slug.replace("-", " ").title())


@functools.cache
def run_token() -> str:
    """This test run's name on shared servers: the process id and random hex.

    Unique per run (and per pytest-xdist worker, each its own process), so
    runs sharing a PostgreSQL or Redis server never pick the same names.
    """
    return f"{os.getpid()}_{secrets.token_hex(4)}"


def run_database_name() -> str:
    """The PostgreSQL database this run creates and drops (``balai_test_<token>``)."""
    return f"balai_test_{run_token()}"


def run_redis_prefix() -> str:
    """The prefix of every Redis key this run's apps write (``balai-test-<token>:``)."""
    return f"balai-test-{run_token().replace('_', '-')}:"


def testing_environ() -> dict[str, str]:
    """The environment a test configuration is read with (never the real one).

    Holds a fixed secret key and, when ``BALAI_TEST_REDIS_URL`` is set, that
    Redis as ``REDIS_URL`` with this run's key prefix as ``REDIS_KEY_PREFIX``
    (:func:`run_redis_prefix`). ``DATABASE_URL`` is left out on purpose: the
    fixtures choose the database.
    """
    environ = {"BALAI_SECRET_KEY": TEST_SECRET_KEY}
    redis = os.environ.get(REDIS_ENV)
    if redis:
        environ["REDIS_URL"] = redis
        environ["REDIS_KEY_PREFIX"] = run_redis_prefix()
    return environ


def write_config(
    directory: Path,
    cities: dict[str, Iterable[str]],
    *,
    instance: dict[str, Any] | None = None,
    city_options: dict[str, dict[str, Any]] | None = None,
    environ: dict[str, str] | None = None,
) -> Config:
    """Write an instance file into ``directory`` and load it.

    Args:
        directory: Where ``balai.toml`` and the data folder go.
        cities: Plugin slugs enabled per city slug.
        instance: Overrides of the ``[instance]`` table (the default is
            ``development = true``, ``path_prefix = true``, ``run_jobs = false``).
        city_options: Extra keys per city (``hosts``, ``theme``, ``locale``,
            ``settings`` ...), merged over the defaults.
        environ: The environment to read secrets from (default:
            :func:`testing_environ`).

    Returns:
        The checked configuration (plugin settings are bound by ``create_app``).
    """
    directory.mkdir(parents=True, exist_ok=True)
    document: dict[str, Any] = {
        "instance": {
            "data_dir": str(directory / "data"),
            "development": True,
            "path_prefix": True,
            "run_jobs": False,  # tests run jobs explicitly (ui.jobs.runner)
            **(instance or {}),
        },
        "cities": {},
    }
    for slug, plugins in cities.items():
        document["cities"][slug] = {
            "name": city_name(slug),
            "hosts": [f"{slug}.localhost"],
            "locale": "id",
            "timezone": "Asia/Jakarta",
            "theme": "default",
            "plugins": list(plugins),
            **((city_options or {}).get(slug, {})),
        }
    path = directory / "balai.toml"
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    return load_config(path, environ=testing_environ() if environ is None else environ)


def _run(coro_fn: Callable[[], Awaitable[T]]) -> T:
    return asyncio.run(coro_fn())  # type: ignore[arg-type]


class TestDatabases:
    """Gives each test a migrated, empty database, cheaply.

    SQLite: each set of Piccolo apps is migrated once per session into a
    template file, which is copied for every test. PostgreSQL (only ever the
    run's own database, see :class:`TestServers`): it is migrated once per
    set of apps and emptied with ``TRUNCATE ... RESTART IDENTITY CASCADE``
    before each test; when the applied migrations no longer match (another
    app set, a test that rolled back), every table in its ``public`` schema
    is dropped and the migrations run again.
    """

    __test__ = False  # not a test class, despite the name

    def __init__(self, template_dir: Path) -> None:
        self.template_dir = template_dir
        self._templates: dict[tuple[str, ...], Path] = {}
        self._pg_state: dict[str, tuple[tuple[str, ...], frozenset[tuple[str, str]]]] = {}

    def prepare(self, database: Database) -> None:
        """Make ``database`` migrated and empty, then bind it again.

        Raises:
            RuntimeError: for a PostgreSQL database this run did not create.
        """
        if database.is_sqlite:
            self._prepare_sqlite(database)
        else:
            name = urlsplit(database.url).path.lstrip("/")
            if name != run_database_name():
                raise RuntimeError(
                    f"the test kit empties only the database it created ({run_database_name()}),"
                    f" not {name!r}: build test apps on balai_database_url or postgres_url"
                )
            _run(lambda: self._prepare_postgres(database))
        database.bind()

    # --- SQLite ---------------------------------------------------------

    def _prepare_sqlite(self, database: Database) -> None:
        key = tuple(database.app_modules)
        template = self._templates.get(key)
        if template is None:
            digest = hashlib.sha256("\n".join(key).encode()).hexdigest()[:16]
            template = self.template_dir / f"template-{digest}.db"
            template.unlink(missing_ok=True)
            builder = Database(f"sqlite:///{template}", database.app_modules)

            async def migrate() -> None:
                try:
                    await builder.migrate()
                finally:
                    await builder.close()

            _run(migrate)
            self._templates[key] = template
        target = sqlite_path(database.url)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        source = sqlite3.connect(template)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()

    # --- PostgreSQL -----------------------------------------------------

    async def _prepare_postgres(self, database: Database) -> None:
        engine = database.engine
        key = tuple(database.app_modules)
        expected = self._pg_state.get(database.url)
        tables = await _pg_tables(engine)
        if expected is not None and expected[0] == key and "migration" in tables:
            applied = await engine.run_ddl("SELECT app_name, name FROM migration")
            if frozenset((r["app_name"], r["name"]) for r in applied) == expected[1]:
                others = [t for t in tables if t != "migration"]
                if others:
                    names = ", ".join(f'"{t}"' for t in others)
                    await engine.run_ddl(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
                return
        for table in tables:
            await engine.run_ddl(f'DROP TABLE IF EXISTS "{table}" CASCADE')
        self._pg_state.pop(database.url, None)
        await database.migrate()
        applied = await engine.run_ddl("SELECT app_name, name FROM migration")
        self._pg_state[database.url] = (
            key,
            frozenset((r["app_name"], r["name"]) for r in applied),
        )


async def _pg_tables(engine: Any) -> list[str]:
    rows = await engine.run_ddl(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    )
    return [r["tablename"] for r in rows]


class TestServers:
    """What one test run owns on the PostgreSQL and Redis servers it was given.

    Args:
        server_url: ``BALAI_TEST_DATABASE_URL`` (``None``: no PostgreSQL).
            The run connects there only to create, and at the end drop, a
            database of its own, :func:`run_database_name`.
        redis_url: ``BALAI_TEST_REDIS_URL`` (``None``: no Redis). The run's
            apps write keys under :func:`run_redis_prefix` only, and the kit
            deletes only those.
    """

    __test__ = False  # not a test class, despite the name

    def __init__(self, server_url: str | None, redis_url: str | None) -> None:
        self.server_url = server_url
        self.redis_url = redis_url
        self.redis_prefix = run_redis_prefix()
        self.postgres_url: str | None = None

    def start(self) -> None:
        """Check the servers answer and create the run's database.

        A run stopped with SIGTERM (a CI timeout, ``kill``) is interrupted
        as by Ctrl-C, so that :meth:`stop` still runs at the session's end.
        """
        if (
            (self.server_url or self.redis_url)
            and threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
        ):
            signal.signal(signal.SIGTERM, _interrupt)
        if self.server_url:
            check_postgres(self.server_url)
            name = run_database_name()
            _run(lambda: _pg_admin(self.server_url or "", f'CREATE DATABASE "{name}"'))
            self.postgres_url = database_url_named(self.server_url, name)
        if self.redis_url:
            check_redis(self.redis_url)

    def stop(self) -> None:
        """Drop the run's database and delete the run's Redis keys."""
        if self.server_url and self.postgres_url:
            name = run_database_name()
            _run(
                lambda: _pg_admin(
                    self.server_url or "", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
                )
            )
            self.postgres_url = None
        if self.redis_url:
            clear_redis(self.redis_url)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"stopped by signal {signum}")


async def _pg_admin(server_url: str, statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(server_url, timeout=10)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def database_url_named(url: str, name: str) -> str:
    """``url`` (a PostgreSQL URL) with its database replaced by ``name``."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def sqlite_path(url: str) -> str:
    """The file path of a ``sqlite:///`` URL."""
    return url[len("sqlite:///") :]


def check_postgres(url: str) -> None:
    """Fail the test run when the PostgreSQL server at ``url`` does not answer."""
    import asyncpg

    async def ping() -> None:
        connection = await asyncpg.connect(url, timeout=5)
        await connection.close()

    try:
        _run(ping)
    except Exception as exc:  # any failure to connect is the same verdict
        pytest.fail(f"{DATABASE_ENV}={url} is set but PostgreSQL does not answer: {exc}")


def check_redis(url: str) -> None:
    """Fail the test run when the Redis server at ``url`` does not answer."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=5)
    try:
        client.ping()
    except Exception as exc:  # any failure to connect is the same verdict
        pytest.fail(f"{REDIS_ENV}={url} is set but Redis does not answer: {exc}")
    finally:
        client.close()


def clear_redis(url: str) -> None:
    """Delete this run's keys (:func:`run_redis_prefix`) from that Redis, and no others."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=5)
    try:
        keys = list(client.scan_iter(match=f"{run_redis_prefix()}*", count=500))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def as_demo_seeding(
    async_fn: Callable[..., Awaitable[T]],
    password: str = "demo-test-2026",  # noqa: S107
) -> Callable[..., Awaitable[T]]:
    """``async_fn`` run as ``balai demo`` runs a plugin's ``seed_demo``.

    Inside the demo's seeding scope, where ``tk.demo_user`` and
    ``tk.seed_paid_invoices`` work (new demo accounts get ``password``);
    use with :func:`city_run`: ``city_run("malang", as_demo_seeding(seed), city)``.
    """
    from balai.seeding import seeding

    async def seeded(*args: Any) -> T:
        with seeding(password):
            return await async_fn(*args)

    return seeded


def run_in_city(app: Any, city_slug: str, async_fn: Callable[..., Awaitable[T]], *args: Any) -> T:
    """Run ``async_fn(*args)`` inside ``city_scope`` of ``app``'s city ``city_slug``.

    While a test client serves ``app`` the coroutine runs on that client's
    event loop (the one holding the app's connections); otherwise on a fresh
    loop, whose kept SQLite connection is closed afterwards.
    """
    city = app.ui.config.cities[city_slug]

    async def scoped() -> T:
        with city_scope(city):
            return await async_fn(*args)

    client = _RUNNING_CLIENTS.get(app)
    portal = getattr(client, "blocking_portal", None) if client is not None else None
    if portal is not None:
        return portal.call(scoped)

    async def fresh_loop() -> T:
        try:
            return await scoped()
        finally:
            if isinstance(app.ui.database.engine, KeptSQLiteEngine):
                await close_engine(app.ui.database.engine)

    return _run(fresh_loop)


def run_queued_jobs(app: Any, city_slug: str | None = None) -> list[Any]:
    """Run ``app``'s queued one-off jobs now, until the queue is empty.

    Test apps do not start the job runner, so work queued with
    ``toolkit.enqueue`` (e.g. an uploaded spreadsheet's import) waits until
    a test calls this. Returns the runs performed
    (``balai.jobs.runner.RunResult``: ``job``, ``city``, ``status``,
    ``error``). Uses the running test client's event loop, like
    :func:`run_in_city` (``city_slug``: any city of the app; default the
    first), and stops after 1000 runs in case jobs keep queueing more.
    """
    slug = city_slug or next(iter(app.ui.config.cities))

    async def drain() -> list[Any]:
        done: list[Any] = []
        while len(done) < 1000:
            batch = await app.ui.jobs.runner.run_queued(limit=100)
            if not batch:
                return done
            done.extend(batch)
        return done

    return run_in_city(app, slug, drain)


def assert_catalog_complete(package: str) -> None:
    """Fail unless the installed package ``package`` is fully translated into Indonesian.

    The check ``tests/test_catalogs.py`` runs in the Balai repository, for a
    plugin's own tests: its msgids are extracted from the package's Python
    code and templates (gettext calls, and the texts handed to ``PluginInfo``,
    ``NavItem``, ``Job``, ``Widget``... see ``balai.i18n_check.MSGID_ARGUMENTS``)
    and each needs a non-empty, non-fuzzy ``msgstr`` in
    ``<package>/locale/id/LC_MESSAGES/messages.po`` or in the core's catalog.
    Also reported: translations (``id`` and ``en``) whose ``%(name)s``
    placeholders differ from the msgid, translations the core's own
    translation of the same msgid hides, and text built before translation
    (``tk._(f"Hi {name}")``).

    Args:
        package: The plugin's import package, e.g. ``"balai_pasar"``.

    Raises:
        AssertionError: listing each problem and the command that fixes it
            (``python -m balai.i18n_check update <folder>``, then translate).
    """
    from balai import i18n_check

    try:
        target = i18n_check.package_target(package)
    except SystemExit as exc:  # the command-line helper's way of saying "no such package"
        raise AssertionError(str(exc)) from None
    template = i18n_check.extract(target.roots, project=target.name)
    own = i18n_check.read_catalog(i18n_check.catalog_path(target.locale_dir, "id"), "id")
    english = i18n_check.read_catalog(i18n_check.catalog_path(target.locale_dir, "en"), "en")
    core = i18n_check.core_catalog()
    fallbacks = [core] if core is not None else []
    problems = [
        *i18n_check.check(target.name, template, own, fallbacks),
        *i18n_check.placeholder_mismatches(target.name, english),
        *(i18n_check.shadowed_translations(target.name, own, core) if core is not None else []),
        *i18n_check.misused_calls(target.roots),
    ]
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        raise AssertionError(
            f"{len(problems)} translation problem(s) in {target.name} "
            f"({i18n_check.catalog_path(target.locale_dir, 'id')}):\n{listed}\n"
            f"Run `python -m balai.i18n_check update {target.roots[0]}`, then fill the "
            "empty msgstr entries of locale/id (keep each %(name)s as in the msgid)."
        )


def build_app(
    config: Config,
    databases: TestDatabases,
    *,
    database_url: str | None = None,
    plugins: Iterable[str] | None = None,
    registry: PluginRegistry | None = None,
) -> Any:
    """Create the app for ``config`` on a migrated, empty database.

    Args:
        config: The configuration; its ``database_url`` is replaced by
            ``database_url`` when given.
        databases: The session's :class:`TestDatabases`.
        database_url: The database to use.
        plugins: Installed plugins to load (``None``: all).
        registry: A prepared registry instead (test plugin objects).
    """
    from balai.web.app import create_app

    if database_url is not None:
        config = replace(config, database_url=database_url)
    if config.redis_url:
        if config.redis_prefix != run_redis_prefix():
            raise RuntimeError(
                f"a test app on Redis must use this run's key prefix {run_redis_prefix()!r}, "
                f"not {config.redis_prefix!r} (read its configuration with testing_environ())"
            )
        clear_redis(config.redis_url)
    app = create_app(config, plugins=plugins, registry=registry)
    databases.prepare(app.ui.database)
    return app


# --- fixtures ---------------------------------------------------------------


@pytest.fixture
def balai_plugins() -> list[str] | None:
    """The installed plugins the test app loads; ``None`` loads all of them.

    Override in a plugin's ``conftest.py`` to test that plugin alone, e.g.
    ``return ["pajak"]``. The core is always loaded.
    """
    return None


@pytest.fixture
def balai_cities(balai_plugins: list[str] | None) -> dict[str, list[str]]:
    """Cities of the test instance: slug -> enabled plugin slugs.

    Default: ``malang`` enables every loaded plugin (``balai_plugins``, or all
    installed entry points of the ``balai.plugins`` group) and ``semarang``
    enables none, so a test can check that a plugin is absent where it is not
    enabled. Each city is served at ``/<slug>/`` and on ``<slug>.localhost``.
    """
    loaded = list(balai_plugins) if balai_plugins is not None else installed_plugin_slugs()
    return {"malang": loaded, "semarang": []}


@pytest.fixture
def balai_config(tmp_path: Path, balai_cities: dict[str, list[str]]) -> Config:
    """The checked instance configuration of the test (``balai.config.Config``).

    Written as a TOML file into the test's temporary folder and read with
    :func:`balai.config.load_config`: development mode, path prefixes on,
    theme ``default``, names "Kota Malang", "Kota Semarang" (other slugs
    title-cased). Use :func:`balai.testing.write_config` in an override to
    change instance options, hosts, themes or plugin settings.
    """
    return write_config(tmp_path / "instance", balai_cities)


@pytest.fixture(scope="session")
def balai_test_servers() -> Iterator[TestServers]:
    """This run's own PostgreSQL database and Redis key prefix (:class:`TestServers`).

    Created at the first test that needs them when ``BALAI_TEST_DATABASE_URL``
    / ``BALAI_TEST_REDIS_URL`` are set (the run fails if a server named there
    does not answer), dropped and deleted when the run ends.
    """
    servers = TestServers(os.environ.get(DATABASE_ENV), os.environ.get(REDIS_ENV))
    servers.start()
    try:
        yield servers
    finally:
        servers.stop()


@pytest.fixture(scope="session")
def balai_test_databases(
    tmp_path_factory: pytest.TempPathFactory, balai_test_servers: TestServers
) -> TestDatabases:
    """The session's database preparer (migrated templates, PostgreSQL state)."""
    return TestDatabases(tmp_path_factory.mktemp("balai-db-templates"))


@pytest.fixture
def balai_database_url(tmp_path: Path, balai_test_servers: TestServers) -> str:
    """The database URL of the test app.

    ``sqlite:///<tmp>/balai.db`` by default; when ``BALAI_TEST_DATABASE_URL``
    is set, the run's own database on that PostgreSQL server
    (``balai_test_<pid>_<random>``, emptied before each test, dropped at the
    end of the run).
    """
    if balai_test_servers.postgres_url:
        return balai_test_servers.postgres_url
    return f"sqlite:///{tmp_path / 'balai.db'}"


@pytest.fixture
def balai_fast_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash passwords with cheap Argon2id parameters for the test's duration.

    The production parameters cost a large fraction of a second per hash,
    which adds up over a suite; the algorithm and the code path stay the same.
    """
    use_fast_passwords(monkeypatch)


def use_fast_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash passwords with cheap Argon2id parameters until ``monkeypatch`` is undone."""
    from argon2 import PasswordHasher

    from balai.auth import passwords

    monkeypatch.setattr(
        passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture
def balai_app(
    balai_config: Config,
    balai_plugins: list[str] | None,
    balai_database_url: str,
    balai_test_databases: TestDatabases,
    balai_fast_passwords: None,
) -> Any:
    """A migrated application (``balai.web.app.BalaiApp``) on an empty database.

    Built with ``create_app(config, plugins=balai_plugins)`` where the
    config's database is ``balai_database_url``. Its lifespan is not running:
    use ``client`` for requests.
    """
    return build_app(
        balai_config,
        balai_test_databases,
        database_url=balai_database_url,
        plugins=balai_plugins,
    )


@pytest.fixture
def balai_app_factory(
    tmp_path: Path,
    balai_database_url: str,
    balai_test_databases: TestDatabases,
    balai_fast_passwords: None,
) -> Callable[..., Any]:
    """A function building further apps on the test's database.

    ``balai_app_factory(config=None, *, cities=None, plugins=None,
    registry=None, instance=None, city_options=None)``: pass a ready
    ``config``, or ``cities`` (slug -> plugin slugs) plus ``instance`` /
    ``city_options`` overrides for :func:`write_config`. ``registry`` takes a
    :class:`balai.plugins.PluginRegistry` with test plugin objects.
    Each call empties the database again; only the last app built is bound.
    """
    counter = iter(range(1_000_000))

    def factory(
        config: Config | None = None,
        *,
        cities: dict[str, Iterable[str]] | None = None,
        plugins: Iterable[str] | None = None,
        registry: PluginRegistry | None = None,
        instance: dict[str, Any] | None = None,
        city_options: dict[str, dict[str, Any]] | None = None,
    ) -> Any:
        if config is None:
            config = write_config(
                tmp_path / f"instance-{next(counter)}",
                cities if cities is not None else {"malang": [], "semarang": []},
                instance=instance,
                city_options=city_options,
            )
        return build_app(
            config,
            balai_test_databases,
            database_url=balai_database_url,
            plugins=plugins,
            registry=registry,
        )

    return factory


@contextlib.contextmanager
def open_client(app: Any, base_url: str = "http://testserver") -> Iterator[Any]:
    """A running ``TestClient`` for ``app``, used in a ``with`` statement.

    The app's start-up runs on entering and its shut-down on leaving; while
    it runs, :func:`run_in_city` uses the client's event loop. Pass an
    ``https://`` ``base_url`` to see cookies marked ``Secure`` sent back.
    """
    from litestar.testing import TestClient

    with warnings.catch_warnings():
        # litestar suggests a dotted host; "testserver" is what the kit documents.
        warnings.filterwarnings("ignore", message="The base_url", category=UserWarning)
        test_client = TestClient(app=app, base_url=base_url)
    with test_client:
        _RUNNING_CLIENTS[app] = test_client
        try:
            yield test_client
        finally:
            _RUNNING_CLIENTS.pop(app, None)


@pytest.fixture
def client(balai_app: Any) -> Iterator[Any]:
    """A ``litestar.testing.TestClient`` for ``balai_app``, base URL ``http://testserver``.

    Entered as a context manager, so the app's start-up and shut-down run.
    Cities answer at ``/malang/...``; send ``Host: malang.localhost`` for the
    host-based form. Redirects are followed unless you pass
    ``follow_redirects=False``.
    """
    with open_client(balai_app) as test_client:
        yield test_client


def make_post_form(client: Any) -> Callable[..., Any]:
    """The ``post_form`` helper for any running test client."""

    def token_for(url: str) -> str:
        cookie = _csrf_cookie(client)
        if cookie:
            return cookie
        page = client.get(url, follow_redirects=True)
        found = _CSRF_INPUT.search(page.text)
        if found:
            return found.group(1)
        cookie = _csrf_cookie(client)
        if cookie:
            return cookie
        path = urlsplit(url).path
        first = path.strip("/").split("/", 1)[0]
        client.get(f"/{first}/" if first else "/")
        cookie = _csrf_cookie(client)
        if not cookie:
            raise AssertionError(f"no CSRF token could be obtained for {url}")
        return cookie

    def post_form(
        url: str,
        data: dict[str, Any] | None = None,
        *,
        files: dict[str, Any] | None = None,
        follow_redirects: bool = False,
        headers: dict[str, str] | None = None,
    ) -> Any:
        """POST ``data`` (and ``files``: field -> ``(name, bytes, content type)``) with the token.

        With ``files`` the form is sent as ``multipart/form-data``, as a
        browser sends a form with a file field.
        """
        form = dict(data or {})
        form["_csrf_token"] = token_for(url)
        return client.post(
            url, data=form, files=files, follow_redirects=follow_redirects, headers=headers
        )

    return post_form


def _csrf_cookie(client: Any) -> str | None:
    for cookie in client.cookies.jar:
        if cookie.name == _CSRF_COOKIE:
            return cookie.value
    return None


@pytest.fixture
def post_form(client: Any) -> Callable[..., Any]:
    """A function ``post_form(url, data, *, files=None, follow_redirects=False)`` sending a form.

    ``files`` (field -> ``(file name, bytes, content type)``) sends it as
    ``multipart/form-data``, as a form with a file field is. It first makes
    sure the client holds a CSRF token (from an earlier response's cookie, or
    by opening ``url`` or the city home page as a browser would) and adds it
    as ``_csrf_token``. Returns the response.
    """
    return make_post_form(client)


def make_login_as(client: Any, app: Any, post_form: Callable[..., Any]) -> Callable[..., dict]:
    """The ``login_as`` helper for any running test client and its app."""
    from balai.auth.access import CITY_ADMIN
    from balai.auth.accounts import create_user

    counter = iter(range(1, 1_000_000))

    def login_as(
        role: str | None = None,
        city: str = "malang",
        *,
        name: str = "Tester",
        email: str | None = None,
        password: str = DEFAULT_PASSWORD,
        verified: bool = True,
    ) -> dict[str, Any]:
        declared = app.ui.access.roles
        if role is not None and role != CITY_ADMIN and role not in declared:
            known = ", ".join([CITY_ADMIN, *sorted(declared)])
            raise ValueError(f"login_as: no role {role!r} is declared (known: {known})")
        login = email or f"tester{next(counter)}.{role or 'warga'}@example.id".replace("_", "-")
        login = login.lower()
        roles = (role,) if role else ()
        user_id = run_in_city(
            app,
            city,
            lambda: create_user(
                name=name, password=password, email=login, roles=roles, verified=verified
            ),
        )
        response = post_form(f"/{city}/masuk", {"login": login, "password": password, "next": ""})
        if response.status_code != 303:
            raise AssertionError(
                f"logging in {login} to {city} answered {response.status_code}, not 303"
            )
        return {"id": user_id, "login": login, "password": password}

    return login_as


@pytest.fixture
def login_as(client: Any, balai_app: Any, post_form: Callable[..., Any]) -> Callable[..., dict]:
    """A function logging the client in as a new account of a city.

    ``login_as(role=None, city="malang", *, name="Tester", email=None,
    password="kata-sandi-uji-123", verified=True)`` creates the account with ``role``
    (``None``: a plain citizen; ``"city_admin"`` or any declared role name
    such as ``"pajak.officer"``), logs in through the real form
    (``POST /<city>/masuk``) and returns ``{"id", "login", "password"}``.
    Without ``email`` a unique address is made up. The account's email counts
    as verified (as the demo's do); ``verified=False`` makes one that still
    has to prove it, as a freshly registered citizen.
    """
    return make_login_as(client, balai_app, post_form)


@pytest.fixture
def city_run(balai_app: Any) -> Callable[..., Any]:
    """A function ``city_run(city_slug, async_fn, *args)`` for seeding and checking rows.

    Runs ``async_fn(*args)`` inside ``city_scope`` of that city and returns
    its result. It runs on the test client's event loop when a client is
    serving the app, otherwise on a fresh event loop (``asyncio.run``) whose
    kept connections are closed afterwards.
    """

    def city_run(city_slug: str, async_fn: Callable[..., Awaitable[T]], *args: Any) -> T:
        return run_in_city(balai_app, city_slug, async_fn, *args)

    return city_run


@pytest.fixture
def postgres_url(balai_test_servers: TestServers) -> str:
    """The run's own PostgreSQL database, for tests marked ``postgres``.

    On the server of ``BALAI_TEST_DATABASE_URL``; the test is skipped with a
    reason when the variable is unset (the run fails when the server does
    not answer).
    """
    if not balai_test_servers.postgres_url:
        pytest.skip(f"{DATABASE_ENV} is not set (PostgreSQL tests need a server)")
    return balai_test_servers.postgres_url


@pytest.fixture
def redis_url(balai_test_servers: TestServers) -> str:
    """The URL in ``BALAI_TEST_REDIS_URL``, for tests marked ``redis``.

    Skipped with a reason when the variable is unset. Keys a test writes go
    under :func:`run_redis_prefix` (the app's ``config.redis_prefix``); the
    kit deletes this run's keys before the test, and only those.
    """
    if not balai_test_servers.redis_url:
        pytest.skip(f"{REDIS_ENV} is not set (Redis tests need a server)")
    clear_redis(balai_test_servers.redis_url)
    return balai_test_servers.redis_url
