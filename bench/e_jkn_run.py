"""``python -m bench.e_jkn_run``: the member-roll import and the NIK look-up by blind index.

For each backend (SQLite, and PostgreSQL when ``--pg URL`` is given): a fresh
database with the core's and ``e_jkn``'s migrations, Kota Malang with e_jkn,
development keys. Then:

* **roll**: ``--rows`` people (default 250,000) of made-up families through
  the importer's own row handler (:func:`balai_e_jkn.roll.import_member`:
  checks, sealing, blind index, grouping by KK), in transactions of 500 rows
  as the core's import job runs them, against **bare**: the same rows,
  sealed and indexed beforehand, written by ``executemany`` of a plain
  ``INSERT`` into the member table in one transaction. Goal: roll ÷ bare at
  most 3. Progress is printed every 10,000 rows.
* **look-up**: with ``--members`` people (default 1,000,000) in the member
  table, ``--lookups`` (default 2,000) random NIKs found through
  ``Member.open_nik_index == tk.blind_index(nik)``, as the application form
  does: median and p99 milliseconds per look-up. Goal: under 5 ms.

``--check-only`` runs both with 2,000 rows and checks the results (every row
imported, each NIK found exactly once, an unknown NIK not found) without
timing anything. The figures are **to be measured on a quiet machine**;
results go to ``bench/results/e_jkn_run.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
BATCH = 500


def people(count: int, seed: int = 35_73) -> list[dict[str, str]]:
    """``count`` roll rows of made-up Malang families (about three people per KK)."""
    rng = random.Random(seed)
    rows = []
    for n in range(count):
        family, member = divmod(n, 3)
        district = f"{family % 5 + 1:02d}"
        born = date(1950 + rng.randrange(70), rng.randint(1, 12), rng.randint(1, 28))
        female = member == 1
        day = born.day + (40 if female else 0)
        serial = n % 9999 + 1
        rows.append(
            {
                "nik": f"3573{district}{day:02d}{born:%m%y}{serial:04d}",
                "kk": f"3573{district}{(family % 28) + 1:02d}0115{family % 9999 + 1:04d}",
                "nama": f"Warga {n}",
                "tanggal_lahir": born.isoformat(),
                "jenis_kelamin": "P" if female else "L",
                "kecamatan": "Klojen",
                "nomor_kartu": f"0002{n:09d}",
                "mulai": "2020-05-01",
                "kelas": "3",
            }
        )
    unique = {r["nik"]: r for r in rows}  # generated NIKs may repeat: keep one of each
    return list(unique.values())


async def _app(folder: Path, database_url: str | None):
    from dataclasses import replace

    from balai.testing import write_config
    from balai.web.app import create_app

    config = write_config(folder, {"malang": ["e_jkn"]})
    if database_url:
        config = replace(config, database_url=database_url)
    app = create_app(config, plugins=["e_jkn"])
    await app.ui.database.open()
    await app.ui.database.migrate()
    return app


async def roll(app, rows: list[dict[str, str]], progress: bool) -> float:
    """Import ``rows`` through the roll's row handler; seconds taken."""
    from balai import toolkit as tk
    from balai_e_jkn.roll import import_member
    from balai_e_jkn.tables import Member

    started = time.perf_counter()
    with tk.city_scope(app.ui.config.cities["malang"]):
        for start in range(0, len(rows), BATCH):
            async with Member._meta.db.transaction():
                for n, row in enumerate(rows[start : start + BATCH], start=start + 2):
                    await import_member(
                        row, tk.ImportContext(run_id=0, line=n, user_id=None, data={})
                    )
            if progress and (start + BATCH) % 10_000 < BATCH:
                print(f"  roll: {start + BATCH:,} rows", flush=True)
    return time.perf_counter() - started


