"""``python -m bench.locust_run``: the city's mix (bench/locust_city.py), saturation and soak.

Starts ``balai demo`` for Malang alone (the demo file cut to that city;
seeded, SQLite, one worker) in a scratch folder on a
free loopback port, unless ``--host`` names a running server (then
``--pid`` names its worker for the memory figures), and drives it with
Locust, headless, in three steps:

1. **saturation**: ``--steps`` runs of ``--step-seconds`` each with the
   users doubling from ``--users`` (default 10, 20, 40, 80, 160); the
   throughput at saturation is the highest requests per second of any step
   (per worker: divided by ``--workers``, 1 for the demo);
2. **at 70 %**: the user count whose step came closest to 70 % of that
   throughput runs again for ``--step-seconds``: p50 / p95 / p99 latency;
3. **soak**: the same load for ``--soak-seconds`` (default 600), the
   worker's RSS sampled every 10 s; growth = last sample ÷ the sample one
   minute in (goal < 10 %).

The error count of every step must be 0 (exit 1 otherwise). ``--check-only``:
one 20-second run of 10 users, 0 errors and every kind of user served
(``tests/test_locust_city.py`` runs it).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from pathlib import Path

import tomli_w

from bench import workers_run

HERE = Path(__file__).resolve().parent
LOCUSTFILE = HERE / "locust_city.py"
CHECK_SECONDS = 20  # a demo sign-in (Argon2id) takes seconds on a busy machine
START_SECONDS = 600  # the demo seeds the city on its first start
#: Requests that show each kind of user got through its sign-in and pages.
EVERY_KIND = (
    "home",
    "market search",
    "add to cart",
    "my bills",
    "merchant orders",
    "complaints queue",
    "complaint note",
)


def _bin(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    if not found:
        raise SystemExit(f"{name} is not installed beside this Python (uv sync)")
    return found


def one_city_demo(folder: Path) -> Path:
    """``examples/demo.toml`` cut down to Malang, its data in ``folder``: a third of the seeding."""
    demo = tomllib.loads((HERE.parent / "examples" / "demo.toml").read_text())
    demo["instance"]["data_dir"] = str(folder / "data")
    demo["cities"] = {"malang": demo["cities"]["malang"]}
    path = folder / "demo.toml"
    path.write_text(tomli_w.dumps(demo))
    return path


def start_demo(folder: Path) -> tuple[subprocess.Popen, str]:
    """``balai demo`` of Malang in ``folder`` on a free port; returns once it answers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    log = folder / "demo.log"
    with log.open("w") as out:
        process = subprocess.Popen(  # our own command
            [_bin("balai"), "demo", "--port", str(port), "--config", str(one_city_demo(folder))],
            cwd=folder,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    workers_run.wait_answering(process, base, log, seconds=START_SECONDS)
    return process, base


def locust(host: str, users: int, seconds: int, prefix: Path) -> dict:
    """One headless run; the aggregated figures and each request name's count."""
    subprocess.run(
        [
            _bin("locust"),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--host",
            host,
            "-u",
            str(users),
            "-r",
            str(max(1, users // 2)),
            "-t",
            f"{seconds}s",
            "--csv",
            str(prefix),
            "--only-summary",
            "--exit-code-on-error",
            "0",
        ],
        check=True,
        capture_output=True,
        timeout=seconds + 120,
    )
    with Path(f"{prefix}_stats.csv").open() as stats:
        rows = list(csv.DictReader(stats))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return {
        "users": users,
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
        "by_name": {r["Name"]: int(r["Request Count"]) for r in rows if r["Name"] != "Aggregated"},
    }


def main(argv: list[str] | None = None) -> int:
    """Run the steps (or the check) and print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", help="a running server (default: start balai demo)")
    parser.add_argument("--pid", type=int, help="with --host: the worker's process id (RSS)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--step-seconds", type=int, default=60)
    parser.add_argument("--soak-seconds", type=int, default=600)
    parser.add_argument("--check-only", action="store_true")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="balai-locust-"))
    process = None
    try:
        if args.host:
            host, pid = args.host, args.pid
        else:
            process, host = start_demo(work)
            pid = process.pid
        if args.check_only:
            run = locust(host, 10, CHECK_SECONDS, work / "check")
            missing = [name for name in EVERY_KIND if not run["by_name"].get(name)]
            result = {**run, "kinds_missing": missing}
            print(json.dumps(result, indent=2))
            ok = run["failures"] == 0 and run["requests"] > 0 and not missing
            print(
                "OK: the city's mix ran with 0 errors" if ok else "FAIL: errors or a kind missing"
            )
            return 0 if ok else 1
        steps = []
        for n in range(args.steps):
            steps.append(locust(host, args.users * 2**n, args.step_seconds, work / f"step{n}"))
            print(json.dumps({k: v for k, v in steps[-1].items() if k != "by_name"}), flush=True)
        saturation = max(s["rps"] for s in steps)
        near = min(steps, key=lambda s: abs(s["rps"] - 0.7 * saturation))
        at70 = locust(host, near["users"], args.step_seconds, work / "at70")
        samples: list[int] = []
        soak: dict = {}

        def sample() -> None:
            while not soak and pid:
                samples.append(workers_run.rss_kib(pid))
                time.sleep(10)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        soak.update(locust(host, near["users"], args.soak_seconds, work / "soak"))
        sampler.join(timeout=15)
        first = samples[min(6, len(samples) - 1)] if samples else 0
        growth = (samples[-1] / first - 1) if first else float("nan")
        errors = sum(s["failures"] for s in [*steps, at70, soak])
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE
        ).stdout.strip()
        result = {
            "commit": commit,
            "saturation_rps_per_worker": round(saturation / args.workers, 1),
            "at_70_percent": {k: at70[k] for k in ("users", "rps", "p50_ms", "p95_ms", "p99_ms")},
            "errors": errors,
            "soak_seconds": args.soak_seconds,
            "rss_mib_first_last": [
                round(first / 1024),
                round(samples[-1] / 1024) if samples else 0,
            ],
            "rss_growth_percent": round(100 * growth, 1),
        }
        print(json.dumps(result, indent=2))
        return 0 if errors == 0 and growth < 0.10 else 1
    finally:
        if process is not None:
            workers_run.stop(process)


if __name__ == "__main__":
    raise SystemExit(main())
