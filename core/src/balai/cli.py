"""The ``balai`` command line: run the demo, serve, migrate, manage accounts and plugins.

This module parses arguments and prints; the work lives in :mod:`balai.demo`,
:mod:`balai.asgi`, :mod:`balai.scaffold` and the core services they call.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import io
import logging
import os
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, NoReturn

import click

from balai import __version__
from balai.audit.cli import audit as _audit_commands
from balai.auth.access import CITY_ADMIN
from balai.auth.accounts import AccountForm, create_user
from balai.backup.cli import backup as _backup_command
from balai.backup.cli import restore as _restore_command
from balai.cli_errors import admin_app, config_error, fail
from balai.config import Config, ConfigError, bind_plugins, load_config
from balai.crypto.cli import keys as _keys_commands
from balai.documents.cli import signing as _signing_commands
from balai.i18n import Catalogs, activate
from balai.i18n import gettext as _
from balai.partners.catalogue_sim import partner_catalogue_sim as _partner_catalogue_sim_command
from balai.partners.cli import partner_recon as _partner_recon_command
from balai.partners.cli import partner_sim as _partner_sim_command
from balai.plugins import BUILTIN_SLUGS, CORE, ENTRY_POINT_GROUP
from balai.tenants import city_scope
from balai.types import Dimension

CONFIG_HELP = "The instance file (TOML), e.g. examples/demo.toml."
# Exit codes: 1 = the command failed, 2 = the instance is not fit to start.
NOT_READY = 2


def _activate_language() -> None:
    """Speak Indonesian when the terminal's locale is Indonesian, English otherwise."""
    lang = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG", "")
    locale_dir = Path(__file__).parent / "locale"
    activate(Catalogs([locale_dir]), "id" if lang.lower().startswith("id") else "en")


class _BalaiGroup(click.Group):
    """The command group; each run keeps its language and city settings to itself."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command in a copy of the context variables (language, city)."""
        return contextvars.copy_context().run(super().invoke, ctx)


@click.group(
    cls=_BalaiGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="balai")
def main() -> None:
    """Balai: the platform on which a city runs its public digital services.

    Start with `balai demo`, which serves three demo cities on
    http://127.0.0.1:8000/ with SQLite and seeded accounts. In production,
    write an instance file, then run `balai check`, `balai migrate` and
    `balai serve`.
    """
    _activate_language()


# --- demo ------------------------------------------------------------------------------


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port."
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Instance file to use instead of the bundled demo.toml.",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the SQLite database and the secret [default: the file's instance.data_dir].",
)
@click.option("--reset", is_flag=True, help="Delete the demo database first and seed it again.")
@click.option(
    "--public",
    is_flag=True,
    help="Allow --host to be an address other machines reach (the demo is not safe there).",
)
@click.option(
    "--trust-proxy",
    is_flag=True,
    help="Trust X-Forwarded-For/-Proto from the addresses in FORWARDED_ALLOW_IPS.",
)
def demo(
    host: str,
    port: int,
    config_path: Path | None,
    data_dir: Path | None,
    reset: bool,
    public: bool,
    trust_proxy: bool,
) -> None:
    """Run the demo: three cities, seeded accounts, SQLite, one process.

    Migrates the database, seeds every city that has no accounts yet (a
    citizen, a city admin and one officer per role, all with the password
    demo-<city>-2026, plus each plugin's demo data), prints the addresses
    and accounts, then serves until Ctrl-C. Running it again keeps the data.
    With the bundled demo file, plugins that are not installed are left out
    (and named); with --config, every plugin the file lists must be there.
    """
    from balai import demo as demo_mod
    from balai.documents.demo_signing import demo_timestamps, prepare_signing
    from balai.documents.signing.tsa import TimestampServer
    from balai.web.app import StartupError, build_registry, create_app

    if not demo_mod.is_loopback(host):
        if not public:
            click.secho(
                _(
                    "The demo listens only on this machine (127.0.0.1, ::1, localhost). "
                    "%(host)s can be reached from other machines, where anyone could mark "
                    "invoices paid through the sandbox bank. Add --public if you mean it.",
                    host=host,
                ),
                fg="red",
                err=True,
            )
            sys.exit(2)
        click.secho(demo_mod.public_warning(host), fg="red", bold=True, err=True)
    try:
        config = demo_mod.load_demo_config(config_path, data_dir)
        registry = build_registry(None)
        if config_path is None:
            config, dropped = demo_mod.without_missing_plugins(config, registry)
            for city, plugins in dropped.items():
                click.secho(
                    _(
                        "%(city)s runs without %(plugins)s (not installed or failed to load)",
                        city=city,
                        plugins=", ".join(plugins),
                    ),
                    fg="yellow",
                )
        config = demo_mod.served_at(config, host, port)
        timestamps = TimestampServer({}, host="127.0.0.1", port=0)  # its cities come after seeding
        config = demo_timestamps(config, timestamps.url)
        if reset:
            for removed in demo_mod.reset_sqlite(config):
                click.echo(_("Removed %(file)s", file=removed))
        click.echo(_("Starting the demo with data in %(dir)s", dir=config.data_dir))
        app = create_app(config, registry=registry)
    except ConfigError as exc:
        config_error(exc)
    except StartupError as exc:
        fail(str(exc))
    seeds = asyncio.run(demo_mod.prepare(app, reset=reset, say=click.echo))
    timestamps.stampers.update(asyncio.run(prepare_signing(app, click.echo)))
    timestamps.start()
    click.echo(demo_mod.banner(app.ui.config, seeds, host, port))
    click.echo(demo_mod.signing_note(sorted(timestamps.stampers), timestamps.url))
    try:
        demo_mod.serve(app, host, port, trust_proxy=trust_proxy)
    finally:
        timestamps.stop()


