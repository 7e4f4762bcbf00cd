"""The kill -9 loop's short form: checkouts, payments, the assessment and an import cut by SIGKILL.

`tools/kill_loop.py --rounds 100` is the bench's long form (bench/README.md).
Here one round of each scenario run on SQLite (and on PostgreSQL + Redis
when the test servers are configured): every acknowledged checkout is found
afterwards, no order lacks its items, stock plus sold equals the seeded
stock; every acknowledged payment callback is recorded, no invoice is paid
twice, payments sum to the paid invoices and each paid bill matches its
invoice, with at least one payer cut mid-payment; the interrupted
assessment and import runs resume after their lease and finish with one
bill per object and year and each sheet row applied once; `balai audit
verify` passes after each kill.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest
from balai.testing import database_url_named, run_database_name, run_redis_prefix

ROOT = Path(__file__).resolve().parents[1]


def kill_loop(folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "kill_loop.py"),
            "--rounds",
            "1",
            "--seconds",
            "0.6",
            "--buyers",
            "3",
            "--seed",
            "7",
            "--dir",
            str(folder),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def assert_held(run: subprocess.CompletedProcess[str], folder: Path) -> None:
    log = folder / "serve.log"
    assert run.returncode == 0, run.stdout + run.stderr + (log.read_text() if log.exists() else "")
    assert "1 rounds held" in run.stdout
    orders = [int(n) for n in re.findall(r"\(checkout\): ok, (\d+) acknowledged", run.stdout)]
    assert len(orders) == 1 and orders[0] > 0
    assert "assessment: 1 assessment runs" in run.stdout
    assert "import: 1 import runs" in run.stdout
    paid = re.findall(
        r"\(payments\): ok, (\d+) acknowledged payments, \d+ started, (\d+) payers cut", run.stdout
    )
    assert len(paid) == 1 and int(paid[0][0]) > 0, run.stdout
    # The kill fell while payers were paying: at least one was cut mid-work.
    assert int(paid[0][1]) >= 1, run.stdout
    # At least one job was really cut mid-run and resumed by the restarted server.
    resumed = [int(n) for n in re.findall(r"runs, (\d+) resumed", run.stdout.splitlines()[-1])]
    assert sum(resumed) >= 1, run.stdout


def test_kill_minus_nine_loses_nothing_on_sqlite(tmp_path):
    if os.environ.get("BALAI_TEST_DATABASE_URL"):
        pytest.skip("runs in the SQLite run only: the server run has its PostgreSQL twin below")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "REDIS_KEY_PREFIX")
    }
    assert_held(kill_loop(tmp_path, env), tmp_path)


@pytest.fixture
def own_database(postgres_url):
    """A database of this test's own beside the run's: the loop seeds the demo's NOPs.

    The run's database holds whatever earlier tests left there (the demo's
    tax objects among them), so the loop gets an empty one, dropped after.
    """
    name = f"{run_database_name()}_kill"

    async def admin(statement: str) -> None:
        connection = await asyncpg.connect(postgres_url, timeout=10)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    yield database_url_named(postgres_url, name)
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def test_kill_minus_nine_loses_nothing_on_postgres_and_redis(tmp_path, own_database, redis_url):
    env = {
        **os.environ,
        "DATABASE_URL": own_database,
        "REDIS_URL": redis_url,
        "REDIS_KEY_PREFIX": run_redis_prefix(),
    }
    assert_held(kill_loop(tmp_path, env), tmp_path)
