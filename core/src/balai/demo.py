"""The demo: three cities on one address, seeded accounts, SQLite under a data folder.

``balai demo`` loads the demo instance file, migrates, seeds every city that
has no accounts yet and serves until Ctrl-C. Seeding is idempotent: a city
that already has accounts is left alone, so restarting never duplicates data.
What was seeded is remembered in ``<data_dir>/demo-accounts.json`` so that
every start can print the accounts again.

Demo accounts of a city (all share the password ``demo-<city>-2026``):

* ``warga@<city>.test``: a citizen;
* ``admin@<city>.test``: the city administrator (role ``city_admin``);
* ``<role>@<city>.test``: one officer per role the city's plugins declare
  (``core.user_manager@malang.test``, ...);

plus whatever each enabled plugin's ``seed_demo`` hook creates.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from balai.asgi import connected
from balai.auth.access import CITY_ADMIN
from balai.config import Config, load_config
from balai.i18n import activate
from balai.i18n import gettext as _
from balai.payments.sandbox.routes import SANDBOX_ENV
from balai.payments.settings import settings_for
from balai.plugins import PluginRegistry, resolve
from balai.seeding import create_demo_account, seeding
from balai.tables import User
from balai.tenants import City, city_scope
from balai.types import DemoAccount, DemoReport
from balai.web.app import BalaiApp
from balai.web.themes import bundled_root

REPORT_FILE = "demo-accounts.json"
DEMO_YEAR = 2026
SQLITE_FILES = ("balai.db", "balai.db-wal", "balai.db-shm")

Say = Callable[[str], None]


def _silent(_: str) -> None:
    """Progress sink that prints nothing."""


def default_config_path() -> Path:
    """The bundled demo instance file (from the checkout or from the wheel)."""
    return bundled_root("examples") / "demo.toml"


def sandbox_partner_of(app: BalaiApp, city: City) -> str:
    """The city's partner id at the sandbox bank when it serves as the gateway, else ''."""
    if not (app.ui.config.development or os.environ.get(SANDBOX_ENV) == "1"):
        return ""
    return settings_for(app.ui.config, city).partner_id


def demo_password(city: City) -> str:
    """The documented password of every core demo account of ``city``."""
    return f"demo-{city.slug}-{DEMO_YEAR}"


def load_demo_config(
    path: str | Path | None = None,
    data_dir: str | Path | None = None,
    environ: dict[str, str] | None = None,
) -> Config:
    """Load the demo's instance file, optionally with another data folder.

    Args:
        path: The instance file; the bundled ``demo.toml`` by default.
        data_dir: Overrides the file's ``instance.data_dir``; the SQLite
            database moves with it unless ``DATABASE_URL`` is set.
        environ: The environment to read secrets from (``os.environ`` by default).
    """
    env = os.environ if environ is None else environ
    config = load_config(path or default_config_path(), environ=dict(env))
    if data_dir is None:
        return config
    folder = Path(data_dir).resolve()
    url = env.get("DATABASE_URL") or f"sqlite:///{folder / 'balai.db'}"
    return replace(config, data_dir=folder, database_url=url)


def served_at(config: Config, host: str, port: int) -> Config:
    """The configuration with each city's ``base_url`` where the demo serves it.

    Links in notifications then lead back to this demo
    (``http://127.0.0.1:8000/malang``), not to the hosts in the file.
    """
    base = f"http://{display_host(host)}:{port}"
    cities = {
        slug: replace(city, base_url=f"{base}/{slug}") for slug, city in config.cities.items()
    }
    return replace(config, cities=cities)


