"""The merchant's old ``is_verified`` flag becomes ``status`` (and back when rolled back)."""

from __future__ import annotations

import asyncio
import importlib

from balai.db.database import Database

APPS = ["balai.piccolo_app", "balai_umkm_market.piccolo_app"]
COPY = "balai_umkm_market.migrations.umkm_market_2026_11_23t01_50_01_000000"
DROP = "balai_umkm_market.migrations.umkm_market_2026_11_23t01_50_02_000000"
# Later steps are undone first, so the two replayed here find the tables they knew.
LATER = ["balai_umkm_market.migrations.umkm_market_2026_12_07t16_40_00_000000"]


async def step(module: str, *, backwards: bool = False) -> None:
    manager = await importlib.import_module(module).forwards()
    await manager.run(backwards=backwards)


async def statuses(database: Database) -> dict[str, str]:
    rows = await database.engine.run_ddl("SELECT name, status FROM umkm_market_merchant")
    return {r["name"]: r["status"] for r in rows}


def test_verified_flag_is_carried_into_status_and_back(tmp_path):
    async def run() -> None:
        database = Database(f"sqlite:///{tmp_path / 'm.db'}", APPS)
        try:
            await database.migrate()
            for module in LATER:
                await step(module, backwards=True)
            await step(DROP, backwards=True)  # the flag column is back (all false)
            await step(COPY, backwards=True)
            engine = database.engine
            await engine.run_ddl(
                "INSERT INTO umkm_market_merchant (city, name, is_verified) "
                "VALUES ('malang', 'Lama Terverifikasi', 1), ('malang', 'Lama Belum', 0)"
            )
            await step(COPY)
            await step(DROP)
            assert await statuses(database) == {
                "Lama Terverifikasi": "verified",
                "Lama Belum": "pending",
            }
            columns = await engine.run_ddl("PRAGMA table_info(umkm_market_merchant)")
            assert "is_verified" not in {c["name"] for c in columns}
            await step(DROP, backwards=True)
            await step(COPY, backwards=True)
            rows = await engine.run_ddl("SELECT name, is_verified FROM umkm_market_merchant")
            assert {r["name"]: bool(r["is_verified"]) for r in rows} == {
                "Lama Terverifikasi": True,
                "Lama Belum": False,
            }
        finally:
            await database.close()

    asyncio.run(run())