# --- serve -----------------------------------------------------------------------------

#: How long uvicorn's supervisor waits for a worker's answer before replacing it.
WORKER_HEALTHCHECK_SECONDS = 60


@main.command()
@click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=CONFIG_HELP,
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port."
)
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    help="Worker processes [default: the file's instance.workers].",
)
@click.option(
    "--root-path",
    default=None,
    help="The path a reverse proxy mounts the platform under, e.g. /layanan "
    "[default: the file's instance.root_path].",
)
def serve(
    config_path: Path, host: str, port: int, workers: int | None, root_path: str | None
) -> None:
    """Run the production server: uvicorn with several worker processes.

    Refuses to start (exit code 2) when the instance file is invalid, when
    BALAI_SECRET_KEY is missing outside development, or when migrations are
    pending (run `balai migrate` first). Each worker builds the application
    from BALAI_CONFIG, which this command sets. Put a reverse proxy that
    terminates TLS in front; set FORWARDED_ALLOW_IPS to its address. With
    --root-path /layanan the proxy strips /layanan before passing requests
    on; links, redirects, static files and cookies carry it.
    """
    from balai.asgi import CONFIG_ENV, NotReadyError, build_app, preflight
    from balai.config import ROOT_PATH_ENV, check_root_path
    from balai.web.app import StartupError

    try:
        if root_path is not None:  # the workers read it from the environment too
            os.environ[ROOT_PATH_ENV] = check_root_path(root_path)
        app = build_app(config_path)
        config = asyncio.run(preflight(app))
    except ConfigError as exc:
        config_error(exc, NOT_READY)
    except (StartupError, NotReadyError) as exc:
        fail(str(exc), NOT_READY)
    count = workers or config.workers
    os.environ[CONFIG_ENV] = str(config_path.resolve())
    click.echo(
        _(
            "Serving %(n)s cities on http://%(host)s:%(port)s/ with %(workers)s worker(s)",
            n=len(config.cities),
            host=host,
            port=port,
            workers=count,
        )
    )
    import uvicorn

    from balai.web.access_log import uvicorn_log_config

    uvicorn.run(
        "balai.asgi:app",
        host=host,
        port=port,
        workers=count,
        root_path=config.root_path,
        lifespan="on",
        log_level="info",
        access_log=False,  # balai.access logs each request, with its city
        log_config=uvicorn_log_config(),
        # uvicorn kills a worker that does not answer its supervisor's ping in
        # time, and a worker answers only once its interpreter has started and
        # imported Balai: on a busy host that took more than uvicorn's 5 s,
        # and the workers were killed and restarted forever, never serving.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
    )


# --- migrate ---------------------------------------------------------------------------