def without_missing_plugins(
    config: Config, registry: PluginRegistry
) -> tuple[Config, dict[str, list[str]]]:
    """Drop from each city the plugins that are not installed or failed to load.

    Their settings go with them, since settings for a plugin a city does not
    enable are refused.

    For the bundled demo file only, so that ``pip install balai`` alone
    still gets a running demo; an instance file of one's own stays strict.

    Returns:
        The fitted configuration, and per city slug the plugins dropped.
    """
    dropped: dict[str, list[str]] = {}
    cities = {}
    raw_settings = {}
    for slug, city in config.cities.items():
        usable = tuple(p for p in city.plugins if p in registry.plugins)
        missing = [p for p in city.plugins if p not in usable]
        if missing:
            dropped[slug] = missing
        cities[slug] = replace(city, plugins=usable)
        given = config.raw_settings.get(slug, {})
        raw_settings[slug] = {name: value for name, value in given.items() if name not in missing}
    return replace(config, cities=cities, raw_settings=raw_settings), dropped


def reset_sqlite(config: Config) -> list[Path]:
    """Delete the demo's SQLite database and its report; returns what was removed.

    Does nothing for a database that is not SQLite in the data folder.
    """
    removed: list[Path] = []
    if not config.database_url.startswith("sqlite:"):
        return removed
    for name in (*SQLITE_FILES, REPORT_FILE):
        target = config.data_dir / name
        if target.exists():
            target.unlink()
            removed.append(target)
    return removed


@dataclass(frozen=True)
class PlannedAccount:
    """A core demo account: who it is and the role it gets ("" for a citizen)."""

    name: str
    email: str
    role: str


def core_accounts(app: BalaiApp, city: City) -> list[PlannedAccount]:
    """The citizen, the city admin and one officer per role offered in ``city``.

    Officers are named by their role's title in the active language (the
    seeding speaks the city's).
    """
    domain = f"{city.slug}.test"
    planned = [
        PlannedAccount(f"Warga {city.name}", f"warga@{domain}", ""),
        PlannedAccount(f"Admin {city.name}", f"admin@{domain}", CITY_ADMIN),
    ]
    for role in app.ui.access.roles_for(city):
        department = f" ({role.department})" if role.department else ""
        planned.append(
            PlannedAccount(
                f"{_(role.title)}{department}, {city.name}", f"{role.name}@{domain}", role.name
            )
        )
    return planned


@dataclass
class CitySeed:
    """What the demo holds for one city.

    Attributes:
        city: The city slug.
        accounts: Every demo account, core ones first.
        plugins: Per plugin slug, the summary lines its ``seed_demo`` returned.
        created: Whether this run created them (``False``: already there).
    """

    city: str
    accounts: list[DemoAccount] = field(default_factory=list)
    plugins: dict[str, list[str]] = field(default_factory=dict)
    created: bool = False


async def migrate(app: BalaiApp, say: Say = _silent) -> dict[str, list[str]]:
    """Apply pending migrations, one progress line per app; returns what was pending."""
    database = app.ui.database
    pending = await database.pending()
    if not pending:
        say(_("Database is up to date."))
        return pending
    for name, ids in pending.items():
        say(_("Migrating %(app)s: %(n)s migration(s)", app=name, n=len(ids)))
    await database.migrate()
    say(_("Migrations done."))
    return pending


async def seed_city(app: BalaiApp, city: City, say: Say = _silent) -> CitySeed:
    """Seed ``city`` unless it has accounts already (runs in one transaction).

    Returns:
        The new city's accounts and plugin summaries, or an empty, not
        ``created`` result when the city had accounts.
    """
    result = CitySeed(city=city.slug)
    with city_scope(city):
        if await User.count() > 0:
            say(_("%(city)s: already seeded, left as it is", city=city.name))
            return result
        password = demo_password(city)
        async with app.ui.database.engine.transaction():
            with seeding(password, sandbox_partner_of(app, city)):
                await _seed_accounts_and_plugins(app, city, password, result, say)
    result.created = True
    return result


