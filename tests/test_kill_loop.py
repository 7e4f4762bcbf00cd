"""The kill -9 loop's short form: three rounds of checkouts cut by SIGKILL, nothing lost.

`tools/kill_loop.py --rounds 100` is the bench's long form (bench/README.md).
Here three rounds run on SQLite in the test's folder: every acknowledged
checkout is found afterwards, no order lacks its items, stock plus sold
equals the seeded stock, and `balai audit verify` passes after each kill.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_three_rounds_of_kill_minus_nine_lose_no_acknowledged_order(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "kill_loop.py"),
            "--rounds",
            "3",
            "--seconds",
            "2.5",
            "--buyers",
            "3",
            "--seed",
            "7",
            "--dir",
            str(tmp_path),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout + run.stderr + (tmp_path / "serve.log").read_text()
    assert "3 rounds held" in run.stdout
    counts = [int(line.split(", ")[1].split()[0]) for line in run.stdout.splitlines()[:-1]]
    assert len(counts) == 3 and counts[0] > 0 and counts[0] < counts[1] < counts[2]