@main.command()
@click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=CONFIG_HELP,
)
@click.option(
    "--backwards", is_flag=True, help="Undo every migration of every app (deletes the data)."
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation before --backwards.")
def migrate(config_path: Path, backwards: bool, yes: bool) -> None:
    """Apply the pending migrations of the core and of every installed plugin.

    Apps run in dependency order (the core first). With --backwards, every
    migration is undone, dependants first, after a confirmation.
    """
    from balai.asgi import build_admin_app, connected
    from balai.db.database import MigrationError

    app = admin_app(config_path, build_admin_app)
    database = app.ui.database

    async def forwards() -> list[str]:
        async with connected(app):
            pending = await database.pending()
            for name, ids in pending.items():
                click.echo(_("%(app)s: applying %(n)s migration(s)", app=name, n=len(ids)))
            if pending:
                await database.migrate()
            return list(pending)

    async def rollback() -> list[str]:
        async with connected(app):
            return await database.rollback()

    try:
        if backwards:
            if not yes:
                click.confirm(
                    _(
                        "This undoes every migration and deletes all tables and data "
                        "of %(db)s. Continue?",
                        db=_safe_url(database.url),
                    ),
                    abort=True,
                )
            for name in asyncio.run(rollback()):
                click.echo(_("%(app)s: rolled back", app=name))
            return
        done = asyncio.run(forwards())
    except MigrationError as exc:
        fail(str(exc))
    click.echo(
        _("Database is up to date.") if done else _("Nothing to migrate: database is up to date.")
    )


def _safe_url(url: str) -> str:
    """A database URL without its password."""
    if "@" not in url:
        return url
    scheme, _sep, rest = url.partition("://")
    return f"{scheme}://***@{rest.rsplit('@', 1)[1]}"


# --- create-user -----------------------------------------------------------------------


@main.command("create-user")
@click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=CONFIG_HELP,
)
@click.option("--city", "city_slug", required=True, help="Slug of the city the account belongs to.")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--email", help="Login email (give --email or --phone).")
@click.option("--phone", help="Login mobile number, e.g. 0812 3456 7890.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    help="Role to grant; repeat for several. city_admin or a role of the city's plugins.",
)
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)
def create_user_command(
    config_path: Path,
    city_slug: str,
    name: str,
    email: str | None,
    phone: str | None,
    roles: tuple[str, ...],
    password_stdin: bool,
) -> None:
    """Create an officer or admin account in one city.

    Asks for the password twice (hidden) unless --password-stdin is given.
    The password needs at least 10 characters and must not contain the name
    or the login. Without --role the account is a plain citizen account.
    """
    from balai.asgi import build_admin_app, connected

    if bool(email) == bool(phone):
        raise click.UsageError(_("Give exactly one of --email and --phone."))
    app = admin_app(config_path, build_admin_app)
    city = app.ui.config.cities.get(city_slug)
    if city is None:
        fail(
            _(
                "No city %(slug)s in this file (have: %(have)s).",
                slug=city_slug,
                have=", ".join(app.ui.config.cities),
            )
        )
    valid = [CITY_ADMIN, *(r.name for r in app.ui.access.roles_for(city))]
    unknown = [r for r in roles if r not in valid]
    if unknown:
        fail(
            _(
                "Unknown role %(role)s for %(city)s. Valid roles: %(valid)s",
                role=", ".join(unknown),
                city=city_slug,
                valid=", ".join(valid),
            )
        )
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)

    async def create() -> tuple[int | None, dict[str, str]]:
        async with connected(app) as database:
            if await database.pending():
                return None, {"database": _("Migrations are pending: run `balai migrate` first.")}
            with city_scope(city):
                form = AccountForm(
                    name=name, email=email or "", phone=phone or "", password=password
                )
                if not await form.check():
                    return None, form.errors
                user_id = await create_user(
                    name=form.name,
                    email=form.email or None,
                    phone=form.phone or None,
                    password=password,
                    roles=tuple(dict.fromkeys(roles)),
                    verified=True,  # the operator vouches for the contact they typed
                )
                return user_id, {}

    user_id, errors = asyncio.run(create())
    if errors:
        fail("\n".join(f"{field}: {message}" for field, message in errors.items()))
    click.echo(
        _(
            "Created account %(id)s in %(city)s with roles: %(roles)s",
            id=user_id,
            city=city.name,
            roles=", ".join(roles) or _("none (citizen)"),
        )
    )


# --- plugins ---------------------------------------------------------------------------