async def _seed_accounts_and_plugins(
    app: BalaiApp, city: City, password: str, result: CitySeed, say: Say
) -> None:
    """The core accounts, then every enabled plugin's ``seed_demo`` (demo-only tools allowed)."""
    planned_accounts = await asyncio.create_task(_in_city_language(app, city, core_accounts))
    for planned in planned_accounts:
        await create_demo_account(planned.name, planned.email, planned.role or None)
        result.accounts.append(
            DemoAccount(city.slug, planned.email, password, planned.role or "citizen")
        )
    say(_("%(city)s: %(n)s accounts created", city=city.name, n=len(result.accounts)))
    registry = app.ui.registry
    for plugin in registry.enabled(city):
        report = await asyncio.create_task(_seed_plugin(app, city, plugin))
        if report is None:
            continue
        if not isinstance(report, DemoReport):
            raise TypeError(f"plugin {plugin.slug!r}: seed_demo must return a DemoReport")
        known = {a.login for a in result.accounts}
        result.accounts.extend(a for a in report.accounts if a.login not in known)
        result.plugins[plugin.slug] = list(report.summary)
        say(_("%(city)s: %(plugin)s demo data created", city=city.name, plugin=plugin.slug))


async def _in_city_language(app: BalaiApp, city: City, plan: Callable[..., Any]) -> Any:
    """``plan(app, city)`` in the city's language (a task of its own: nothing leaks)."""
    activate(app.ui.catalogs, city.locale)
    return plan(app, city)


async def _seed_plugin(app: BalaiApp, city: City, plugin: Any) -> Any:
    """One plugin's ``seed_demo``, speaking the city's language.

    Run as its own task, so the language does not leak to the caller; the
    open transaction and the seeding scope carry over (context variables).
    """
    activate(app.ui.catalogs, city.locale)
    registry = app.ui.registry
    return await resolve(registry.call_one(plugin.obj, "seed_demo", city=city))


async def seed(app: BalaiApp, say: Say = _silent) -> list[CitySeed]:
    """Seed every city that has no accounts; returns what the demo holds per city.

    Cities seeded earlier are reported from the data folder's report file,
    or (if it is gone) with their core accounts.
    """
    config = app.ui.config
    known = read_report(config.data_dir)
    seeds: list[CitySeed] = []
    for city in config.cities.values():
        fresh = await seed_city(app, city, say)
        if fresh.created:
            seeds.append(fresh)
            continue
        earlier = known.get(city.slug)
        if earlier is None:
            earlier = CitySeed(
                city=city.slug,
                accounts=[
                    DemoAccount(city.slug, p.email, demo_password(city), p.role or "citizen")
                    for p in core_accounts(app, city)
                ],
            )
        seeds.append(earlier)
    write_report(config.data_dir, seeds)
    return seeds


def read_report(data_dir: Path) -> dict[str, CitySeed]:
    """The seeds remembered in the data folder, by city slug ({} when none)."""
    try:
        raw = json.loads((data_dir / REPORT_FILE).read_text())
    except (OSError, ValueError):
        return {}
    seeds: dict[str, CitySeed] = {}
    for entry in raw if isinstance(raw, list) else []:
        try:
            seeds[entry["city"]] = CitySeed(
                city=entry["city"],
                accounts=[DemoAccount(**a) for a in entry["accounts"]],
                plugins={k: list(v) for k, v in entry["plugins"].items()},
            )
        except (KeyError, TypeError, AttributeError):
            continue
    return seeds


def write_report(data_dir: Path, seeds: list[CitySeed]) -> None:
    """Remember the demo's accounts and plugin summaries in the data folder."""
    data_dir.mkdir(parents=True, exist_ok=True)
    entries = [
        {"city": s.city, "accounts": [asdict(a) for a in s.accounts], "plugins": s.plugins}
        for s in seeds
    ]
    (data_dir / REPORT_FILE).write_text(json.dumps(entries, indent=2, ensure_ascii=False))


