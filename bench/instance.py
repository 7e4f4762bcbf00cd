"""A throw-away Balai instance for the bench: config, database, one citizen.

The configuration is ``examples/demo.toml`` with its data folder moved to a
temporary directory, production settings (``development = false``, so no
template auto-reload), and each city's plugin list cut down to the plugins
that are installed and load. The citizen is created directly; logging in goes
through the running platform server, like a browser.
"""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
import time
import tomllib
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.client import HTTPResponse
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import tomli_w

REPO = Path(__file__).resolve().parents[1]
DEMO_CONFIG = REPO / "examples" / "demo.toml"
CITY = "malang"
CITIZEN_EMAIL = "warga.bench@contoh.id"
CITIZEN_NAME = "Warga Bench"
CITIZEN_PASSWORD = "kopi-tubruk-arjosari-2026"


@dataclass
class Instance:
    """Where a bench instance lives and how to reach its database."""

    folder: Path
    config_path: Path
    database_url: str
    secret_key: str
    plugins: list[str]

    def environ(self) -> dict[str, str]:
        """Environment variables the servers need (on top of the harness' own)."""
        return {
            "BENCH_CONFIG": str(self.config_path),
            "BENCH_PLUGINS": ",".join(self.plugins),
            "DATABASE_URL": self.database_url,
            "BALAI_SECRET_KEY": self.secret_key,
        }


def installed_plugins() -> list[str]:
    """Slugs of the plugins registered under the ``balai.plugins`` entry-point group."""
    return sorted(ep.name for ep in entry_points(group="balai.plugins"))


def builtin_slugs() -> list[str]:
    """Slugs of the core's own features registered as plugins (always loaded)."""
    from balai import plugins

    return sorted(getattr(plugins, "BUILTIN_SLUGS", None) or ["core"])


def loadable_plugins() -> tuple[list[str], list[str]]:
    """Installed plugins that load, and a note for each one that does not."""
    from balai.web.app import build_registry

    registry = build_registry(None)
    builtin = set(builtin_slugs())
    ok = sorted(s for s in registry.plugins if s not in builtin)
    notes = [f"{slug}: {failure}" for slug, failure in sorted(registry.failed.items())]
    return ok, notes


def _config_knows(name: str) -> bool:
    from balai.config import Config

    return name in {f.name for f in dataclasses.fields(Config)}


def write_config(folder: Path, plugins: list[str]) -> Path:
    """The demo configuration, moved to ``folder`` and limited to ``plugins``."""
    demo = tomllib.loads(DEMO_CONFIG.read_text())
    demo.setdefault("instance", {}).update(
        {"data_dir": str(folder / "data"), "development": False, "path_prefix": True}
    )
    if _config_knows("run_jobs"):
        # Scheduled jobs would add their CPU to the page's; the bench serves pages only.
        demo["instance"]["run_jobs"] = False
    for slug, city in demo["cities"].items():
        # Outside development only a city's hosts are answered: the bench asks 127.0.0.1.
        city["base_url"] = f"http://127.0.0.1/{slug}/"
        city["plugins"] = [p for p in city.get("plugins", []) if p in plugins]
        settings = city.get("settings", {})
        for name in list(settings):
            if name not in city["plugins"]:
                del settings[name]
    path = folder / "bench.toml"
    path.write_text(tomli_w.dumps(demo))
    return path


def new_instance(folder: Path, database_url: str | None, plugins: list[str]) -> Instance:
    """Lay out an instance in ``folder`` (SQLite there unless ``database_url``)."""
    folder.mkdir(parents=True, exist_ok=True)
    config_path = write_config(folder, plugins)
    url = database_url or f"sqlite:///{folder / 'data' / 'balai.db'}"
    return Instance(folder, config_path, url, secrets.token_urlsafe(48), plugins)


async def _prepare(instance: Instance) -> int:
    from balai.auth.accounts import create_user
    from balai.config import load_config
    from balai.tenants import city_scope
    from balai.web.app import create_app

    config = load_config(instance.config_path, environ=instance.environ())
    app = create_app(config, plugins=instance.plugins)
    await app.ui.database.open()
    await app.ui.database.migrate()
    with city_scope(app.ui.config.cities[CITY]):
        user_id = await create_user(
            name=CITIZEN_NAME, password=CITIZEN_PASSWORD, email=CITIZEN_EMAIL
        )
    await app.ui.database.close()
    return user_id


def prepare(instance: Instance) -> int:
    """Migrate the instance's database and create the citizen; returns their id."""
    return asyncio.run(_prepare(instance))


def admin_dsn(database_url: str) -> str:
    """The same server's ``postgres`` maintenance database."""
    parts = urllib.parse.urlsplit(database_url)
    return urllib.parse.urlunsplit(parts._replace(path="/postgres"))


async def _recreate_pg(database_url: str, drop_only: bool) -> None:
    import asyncpg

    name = urllib.parse.urlsplit(database_url).path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise ValueError(f"unexpected bench database name {name!r}")
    conn = await asyncpg.connect(admin_dsn(database_url), timeout=5)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


def recreate_pg(database_url: str) -> None:
    """Drop and create the bench database (raises when the server is unreachable)."""
    asyncio.run(_recreate_pg(database_url, drop_only=False))


def drop_pg(database_url: str) -> None:
    """Drop the bench database."""
    asyncio.run(_recreate_pg(database_url, drop_only=True))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _cookies(response: HTTPResponse | Any) -> dict[str, str]:
    found = {}
    for header in response.headers.get_all("set-cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def log_in(base: str, attempts: int = 3) -> dict[str, str]:
    """Log the citizen in through the login form; returns the browser's cookies.

    Args:
        base: The platform server, e.g. ``http://127.0.0.1:8101``.
        attempts: Tries before giving up (the first request may meet a cold server).
    """
    for attempt in range(1, attempts + 1):
        try:
            return _log_in_once(base)
        except (RuntimeError, OSError):
            if attempt == attempts:
                raise
            time.sleep(1)
    raise AssertionError("unreachable")


def _log_in_once(base: str) -> dict[str, str]:
    opener = urllib.request.build_opener(_NoRedirect)
    with opener.open(f"{base}/{CITY}/masuk", timeout=10) as page:
        jar = _cookies(page)
    csrf = jar["balai_csrf"]
    form = urllib.parse.urlencode(
        {"login": CITIZEN_EMAIL, "password": CITIZEN_PASSWORD, "next": "", "_csrf_token": csrf}
    ).encode()
    request = urllib.request.Request(
        f"{base}/{CITY}/masuk",
        data=form,
        headers={
            "Cookie": f"balai_csrf={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        method="POST",
    )
    try:
        response = opener.open(request, timeout=10)
    except urllib.error.HTTPError as exc:  # the 303 after a good login lands here
        response = exc
    if response.status != 303:
        raise RuntimeError(f"login failed: HTTP {response.status}")
    jar.update(_cookies(response))
    if not jar.get("balai_session") or jar["balai_session"] == "null":
        raise RuntimeError("login answered without a session cookie")
    return jar


def cookie_header(jar: dict[str, str]) -> str:
    """A ``Cookie:`` header value for ``jar``."""
    return "; ".join(f"{k}={v}" for k, v in sorted(jar.items()))