@main.command()
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Also show, per city of this instance file, whether each plugin is enabled.",
)
def plugins(config_path: Path | None) -> None:
    """List installed plugins (slug, version, title, dimension) and those that failed to load."""
    from balai.web.app import build_registry

    config: Config | None = None
    if config_path is not None:
        try:
            config = load_config(config_path)
        except ConfigError as exc:
            config_error(exc)
    plugin_log = logging.getLogger("balai.plugins")
    level = plugin_log.level
    plugin_log.setLevel(logging.ERROR)  # failures are listed below, once
    try:
        registry = build_registry(None)
    finally:
        plugin_log.setLevel(level)
    versions = _distribution_versions()
    header = ["plugin", "version", "title", "dimension"]
    cities = list(config.cities.values()) if config else []
    header += [c.slug for c in cities]
    rows = []
    for slug, loaded in registry.plugins.items():
        if slug == CORE:
            continue
        row = [
            slug,
            versions.get(slug, loaded.info.version),
            _(loaded.info.title),
            str(loaded.info.dimension),
        ]
        always = slug in BUILTIN_SLUGS  # the built-in services serve every city
        row += [_("enabled") if always or c.enables(slug) else "-" for c in cities]
        rows.append(row)
    wanted = sorted(
        {p for c in cities for p in c.plugins} - set(registry.plugins) - set(registry.failed)
    )
    for slug in wanted:
        rows.append(
            [
                slug,
                "",
                _("NOT INSTALLED"),
                "",
                *[_("enabled") if c.enables(slug) else "-" for c in cities],
            ]
        )
    if rows:
        click.echo(_table(header, rows))
    else:
        click.echo(_("No plugins installed (group %(group)s).", group=ENTRY_POINT_GROUP))
    for slug, error in registry.failed.items():
        click.secho(_("FAILED %(slug)s: %(cause)s", slug=slug, cause=error.cause), fg="red")


def _distribution_versions() -> dict[str, str]:
    versions = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.dist is not None:
            versions[ep.name] = ep.dist.version
    return versions


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


# --- check -----------------------------------------------------------------------------


@main.command()
@click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help=CONFIG_HELP,
)
def check(config_path: Path) -> None:
    """Validate an instance file fully without serving it.

    Reads the file, checks every city against the installed plugins and
    their settings schemas, and builds the application (themes, routes,
    guards, the secret). Prints OK, or the key path and the reason (exit 1).
    A development instance gets its secret.key in the data folder, as at
    start-up.
    """
    from balai.web.app import StartupError, build_registry, create_app

    try:
        config = load_config(config_path)
        registry = build_registry(None)
        bound = bind_plugins(config, registry)
        create_app(bound, registry=registry)
    except ConfigError as exc:
        config_error(exc)
    except StartupError as exc:
        fail(str(exc))
    cities = ", ".join(f"{c.slug} ({len(c.plugins)} plugins)" for c in bound.cities.values())
    click.echo(_("OK: %(file)s serves %(cities)s", file=config_path, cities=cities))


# --- init ------------------------------------------------------------------------------


@main.command()
@click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the instance file, e.g. /etc/balai/kota.toml.",
)
@click.option("--city", "slug", required=True, help="The city's slug, e.g. malang.")
@click.option("--name", required=True, help="The city's name, e.g. 'Kota Malang'.")
@click.option("--host", required=True, help="The city's public host name.")
@click.option("--timezone", default="Asia/Jakarta", show_default=True, help="The city's zone.")
@click.option(
    "--data-dir", default="/var/lib/balai", show_default=True, help="The instance's data folder."
)
def init(config_path: Path, slug: str, name: str, host: str, timezone: str, data_dir: str) -> None:
    """Write a commented instance file for one city (never over an existing file).

    Then set the secrets in the environment (the file says which), and run
    `balai check`, `balai migrate` and `balai serve` with --config.
    """
    from balai.init.writer import InitRefused, OneCity, write_instance

    try:
        write_instance(config_path, OneCity(slug, name, host, timezone, data_dir))
    except InitRefused as exc:
        fail(str(exc))
    click.echo(_("Written: %(file)s", file=config_path))
    click.echo(_("Next: balai check --config %(file)s", file=config_path))


# --- new-plugin ------------------------------------------------------------------------


