"""``python -m bench.pengaduan_open311``: the Open311 list and the board at a million reports.

One fresh instance per backend (SQLite; PostgreSQL too unless ``--no-pg`` or
unreachable) with the ``pengaduan`` plugin as in ``examples/demo.toml``;
``--rows`` reports (default 1,000,000) are written for Malang in multi-row
batches through a second application on the bench database, spread over
two years, every category and state.

``--check-only`` (no timing; 2,000 reports unless ``--rows``): the list
query's plan must search an index (SQLite ``EXPLAIN QUERY PLAN`` /
PostgreSQL ``EXPLAIN``, no sequential scan of the reports), and the served
pages must answer 200 with the expected number of rows. Otherwise each page
is requested ``--requests`` times one after another through the real
application (uvicorn in a thread) and the median and p95 wall time per page
are printed. Goal (issue 14): the Open311 list page under 50 ms at 1M
reports. Run it on a quiet machine; this script never runs in the tests,
and the figures in docs are "to be measured".

The board's and the report page's twin ratio (twin ÷ platform ≥ 0.80) is
:mod:`bench.pengaduan_run`'s. ``python -m bench --check-only`` runs both checks.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import instance

CHECK_ROWS = 2_000  # --check-only: the plans and answers, not the size
BATCH = 1_000  # rows per INSERT: 22 columns stay under PostgreSQL's 32,767 arguments
PAGES = {
    "open311_list": "/malang/api/pengaduan/georeport/v2/requests.json?page_size=50",
    "open311_by_service": (
        "/malang/api/pengaduan/georeport/v2/requests.json?service_code=lampu&status=open"
    ),
    "board": "/malang/pengaduan/",
    "board_category": "/malang/pengaduan/?kategori=sampah&status=open",
}
STATES = ("new", "assigned", "in_progress", "resolved", "closed", "rejected", "reopened")


async def seed(inst: instance.Instance, rows: int) -> None:
    from balai.config import load_config
    from balai.tenants import city_scope
    from balai.web.app import create_app
    from balai_pengaduan.settings import city_settings
    from balai_pengaduan.tables import Report

    config = load_config(inst.config_path, environ=inst.environ())
    app = create_app(config, plugins=inst.plugins)
    await app.ui.database.open()
    rng = random.Random(14)
    now = datetime.now(UTC)
    try:
        with city_scope(app.ui.config.cities[instance.CITY]):
            settings = city_settings()
            categories = settings.categories
            kelurahan = settings.kelurahan or ("",)
            for start in range(0, rows, BATCH):
                batch = []
                for n in range(start, min(start + BATCH, rows)):
                    category = categories[n % len(categories)]
                    made = now - timedelta(minutes=(rows - n) * 1.05)
                    batch.append(
                        Report(
                            number=f"NGL-BENCH-{n:09d}",
                            category=category.code,
                            department=category.department,
                            urgent=category.emergency,
                            description=f"Laporan uji beban nomor {n}.",
                            kelurahan=kelurahan[n % len(kelurahan)],
                            address=f"Jl. Bench No. {n % 500}",
                            latitude=-7.98 + rng.random() * 0.05,
                            longitude=112.60 + rng.random() * 0.05,
                            status=STATES[n % len(STATES)],
                            created_at=made,
                            updated_at=made,
                            response_due=made + timedelta(hours=category.first_response_hours),
                            resolution_due=made + timedelta(hours=category.resolution_hours),
                        )
                    )
                await Report.insert(*batch)
                if start % 100_000 == 0:
                    print(f"    {start + len(batch):,} reports", flush=True)
            await Report.raw("ANALYZE pengaduan_report")  # plans as a city's database would have
    finally:
        await app.ui.database.close()


async def _plan(inst: instance.Instance) -> str:
    from balai.config import load_config
    from balai.tenants import city_scope
    from balai.web.app import create_app
    from balai_pengaduan.board.routes import board_select
    from balai_pengaduan.open311.api import list_select
    from balai_pengaduan.tables import Report

    config = load_config(inst.config_path, environ=inst.environ())
    app = create_app(config, plugins=inst.plugins)
    await app.ui.database.open()
    try:
        with city_scope(app.ui.config.cities[instance.CITY]):
            sqlite = Report._meta.db.engine_type == "sqlite"
            explain = "EXPLAIN QUERY PLAN" if sqlite else "EXPLAIN"
            plans = []
            for query in (
                list_select([], [], None, None, 50),
                list_select(["lampu"], ["open"], None, None, 50),
                board_select("", "").limit(20),
            ):
                rows = await Report.raw(f"{explain} {query}")
                plans.append(" | ".join(str(list(r.values())[-1]) for r in rows))
            return "\n".join(plans)
    finally:
        await app.ui.database.close()


def _time_pages(inst: instance.Instance, requests_per_page: int, check_only: bool) -> list[str]:
    import httpx
    from balai.config import load_config
    from balai.testing.server import serving
    from balai.web.app import create_app

    config = load_config(inst.config_path, environ=inst.environ())
    app = create_app(config, plugins=inst.plugins)
    problems = []
    with serving(app) as base, httpx.Client(base_url=base, timeout=60) as http:
        for name, path in PAGES.items():
            first = http.get(path)
            if first.status_code != 200:
                problems.append(f"{name}: {first.status_code}")
                continue
            if name.startswith("open311") and not first.json():
                problems.append(f"{name}: no rows")
            if check_only:
                print(f"  {name}: 200, {len(first.content):,} bytes")
                continue
            times = []
            for _ in range(requests_per_page):
                began = time.perf_counter()
                http.get(path)
                times.append((time.perf_counter() - began) * 1000)
            times.sort()
            p95 = times[int(len(times) * 0.95) - 1]
            print(f"  {name}: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms")
    return problems


def run_backend(backend: str, work: Path, args: argparse.Namespace) -> list[str]:
    """Seed, check the plans, then check or time the pages on one backend."""
    database_url = None
    if backend == "postgresql":
        database_url = args.pg_url
        try:
            instance.recreate_pg(database_url)
        except Exception as exc:
            print(f"  skipped: PostgreSQL not reachable at {database_url}: {exc}")
            return []
    inst = instance.new_instance(work / backend, database_url, ["pengaduan"])
    try:
        instance.prepare(inst)
        print(f"  seeding {args.rows:,} reports")
        asyncio.run(seed(inst, args.rows))
        plans = asyncio.run(_plan(inst))
        print("  plans:\n    " + plans.replace("\n", "\n    "))
        problems = []
        scans = ("SCAN pengaduan_report", "Seq Scan on pengaduan_report")
        if any(s in line and "INDEX" not in line for line in plans.splitlines() for s in scans):
            problems.append(f"{backend}: a list query scans the reports")
        problems += [f"{backend}: {p}" for p in _time_pages(inst, args.requests, args.check_only)]
        return problems
    finally:
        if database_url:
            instance.drop_pg(database_url)


def main(argv: list[str] | None = None) -> int:
    """Run the bench; exit 1 when a check fails."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows", type=int, default=None, help="default 1,000,000; with --check-only 2,000"
    )
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--check-only", action="store_true")
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument(
        "--pg-url", default="postgresql://postgres@127.0.0.1:5432/balai_bench_pengaduan"
    )
    args = parser.parse_args(argv)
    if args.rows is None:
        args.rows = CHECK_ROWS if args.check_only else 1_000_000
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-pengaduan-") as folder:
        for backend in ("sqlite", *(() if args.no_pg else ("postgresql",))):
            print(f"{backend}:")
            problems += run_backend(backend, Path(folder), args)
    for problem in problems:
        print(f"PROBLEM {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
