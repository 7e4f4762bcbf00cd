"""The city's Locust mix, headless for 20 seconds against a real `balai demo`: 0 errors.

`python -m bench.locust_run` is the bench's long form (saturation, latency at
70 %, a 10-minute soak; bench/README.md). Here `--check-only` starts the
demo (SQLite, seeded, on a loopback port), runs 10 users of every kind
(visitors, buyers, taxpayers, merchants, officers) and checks that no
request failed and that every kind got through its sign-in and pages
(the officers also write a note on a report).
Runs once, in the SQLite run of the suite (the demo is SQLite either way).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_the_city_mix_runs_against_the_demo_with_no_error():
    if os.environ.get("BALAI_TEST_DATABASE_URL"):
        pytest.skip("runs in the SQLite run only: the demo it loads is SQLite either way")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    run = subprocess.run(
        [sys.executable, "-m", "bench.locust_run", "--check-only"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    result = json.loads(run.stdout[: run.stdout.rindex("}") + 1])
    assert result["failures"] == 0 and result["requests"] > 0
    assert result["kinds_missing"] == []
