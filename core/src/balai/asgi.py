"""The production application, built from the instance file named by ``BALAI_CONFIG``.

``balai serve`` checks the instance with :func:`preflight`, sets
``BALAI_CONFIG`` and starts uvicorn workers on the import string
``balai.asgi:app``. Each worker process imports this module and builds its
own application on first access to ``app``, so nothing is shared between
workers except the database (and Redis, when configured).

Any other ASGI server works the same way::

    export BALAI_CONFIG=/etc/balai/kota.toml BALAI_SECRET_KEY=...
    gunicorn -k uvicorn.workers.UvicornWorker balai.asgi:app
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from balai.config import Config, load_config
from balai.db.database import Database
from balai.web.app import BalaiApp, create_app

CONFIG_ENV = "BALAI_CONFIG"

_app: BalaiApp | None = None


class NotReadyError(RuntimeError):
    """The instance must not be served yet; the message says what to do."""


def config_path_from_env(environ: dict[str, str] | None = None) -> Path:
    """The instance file named by ``BALAI_CONFIG``.

    Raises:
        NotReadyError: when the variable is not set.
    """
    env = os.environ if environ is None else environ
    value = env.get(CONFIG_ENV, "").strip()
    if not value:
        raise NotReadyError(
            f"Set {CONFIG_ENV} to the path of the instance file (or start with `balai serve`)."
        )
    return Path(value)


def build_app(config_path: str | Path | None = None) -> BalaiApp:
    """Build the application of the instance file at ``config_path`` (default: ``BALAI_CONFIG``).

    Raises:
        ConfigError: the file or the installed plugins do not fit.
        StartupError: a plugin declares something invalid.
        NotReadyError: no file was named.
    """
    path = Path(config_path) if config_path is not None else config_path_from_env()
    return create_app(load_config(path))


def build_admin_app(config_path: str | Path) -> BalaiApp:
    """Build the application for maintenance commands (``migrate``, ``create-user``).

    These serve no request, so a production instance may run them without
    ``BALAI_SECRET_KEY``: a throwaway secret stands in for it.

    Raises:
        ConfigError: the file or the installed plugins do not fit.
        StartupError: a plugin declares something invalid.
    """
    config = load_config(config_path)
    if not config.secret_key and not config.development:
        config = replace(config, secret_key=secrets.token_urlsafe(48))
    return create_app(config)


@contextlib.asynccontextmanager
async def connected(app: BalaiApp) -> AsyncIterator[Database]:
    """Open ``app``'s database on the running loop (the pool, on PostgreSQL), then close it.

    For work outside a request (commands, the demo's seeding): the server
    opens and closes the database itself at start-up and shut-down.
    """
    database = app.ui.database
    await database.open()
    try:
        yield database
    finally:
        await database.close()


async def preflight(app: BalaiApp) -> Config:
    """Check that ``app`` may serve: every migration applied.

    The configuration, the plugins and the secret were already checked by
    :func:`build_app`. Closes what the check opened on the running loop.

    Returns:
        The application's bound configuration.

    Raises:
        NotReadyError: naming the apps with pending migrations.
    """
    async with connected(app) as database:
        pending = await database.pending()
    if pending:
        listed = ", ".join(f"{name} ({len(ids)})" for name, ids in pending.items())
        raise NotReadyError(
            f"Migrations are pending for: {listed}. Run `balai migrate --config "
            f"{app.ui.config.source}` first."
        )
    return app.ui.config


def __getattr__(name: str) -> Any:
    """Build ``app`` on first access, once per worker process."""
    global _app
    if name == "app":
        if _app is None:
            _app = build_app()
        return _app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
