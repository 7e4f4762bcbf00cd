"""The PBB due-date surge's CI form: 200 payments confirmed by gateway callbacks on 2 workers.

`python -m bench.pbb_surge` (10,000 payments) is the bench's long form
(bench/README.md). Here `--check-only` runs 200 against `balai serve
--workers 2`, 10 % of the callbacks sent twice at once: every callback
answered 200, no payment lost, none double, every invoice, bill and bill
payment consistent, and the day's reconciliation equal to the gateway's
report. On PostgreSQL + Redis only (`BALAI_TEST_DATABASE_URL` and
`BALAI_TEST_REDIS_URL`; a database and a key prefix of its own), as a city
that runs several workers does; skipped in the SQLite run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from balai.testing import run_redis_prefix

ROOT = Path(__file__).resolve().parents[1]


def test_two_hundred_callbacks_on_two_workers_lose_and_double_nothing(tmp_path):
    command = [sys.executable, "-m", "bench.pbb_surge", "--check-only", "--dir", str(tmp_path)]
    pg, redis = os.environ.get("BALAI_TEST_DATABASE_URL"), os.environ.get("BALAI_TEST_REDIS_URL")
    if not (pg and redis):
        pytest.skip("BALAI_TEST_DATABASE_URL and BALAI_TEST_REDIS_URL are not both set")
    command += ["--pg-url", pg, "--redis-url", redis]
    command += ["--redis-prefix", run_redis_prefix() + "surge:"]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    result = json.loads(run.stdout[: run.stdout.rindex("}") + 1])
    assert result["workers"] == 2
    assert result["payments"] == 200 and result["callbacks_sent"] == 220
    assert (result["lost"], result["double"], result["inconsistent"]) == (0, 0, 0)
    assert result["reconciliation_matched"] == 200
    assert result["reconciliation_differences"] == 0
