"""``python -m bench.pbb_assessment_run``: the yearly PBB-P2 assessment run against a bare insert.

For each backend (SQLite, and PostgreSQL when reachable): a fresh database
with the core's and the ``pajak`` plugin's migrations, Kota Malang with the
PBB-P2 rules of ``examples/demo.toml``, and ``--objects`` active tax objects
(default 100,000) of about 85,000 taxpayers. Then, in alternating rounds:

* **run**: the assessment job itself (:func:`balai_pajak.pbb.assessment_run.perform`)
  for 2025 on an empty bill table: it reads the objects and taxpayers,
  decides the NJOPTKP per taxpayer, computes every bill, and writes them in
  batches of 5,000 with the run's cursor and counts after each batch;
* **bare**: the same bills, computed beforehand, written by hand-written
  code straight through the driver: one ``executemany`` of a plain
  ``INSERT`` in one transaction (``sqlite3`` on SQLite, ``asyncpg`` on
  PostgreSQL); on PostgreSQL ``COPY`` (``copy_records_to_table``) is timed
  too, as the fastest way there is, for reference.

The bill table is emptied before each timing. Figures: wall-clock seconds
of each side (on PostgreSQL that includes the server's work) and
``run ÷ bare`` per round (goal: at most 3). Written to
``bench/results/pbb_assessment_run.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import sys
import tempfile
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import msgspec

from bench import instance
from bench.stats import Spread, ratios

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/balai_bench_pbb"
YEAR = 2025
APPS = ["balai.piccolo_app", "balai_pajak.piccolo_app"]


def malang():
    """Kota Malang with the demo instance's PBB-P2 rules."""
    from balai import toolkit as tk
    from balai_pajak.pbb.rules import PbbSettings

    document = tomllib.loads((ROOT / "examples" / "demo.toml").read_text(encoding="utf-8"))
    raw = document["cities"]["malang"]["settings"]["pajak"]["pbb"]
    pbb = msgspec.convert(raw, PbbSettings, strict=False)

    class Settings:  # the one attribute pbb_rules reads
        def __init__(self, pbb):
            self.pbb = pbb

    return tk.City(slug="malang", name="Kota Malang", settings={"pajak": Settings(pbb)})


async def seed(objects: int) -> None:
    """``objects`` active tax objects in Malang, most with their own taxpayer."""
    from balai_pajak.bulk import insert_rows
    from balai_pajak.demo import OBJECT_COLUMNS
    from balai_pajak.tables import TaxObject, Taxpayer

    rng = random.Random(7)
    now = datetime.now(UTC)
    owners: list[int] = []
    taxpayers = []
    while len(owners) < objects:
        taxpayers.append(("malang", f"Wajib Pajak {len(taxpayers) + 1}", "", "", now))
        owners.extend([len(taxpayers)] * (1 if rng.random() < 0.85 else rng.randint(2, 4)))
    await insert_rows(Taxpayer, ("city", "name", "nik", "address", "created_at"), taxpayers)
    rows = []
    for n in range(objects):
        land = rng.randint(60, 600)
        building = 0 if rng.random() < 0.1 else int(land * rng.uniform(0.4, 1.6))
        nop = f"3573{10 * (1 + n % 5):03d}{1 + n % 11:03d}{n // 10000:03d}{n % 10000:04d}0"
        rows.append(
            (
                "malang",
                nop,
                f"Jl. Uji No. {n}",
                "Klojen",
                "Kauman",
                land,
                building,
                "A12",
                "B3" if building else "",
                rng.randrange(800_000, 12_000_000, 50_000),
                rng.randrange(1_000_000, 4_000_000, 50_000) if building else 0,
                owners[n],
                True,
                now,
            )
        )
    await insert_rows(TaxObject, OBJECT_COLUMNS, rows)


async def empty_bills() -> None:
    from balai_pajak.tables import AssessmentRun, Sppt

    await Sppt.raw("DELETE FROM pajak_sppt")
    await AssessmentRun.raw("DELETE FROM pajak_assessment_run")


async def time_run(city) -> float:
    """Seconds the assessment job takes for YEAR on an empty bill table."""
    from balai_pajak.pbb.assessment_run import perform
    from balai_pajak.tables import AssessmentRun

    await empty_bills()
    run_id = (await AssessmentRun.insert(AssessmentRun(year=YEAR)))[0]["id"]
    started = time.perf_counter()
    await perform(city, run_id)
    seconds = time.perf_counter() - started
    run = await AssessmentRun.select().where(AssessmentRun.id == run_id).first()
    assert run["status"] == "done", run
    return seconds


async def made_bills() -> list[tuple]:
    from balai_pajak.pbb.assessment_run import BILL_COLUMNS
    from balai_pajak.tables import Sppt

    rows = await Sppt.raw(f"SELECT {', '.join(BILL_COLUMNS)} FROM pajak_sppt ORDER BY nop")
    return [tuple(r[c] for c in BILL_COLUMNS) for r in rows]


def _sqlite_value(value):
    if isinstance(value, datetime):
        return str(value.astimezone(UTC))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def bare_sqlite(path: str, bills: list[tuple]) -> float:
    """Seconds for one executemany of the bills through sqlite3, in one transaction.

    The connection is set up like Balai's (foreign keys on, ``synchronous =
    NORMAL`` in WAL mode), so both sides pay for the same checks.
    """
    from balai_pajak.pbb.assessment_run import BILL_COLUMNS

    statement = (
        f"INSERT INTO pajak_sppt ({', '.join(BILL_COLUMNS)}) "
        f"VALUES ({', '.join('?' for _ in BILL_COLUMNS)})"
    )
    connection = sqlite3.connect(path)
    # The settings every Balai connection has (balai.db.engines): foreign keys checked.
    connection.execute("PRAGMA foreign_keys = 1")
    connection.execute("PRAGMA synchronous = NORMAL")
    try:
        connection.execute("DELETE FROM pajak_sppt")
        connection.commit()
        started = time.perf_counter()
        rows = [tuple(_sqlite_value(v) for v in bill) for bill in bills]
        with connection:
            connection.executemany(statement, rows)
        return time.perf_counter() - started
    finally:
        connection.close()