async def bare(app, rows: list[dict[str, str]]) -> float:
    """The same members written by one plain executemany; seconds taken (sealing done before)."""
    from balai import toolkit as tk
    from balai_e_jkn.identity import CARD_PURPOSE, NIK_PURPOSE, nik_index

    with tk.city_scope(app.ui.config.cities["malang"]):
        values = [
            (
                "malang",
                1,
                n,
                r["nama"],
                tk.seal(r["nik"], NIK_PURPOSE),
                nik_index(r["nik"]),
                nik_index(r["nik"]),
                r["tanggal_lahir"],
                r["jenis_kelamin"] == "P",
                "registered",
                tk.seal(r["nomor_kartu"], CARD_PURPOSE),
                3,
                r["mulai"],
            )
            for n, r in enumerate(rows)
        ]
    sql = (
        "INSERT INTO e_jkn_member (city, enrolment, position, name, nik_sealed, nik_index,"
        " open_nik_index, born, female, state, card_sealed, care_class, start_date, relation,"
        " jkn_known, bpjs_reason, attempts) VALUES ({}, '', '', '', 0)"
    )
    database = app.ui.database
    started = time.perf_counter()
    if database.is_sqlite:
        import sqlite3

        path = database.url.removeprefix("sqlite:///")
        connection = sqlite3.connect(path)
        with connection:
            connection.execute("DELETE FROM e_jkn_member")
            connection.executemany(sql.format(", ".join("?" * 13)), values)
        connection.close()
    else:
        import asyncpg

        connection = await asyncpg.connect(database.url)
        async with connection.transaction():
            await connection.execute("DELETE FROM e_jkn_member")
            placeholders = ", ".join(f"${i}" for i in range(1, 14))
            converted = [
                (*v[:7], date.fromisoformat(v[7]), *v[8:12], date.fromisoformat(v[12]))
                for v in values
            ]
            await connection.executemany(sql.format(placeholders), converted)
        await connection.close()
    return time.perf_counter() - started


async def lookups(app, niks: list[str], count: int) -> list[float]:
    """Milliseconds of each of ``count`` look-ups of random NIKs through the blind index."""
    from balai import toolkit as tk
    from balai_e_jkn.identity import nik_index
    from balai_e_jkn.tables import Member

    rng = random.Random(7)
    times = []
    with tk.city_scope(app.ui.config.cities["malang"]):
        for nik in rng.choices(niks, k=count):
            started = time.perf_counter()
            found = await Member.select(Member.id).where(Member.open_nik_index == nik_index(nik))
            times.append((time.perf_counter() - started) * 1000)
            assert len(found) == 1, f"{nik} found {len(found)} times"
        missing = await Member.select(Member.id).where(
            Member.open_nik_index == nik_index("3573010101000001")
        )
        assert not missing, "an unknown NIK was found"
    return times


async def run(database_url: str | None, rows: int, members: int, count: int, check: bool) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        app = await _app(Path(folder), database_url)
        try:
            data = people(rows)
            roll_seconds = await roll(app, data, progress=not check)
            from balai import toolkit as tk
            from balai_e_jkn.tables import Member

            with tk.city_scope(app.ui.config.cities["malang"]):
                imported = await Member.count()
            assert imported == len(data), f"{imported} of {len(data)} rows imported"
            bare_seconds = await bare(app, data)
            if members > len(data):
                data = people(members, seed=1)
                await bare(app, data)
            times = await lookups(app, [r["nik"] for r in data], count)
        finally:
            await app.ui.database.close()
    if check:
        return {"rows": len(data), "checked": True}
    times.sort()
    return {
        "rows": rows,
        "roll_seconds": round(roll_seconds, 2),
        "bare_seconds": round(bare_seconds, 2),
        "roll_over_bare": round(roll_seconds / bare_seconds, 2),
        "members": len(data),
        "lookup_median_ms": round(statistics.median(times), 3),
        "lookup_p99_ms": round(times[int(len(times) * 0.99) - 1], 3),
    }


def main(argv: list[str] | None = None) -> int:
    """Run (or with ``--check-only`` just check) both measures; 0 when every check held."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=250_000)
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=2_000)
    parser.add_argument("--pg", help="the URL of an empty PostgreSQL database of your own")
    parser.add_argument("--check-only", action="store_true")
    args = parser.parse_args(argv)
    if args.check_only:
        args.rows, args.members, args.lookups = 2_000, 2_000, 200
    results = {
        "sqlite": asyncio.run(run(None, args.rows, args.members, args.lookups, args.check_only))
    }
    if args.pg:
        results["postgresql"] = asyncio.run(
            run(args.pg, args.rows, args.members, args.lookups, args.check_only)
        )
    print(json.dumps(results, indent=2))
    if not args.check_only:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "e_jkn_run.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