@main.command("new-plugin")
@click.argument("name")
@click.option(
    "--dir",
    "parent",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder in which the plugin's folder is created.",
)
@click.option("--title", help="Human title of the plugin, in English [default: from NAME].")
@click.option("--title-id", help="The title in Indonesian, for the catalog [default: from NAME].")
@click.option(
    "--dimension",
    type=click.Choice([d.value for d in Dimension]),
    default=Dimension.GOVERNANCE.value,
    show_default=True,
    help="The smart-city dimension the plugin serves.",
)
def new_plugin(
    name: str, parent: Path, title: str | None, title_id: str | None, dimension: str
) -> None:
    """Create a new, separately installable plugin package NAME.

    NAME is the plugin's slug: lower-case letters, digits and underscores,
    starting with a letter (e.g. bank_sampah). Writes the folder
    <dir>/balai-NAME/ (underscores as dashes, the distribution's name:
    balai-bank-sampah) with a pyproject.toml (entry point in the group
    balai.plugins), the hooks, a city table with its migration, a public
    page, an office page, a template, an Indonesian catalog and tests.
    """
    from balai.scaffold import ScaffoldError, create_plugin

    try:
        created = create_plugin(
            name, parent, title=title, title_id=title_id, dimension=Dimension(dimension)
        )
    except ScaffoldError as exc:
        fail(str(exc))
    click.echo(_("Created the plugin %(name)s in %(dir)s", name=name, dir=created.root))
    for path in created.files:
        click.echo(f"  {path.relative_to(created.root)}")
    click.echo(
        _(
            'Next: pip install -e %(dir)s, add "%(name)s" to a city\'s plugins in your '
            "instance file, then run balai migrate.",
            dir=created.root,
            name=name,
        )
    )


@main.command("makemigrations")
@click.argument("plugin")
@click.option("--description", default="", help="The migrations' description.")
def makemigrations(plugin: str, description: str) -> None:
    """Write the migrations PLUGIN's tables need, into its migrations folders.

    For each Piccolo app of the installed plugin PLUGIN (its slug): Piccolo's
    auto migration for new tables and columns (the city column included), then
    a second step creating the per-city indexes the tables declare
    (city_unique, city_indexes), which must run after the tables exist. Review
    the files, then run balai migrate.
    """
    from balai.db.makemigrations import MakeMigrationsError, make_migrations
    from balai.web.app import build_registry

    registry = build_registry([plugin])
    if plugin not in registry.plugins or plugin == CORE:
        cause = registry.failed[plugin].cause if plugin in registry.failed else _("not installed")
        fail(_("No plugin %(slug)s: %(cause)s", slug=plugin, cause=cause))
    modules = registry.declared("piccolo_apps").get(plugin) or []
    if not modules:
        fail(_("The plugin %(slug)s declares no Piccolo app (piccolo_apps).", slug=plugin))
    for module in modules:
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # Piccolo's own summary table
                generated = asyncio.run(make_migrations(module, description))
        except MakeMigrationsError as exc:
            fail(str(exc))
        if not generated.files:
            click.echo(_("%(app)s: no changes.", app=generated.app_name))
        for path in generated.files:
            click.echo(_("%(app)s: wrote %(path)s", app=generated.app_name, path=path))


# --- jobs ------------------------------------------------------------------------------


def _jobs_app(config_path: Path | None) -> Any:
    from balai.asgi import build_admin_app

    if config_path is None:
        fail(_("Give the instance file with --config."))
    return admin_app(config_path, build_admin_app)


class _PendingMigrations(Exception):
    """The database lacks tables the jobs commands read."""


async def _require_migrated(app: Any) -> None:
    if await app.ui.database.pending():
        raise _PendingMigrations()


def _pending_migrations(app: Any) -> NoReturn:
    fail(_("Migrations are pending: run `balai migrate` first."), NOT_READY)


@main.group(invoke_without_command=True)
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=CONFIG_HELP,
)
@click.pass_context
def jobs(ctx: click.Context, config_path: Path | None) -> None:
    """List the background jobs (name, schedule, description) and their last run per city.

    Times are shown in each city's zone. `balai jobs run NAME --city SLUG`
    runs one job now.
    """
    ctx.obj = {"config_path": config_path}
    if ctx.invoked_subcommand is not None:
        return
    from balai.asgi import connected
    from balai.i18n import format_when
    from balai.jobs.report import first_line, last_runs, schedule_label

    app = _jobs_app(config_path)
    service = app.ui.jobs

    async def gather() -> list[Any]:
        async with connected(app):
            await _require_migrated(app)
            return await last_runs(service.catalog, app.ui.config.cities)

    try:
        runs = asyncio.run(gather())
    except _PendingMigrations:
        _pending_migrations(app)
    declared = [service.catalog.jobs[name] for name in sorted(service.catalog.jobs)]
    if not declared:
        click.echo(_("No jobs are declared."))
        return
    click.echo(
        _table(
            [_("job"), _("schedule"), _("description")],
            [[d.name, schedule_label(d.job), _(d.job.description)] for d in declared],
        )
    )
    click.echo("")
    statuses = {
        "ok": _("ok"),
        "failed": _("failed"),
        "running": _("running"),
        "stopped": _("stopped"),
    }
    rows = [
        [
            run.job,
            run.city.slug,
            statuses.get(run.status, run.status) if run.status else _("never run"),
            format_when(run.started_at, run.city.tz),
            first_line(run.error),
        ]
        for run in runs
    ]
    click.echo(_table([_("job"), _("city"), _("last run"), _("started"), _("error")], rows))