async def bare_pg(url: str, bills: list[tuple], copy: bool) -> float:
    """Seconds for executemany (or COPY) of the bills through asyncpg, in one transaction."""
    import asyncpg
    from balai_pajak.pbb.assessment_run import BILL_COLUMNS

    statement = (
        f"INSERT INTO pajak_sppt ({', '.join(BILL_COLUMNS)}) "
        f"VALUES ({', '.join(f'${i + 1}' for i in range(len(BILL_COLUMNS)))})"
    )
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("DELETE FROM pajak_sppt")
        started = time.perf_counter()
        async with connection.transaction():
            if copy:
                await connection.copy_records_to_table(
                    "pajak_sppt", records=bills, columns=list(BILL_COLUMNS)
                )
            else:
                await connection.executemany(statement, bills)
        return time.perf_counter() - started
    finally:
        await connection.close()


async def bench_backend(url: str, objects: int, rounds: int) -> dict:
    """Seed one database, then time run and bare insert in alternating rounds."""
    from balai import toolkit as tk
    from balai.db.database import Database

    database = Database(url, APPS)
    await database.migrate()
    database.bind()
    city = malang()
    try:
        with tk.city_scope(city):
            started = time.perf_counter()
            await seed(objects)
            print(f"  {objects:,} tax objects seeded in {time.perf_counter() - started:.1f} s")
            await time_run(city)  # warm-up, and the bills the bare side writes
            bills = await made_bills()
            assert len(bills) == objects
            run_s: list[float] = []
            bare_s: list[float] = []
            copy_s: list[float] = []
            for n in range(rounds):
                order = ("run", "bare") if n % 2 == 0 else ("bare", "run")
                for side in order:
                    if side == "run":
                        run_s.append(await time_run(city))
                    elif database.is_sqlite:
                        bare_s.append(bare_sqlite(url.removeprefix("sqlite:///"), bills))
                    else:
                        bare_s.append(await bare_pg(url, bills, copy=False))
                if not database.is_sqlite:
                    copy_s.append(await bare_pg(url, bills, copy=True))
                print(
                    f"  round {n + 1}: run {run_s[-1]:.2f} s, bare {bare_s[-1]:.2f} s"
                    + (f", COPY {copy_s[-1]:.2f} s" if copy_s else "")
                )
    finally:
        await database.close()
    result = {
        "objects": objects,
        "run_seconds": Spread.of(run_s).as_dict(),
        "bare_seconds": Spread.of(bare_s).as_dict(),
        "ratio_run_to_bare": Spread.of(ratios(run_s, bare_s)).as_dict(),
        "rounds": {"run": run_s, "bare": bare_s},
    }
    if copy_s:
        result["copy_seconds"] = Spread.of(copy_s).as_dict()
        result["rounds"]["copy"] = copy_s
    return result


def show(backend: str, result: dict) -> str:
    """The backend's lines of the printed table."""

    def spread(key: str, digits: int = 2) -> str:
        figure = result[key]
        return Spread(figure["median"], figure["min"], figure["max"]).show(digits)

    lines = [
        f"{backend} ({result['objects']:,} tax objects, {result['objects']:,} bills)",
        f"  assessment run (job)             {spread('run_seconds')} s",
        f"  bare insert (executemany)        {spread('bare_seconds')} s",
    ]
    if "copy_seconds" in result:
        lines.append(f"  reference: COPY                  {spread('copy_seconds')} s")
    lines.append(f"  ratio run ÷ bare (goal ≤ 3)      {spread('ratio_run_to_bare')}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the bench; the table is printed and written as JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.pbb_assessment_run")
    parser.add_argument("--quick", action="store_true", help="10,000 objects, 2 rounds")
    parser.add_argument("--objects", type=int, help="tax objects (default 100,000)")
    parser.add_argument("--rounds", type=int, help="alternating rounds (default 3)")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BALAI_BENCH_PBB_DATABASE_URL") or DEFAULT_PG_URL,
        help=f"PostgreSQL database, created and dropped (default {DEFAULT_PG_URL})",
    )
    args = parser.parse_args(argv)
    objects = args.objects or (10_000 if args.quick else 100_000)
    rounds = args.rounds or (2 if args.quick else 3)
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="pbb-bench-") as work:
        print("sqlite")
        results["sqlite"] = asyncio.run(
            bench_backend(f"sqlite:///{Path(work) / 'bench.db'}", objects, rounds)
        )
    if not args.no_pg:
        try:
            instance.recreate_pg(args.pg_url)
        except Exception as exc:  # an unreachable server skips PostgreSQL, with the reason
            print(f"postgresql skipped: {exc}")
        else:
            try:
                print("postgresql")
                results["postgresql"] = asyncio.run(bench_backend(args.pg_url, objects, rounds))
            finally:
                instance.drop_pg(args.pg_url)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    printed = "\n".join(
        [f"PBB-P2 yearly assessment run, {stamp}; median [min–max] over rounds"]
        + [show(backend, result) for backend, result in results.items()]
    )
    print()
    print(printed)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "pbb_assessment_run.json"
    path.write_text(json.dumps({"printed": printed, "results": results}, indent=2))
    print(f"\nwritten: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
