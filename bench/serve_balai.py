"""The platform side: the real Balai application, built for the bench.

Used as a uvicorn factory (``bench.serve_balai:build``). Nothing in the core is
edited: the engine instance the app already holds gets its
``run_querystring``/``run_ddl`` wrapped to count statements, and with
``BENCH_ENGINE=stock`` the kept SQLite engine is swapped for Piccolo's stock
``SQLiteEngine`` (a connection per query) bound to every table the same way
:meth:`balai.db.database.Database.bind` binds the kept one.

Environment:
    BENCH_CONFIG: the instance TOML written by :mod:`bench.instance`.
    BENCH_PLUGINS: comma-separated plugin slugs to load ("" for none).
    BENCH_ENGINE: ``kept`` (default) or ``stock`` (SQLite only).
    BENCH_PROFILE: a file for cProfile statistics: profiling starts at
        ``/__bench__/start-profile`` and is written at ``/__bench__/dump-profile``
        (see :mod:`bench.profile`).
    DATABASE_URL, BALAI_SECRET_KEY: as for any Balai instance.
"""

from __future__ import annotations

import cProfile
import functools
import os
import time
from collections.abc import Callable
from typing import Any

from balai.config import load_config
from balai.web.app import create_app
from piccolo.engine.sqlite import SQLiteEngine

from bench.counting import BenchProbe, QueryLog


def plugin_list(raw: str | None) -> list[str] | None:
    """The ``plugins=`` argument for :func:`create_app` from ``BENCH_PLUGINS``."""
    if raw is None:
        return None
    return [p for p in (s.strip() for s in raw.split(",")) if p]


class StockSQLiteEngine(SQLiteEngine):
    """Piccolo's stock engine, unchanged: a subclass only so it has an instance dict.

    Piccolo's ``SQLiteEngine`` uses ``__slots__``, so :func:`count_statements`
    could not wrap methods on a plain instance.
    """


def swap_to_stock_engine(app: Any) -> None:
    """Replace the app's kept SQLite engine with Piccolo's stock one."""
    database = app.ui.database
    if not database.is_sqlite:
        raise SystemExit("BENCH_ENGINE=stock needs a SQLite DATABASE_URL")
    kept = database.engine
    database.engine = StockSQLiteEngine(path=kept.path, timeout=30)
    database.bind()


def count_statements(engine: Any, log: QueryLog) -> None:
    """Wrap the engine's entry points so that every statement is counted."""
    run_querystring = engine.run_querystring
    run_ddl = engine.run_ddl

    @functools.wraps(run_querystring)
    async def counted_querystring(querystring: Any, *args: Any, **kwargs: Any) -> Any:
        log.add(querystring)  # compiled to text only when the probe is asked
        return await run_querystring(querystring, *args, **kwargs)

    @functools.wraps(run_ddl)
    async def counted_ddl(ddl: str, *args: Any, **kwargs: Any) -> Any:
        log.add(ddl)
        return await run_ddl(ddl, *args, **kwargs)

    engine.run_querystring = counted_querystring
    engine.run_ddl = counted_ddl


def build() -> BenchProbe:
    """Build the Balai app for uvicorn, with the query probe in front."""
    config = load_config(os.environ["BENCH_CONFIG"])
    app = create_app(config, plugins=plugin_list(os.environ.get("BENCH_PLUGINS")))
    if os.environ.get("BENCH_ENGINE", "kept") == "stock":
        swap_to_stock_engine(app)
    log = QueryLog()
    count_statements(app.ui.database.engine, log)
    path = os.environ.get("BENCH_PROFILE")
    return BenchProbe(app, log, profile_actions(path) if path else None)


def profile_actions(path: str) -> dict[str, Callable[[], None]]:
    """Start and dump actions for a profiler of the event loop thread's CPU time."""
    profiler = cProfile.Profile(time.thread_time)

    def dump() -> None:
        profiler.disable()
        profiler.dump_stats(path)

    return {"start": profiler.enable, "dump": dump}