async def prepare(app: BalaiApp, *, reset: bool = False, say: Say = _silent) -> list[CitySeed]:
    """Migrate (after rolling back everything when ``reset`` on a server database) and seed.

    Releases the database connections of the running loop before returning,
    so that the server can start its own loop.
    """
    async with connected(app) as database:
        if reset and not database.is_sqlite:
            say(_("Rolling back every migration (--reset)"))
            await database.rollback()
        await migrate(app, say)
        return await seed(app, say)


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reached only from this machine (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def public_warning(host: str) -> str:
    """The warning printed when the demo is served beyond this machine (``--public``)."""
    line = "!" * 72
    text = _(
        "WARNING: the demo is served on %(host)s, reachable from other machines. It is "
        "not a production site: its sandbox bank and the development gateway secret, "
        "which is public (it is in the source code), let ANYONE mark ANY invoice paid, "
        "and the demo accounts' passwords are printed below. Do not put real data in "
        "it; use `balai serve` with a production configuration for a real city.",
        host=host,
    )
    return f"{line}\n{text}\n{line}"


def display_host(host: str) -> str:
    """The host to put in printed URLs (a wildcard bind is reached on localhost)."""
    return "localhost" if host in {"0.0.0.0", "::", ""} else host  # noqa: S104


def signing_note(cities: list[str], tsa_url: str) -> str:
    """The start-up lines on signing: which cities can sign and how a demo official does it."""
    if not cities:
        return ""
    return "\n".join(
        [
            "  "
            + _(
                "Signing: a CA for %(cities)s, timestamps from %(url)s/<city>.",
                cities=", ".join(cities),
                url=tsa_url,
            ),
            "  "
            + _(
                "Sign as <role>@<city>.test (e.g. pajak.head@malang.test): enrol a second "
                "factor at /<city>/akun/dua-langkah, then open /<city>/dokumen/tanda-tangan."
            ),
            "",
        ]
    )


def banner(config: Config, seeds: list[CitySeed], host: str, port: int) -> str:
    """The text printed when the demo starts: addresses, accounts, demo data."""
    shown = display_host(host)
    base = f"http://{shown}:{port}"
    lines = [
        "",
        "=" * 72,
        "  " + _("Balai demo is running at %(url)s", url=f"{base}/"),
        "=" * 72,
        "",
    ]
    by_city = {s.city: s for s in seeds}
    for city in config.cities.values():
        lines.append(f"  {city.name}")
        lines.append(f"    {base}/{city.slug}/")
        if city.hosts and shown in {"localhost", "127.0.0.1"}:
            lines.append(f"    http://{city.hosts[0]}:{port}/")
        lines.append("    " + _("plugins: %(list)s", list=", ".join(city.plugins) or "-"))
        seed = by_city.get(city.slug)
        if seed is None:
            lines.append("")
            continue
        login_w = max((len(a.login) for a in seed.accounts), default=5)
        password_w = max((len(a.password) for a in seed.accounts), default=8)
        lines.append(
            f"    {_('login').ljust(login_w)}  {_('password').ljust(password_w)}  {_('role')}"
        )
        for a in seed.accounts:
            lines.append(f"    {a.login.ljust(login_w)}  {a.password.ljust(password_w)}  {a.role}")
        for slug, summary in seed.plugins.items():
            for line in summary:
                shown_line = line if line.startswith(slug) else f"{slug}: {line}"
                lines.append(f"    {_('demo data')}  {shown_line}")
        lines.append("")
    lines.append("  " + _("Data folder: %(dir)s", dir=config.data_dir))
    lines.append("  " + _("Stop with Ctrl-C. Start again from scratch with --reset."))
    lines.append("")
    return "\n".join(lines)


def serve(app: BalaiApp, host: str, port: int, *, trust_proxy: bool = False) -> None:
    """Serve ``app`` in this process until Ctrl-C.

    ``X-Forwarded-For`` and ``X-Forwarded-Proto`` are ignored (the client
    address is the connection's, so a visitor cannot pick the address the
    login throttle counts) unless ``trust_proxy``: then uvicorn trusts them from
    the addresses in ``FORWARDED_ALLOW_IPS`` (default 127.0.0.1).
    """
    import uvicorn

    from balai.web.access_log import uvicorn_log_config

    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info",
        lifespan="on",
        access_log=False,  # balai.access logs each request, with its city
        log_config=uvicorn_log_config(),
        proxy_headers=trust_proxy,
    )