def _job_arguments(pairs: tuple[str, ...]) -> dict[str, str]:
    """``NAME=VALUE`` pairs by name, as given (the job's declared types convert them)."""
    found: dict[str, str] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier() or name == "context":
            fail(_("Give job arguments as NAME=VALUE (not %(pair)s).", pair=pair))
        found[name] = raw
    return found


def _converted_arguments(item: Any, raw: dict[str, str]) -> dict[str, Any]:
    """``raw`` converted as the job's parameters declare; a clear refusal otherwise."""
    from balai.jobs.catalog import JobArgumentError

    try:
        return item.convert_arguments(raw)
    except JobArgumentError as exc:
        if not exc.expected:
            fail(
                _(
                    "%(job)s takes no argument %(name)s.",
                    job=item.name,
                    name=exc.argument,
                )
            )
        kinds = {
            "whole number": _("a whole number"),
            "number": _("a number"),
            "true/false": _("true or false"),
        }
        fail(
            _(
                "%(job)s: --arg %(name)s must be %(kind)s, not %(value)s.",
                job=item.name,
                name=exc.argument,
                kind=kinds.get(exc.expected, exc.expected),
                value=repr(exc.value),
            )
        )


@jobs.command("run")
@click.argument("name")
@click.option("--city", "city_slug", required=True, help="Slug of the city to run the job for.")
@click.option(
    "--arg",
    "pairs",
    multiple=True,
    metavar="NAME=VALUE",
    help=(
        "An argument for the job (e.g. run_id=7), converted to the type the job's parameter "
        "declares (int, float, str, bool; others read as JSON); repeatable."
    ),
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=CONFIG_HELP,
)
@click.pass_context
def jobs_run(
    ctx: click.Context,
    name: str,
    city_slug: str,
    pairs: tuple[str, ...],
    config_path: Path | None,
) -> None:
    """Run the job NAME for one city now and print the result (exit 1 if it failed).

    The run gets the same application (configuration, plugins) as in a
    server's worker; on-demand jobs that need arguments get them with --arg.
    """
    from balai.asgi import connected
    from balai.jobs.catalog import UnknownJobError

    app = _jobs_app(config_path or (ctx.obj or {}).get("config_path"))
    city = app.ui.config.cities.get(city_slug)
    if city is None:
        fail(_("No city %(city)s in this instance.", city=city_slug))
    try:
        item = app.ui.jobs.catalog.get(name, city)
    except UnknownJobError as exc:
        fail(_("Cannot run %(job)s: %(reason)s", job=name, reason=str(exc)))
    kwargs = _converted_arguments(item, _job_arguments(pairs))
    missing = item.missing_arguments(kwargs)
    if missing:
        fail(
            _(
                "%(job)s needs the argument(s) %(names)s: give --arg NAME=VALUE.",
                job=name,
                names=", ".join(missing),
            )
        )

    async def run() -> Any:
        async with connected(app):
            await _require_migrated(app)
            return await app.ui.jobs.runner.run_now(name, city, **kwargs)

    try:
        result = asyncio.run(run())
    except _PendingMigrations:
        _pending_migrations(app)
    except UnknownJobError as exc:
        fail(_("Cannot run %(job)s: %(reason)s", job=name, reason=str(exc)))
    if result.status != "ok":
        error = result.error
        fail(_("%(job)s failed for %(city)s: %(error)s", job=name, city=city_slug, error=error))
    click.echo(_("%(job)s ran for %(city)s: ok", job=name, city=city_slug))


# --- audit -----------------------------------------------------------------------------

main.add_command(_audit_commands)
main.add_command(_keys_commands)
main.add_command(_partner_recon_command)
main.add_command(_partner_sim_command)
main.add_command(_partner_catalogue_sim_command)


# --- signing ---------------------------------------------------------------------------

main.add_command(_signing_commands)


# --- backup and restore ----------------------------------------------------------------

main.add_command(_backup_command)
main.add_command(_restore_command)
