"""Underlying rows for the dashboard bench: many accounts, their daily aggregates.

``seed(instance, accounts)`` inserts ``accounts`` rows into ``balai_user``
(SQLite, straight through ``sqlite3`` in batches: creating a million
accounts through the password hasher would take days), spread evenly over
the last two years, then runs the dashboard's own refresh job once, which
builds the daily aggregates from them exactly as in production. It also
writes two years of the payments service's daily aggregates (revenue and
count per channel) as settlement would have left them, so that every
widget on the page has numbers. The bench viewer (``bench.instance``'s
citizen) gets the ``dashboard.viewer`` role.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import time
from datetime import UTC, datetime, timedelta

from bench.instance import CITIZEN_EMAIL, CITY, Instance

SPAN_DAYS = 730
BATCH = 20_000
PROVIDERS = ("cash", "va", "qris", "ewallet")


def _insert_accounts(path: str, accounts: int) -> None:
    now = datetime.now(UTC)
    rng = random.Random(20261123)
    step = SPAN_DAYS * 86400 / max(accounts, 1)
    connection = sqlite3.connect(path)
    try:
        with connection:
            for first in range(0, accounts, BATCH):
                rows = []
                for n in range(first, min(first + BATCH, accounts)):
                    created = now - timedelta(
                        seconds=SPAN_DAYS * 86400 - n * step - rng.random() * step
                    )
                    rows.append(
                        (CITY, f"Warga {n}", f"warga{n}@bench.id", "x", 1, created.isoformat())
                    )
                connection.executemany(
                    "INSERT INTO balai_user "
                    "(city, name, email, password_hash, is_active, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    rows,
                )
    finally:
        connection.close()


async def _aggregates(instance: Instance) -> float:
    from balai.auth.accounts import grant_role
    from balai.config import load_config
    from balai.dashboard.core_widgets import refresh_accounts
    from balai.dashboard.metrics import set_metric
    from balai.tables import User
    from balai.tenants import city_scope
    from balai.web.app import create_app

    config = load_config(instance.config_path, environ=instance.environ())
    app = create_app(config, plugins=instance.plugins)
    await app.ui.database.open()
    city = app.ui.config.cities[CITY]
    rng = random.Random(7)
    with city_scope(city):
        viewer = await User.select(User.id).where(User.email == CITIZEN_EMAIL).first()
        await grant_role(viewer["id"], "dashboard.viewer")
        started = time.perf_counter()
        await refresh_accounts(city)
        took = time.perf_counter() - started
        today = datetime.now(UTC).astimezone(city.tz).date()
        for back in range(SPAN_DAYS):
            day = today - timedelta(days=back)
            for key in PROVIDERS:
                count = rng.randint(5, 60)
                await set_metric(f"payments.count.{key}", day, count)
                await set_metric(
                    f"payments.revenue.{key}", day, count * rng.randint(10, 400) * 1000
                )
    await app.ui.database.close()
    return took


def seed(instance: Instance, accounts: int) -> float:
    """Insert the accounts and build the aggregates; returns the refresh job's seconds."""
    if not instance.database_url.startswith("sqlite:///"):
        raise SystemExit("the dashboard bench seeds SQLite only")
    _insert_accounts(instance.database_url[len("sqlite:///") :], accounts)
    return asyncio.run(_aggregates(instance))
