"""``python -m bench.workers_run``: CPU per request of ``balai serve --workers 2`` against 1 worker.

The page is the bench's usual one (bench/README.md): the city home
``/malang/`` for a logged-in citizen, every loadable plugin enabled as in
the demo, production settings, jobs off. Two real ``balai serve``
processes run side by side on one PostgreSQL database and one Redis (the
shared state a second worker needs: sessions in Redis, data in
PostgreSQL): one with ``--workers 1``, one with ``--workers 2``. In
alternating rounds wrk (``-t2 -c16``) loads each for ``--seconds``; the CPU
time of the serving process tree (the uvicorn parent and its workers, from
``/proc``) and of the database's PostgreSQL backends is divided by the
requests served. The ratio 2 workers ÷ 1 worker per round is reported as
median [min–max]; **goal ≤ 1.10** (issue 17: shared state costs nothing
extra). Neither server is pinned: two workers need both cores, and wrk and
PostgreSQL share them, which is why CPU time per request, not throughput,
is the figure.

``--check-only``: no timing; the 2-worker server answers 200 pages on fresh
connections, all 200 OK, and **each** worker process wrote responses
(its ``/proc/<pid>/io`` ``wchar`` grew), so both serve. Exit 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench import instance, measure
from bench.stats import Spread, ratios

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/balai_bench_workers"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
START_SECONDS = 180


@dataclass
class Serving:
    """One running ``balai serve``."""

    workers: int
    process: subprocess.Popen
    base: str

    def pids(self) -> list[int]:
        """The uvicorn parent and its children (workers, multiprocessing's resource tracker)."""
        return [self.process.pid, *children(self.process.pid, workers_only=False)]


def children(pid: int, *, workers_only: bool = True) -> list[int]:
    """Processes whose parent is ``pid`` (only uvicorn's spawned workers by default)."""
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
                command = Path(entry.path, "cmdline").read_bytes()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) != pid:
                continue
            if not workers_only or b"spawn_main" in command:
                found.append(int(entry.name))
    return found


def written_bytes(pid: int) -> int:
    """Bytes the process has written (sockets included): ``wchar`` of /proc/<pid>/io."""
    for line in Path(f"/proc/{pid}/io").read_text().splitlines():
        if line.startswith("wchar:"):
            return int(line.split()[1])
    return 0


def tree_cpu(serving: Serving) -> float:
    """CPU seconds of the server's processes."""
    total = 0.0
    for pid in serving.pids():
        try:
            total += measure.cpu_seconds(pid)
        except OSError:
            continue
    return total


def _balai() -> str:
    found = shutil.which("balai", path=str(Path(sys.executable).parent))
    if not found:
        raise SystemExit("the balai command is not installed beside this Python")
    return found


def serve(env: dict[str, str], config: Path, workers: int, log: Path) -> Serving:
    """Start ``balai serve --workers N`` and wait until every worker is up."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with log.open("a") as out:
        process = subprocess.Popen(  # our own command
            [
                _balai(),
                "serve",
                "--config",
                str(config),
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    serving = Serving(workers, process, f"http://127.0.0.1:{port}")
    wait_answering(process, serving.base, log, workers)
    if workers > 1:
        time.sleep(2)  # the other workers finish their start-up
    return serving


def wait_answering(
    process: subprocess.Popen,
    base: str,
    log: Path,
    workers: int = 1,
    seconds: float = START_SECONDS,
) -> None:
    """Wait until ``base/healthz`` answers 200 (and ``workers`` workers run); raise otherwise."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}; see {log}")
        try:
            answered = httpx.get(f"{base}/healthz", timeout=2).status_code == 200
        except httpx.TransportError:
            answered = False
        # One worker: uvicorn serves in its own process; more: in spawned children.
        if answered and (workers == 1 or len(children(process.pid)) >= workers):
            return
        time.sleep(0.3)
    process.kill()
    raise SystemExit(f"the server did not answer within {seconds:.0f}s; see {log}")


def rss_kib(pid: int) -> int:
    """Resident memory of a process, KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def stop(serving: Serving | subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL after 20 s."""
    process = serving.process if isinstance(serving, Serving) else serving
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def check_both_serve(serving: Serving, cookie: str, pages: int = 200) -> dict:
    """``pages`` page views on fresh connections; each worker must have answered some."""
    workers = children(serving.process.pid)
    before = {pid: written_bytes(pid) for pid in workers}
    statuses = []
    for _ in range(pages):
        with httpx.Client(base_url=serving.base, timeout=30) as client:
            statuses.append(
                client.get(f"/{instance.CITY}/", headers={"Cookie": cookie}).status_code
            )
    grew = {pid: written_bytes(pid) - before[pid] for pid in workers}
    return {
        "pages": pages,
        "not_ok": sum(1 for s in statuses if s != 200),
        "bytes_written_per_worker": sorted(grew.values()),
        "workers": len(workers),
    }


def time_run(
    serving: Serving,
    cookie: str,
    seconds: int,
    pg_database: str | None,
    *,
    connections: int = 16,
    threads: int = 2,
) -> dict:
    """One wrk run; CPU of the process tree and of the database's backends per request."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    command += ["-H", f"Cookie: {cookie}"]
    pg_before = measure.postgres_backends(pg_database) if pg_database else {}
    before = tree_cpu(serving)
    done = subprocess.run(
        [*command, f"{serving.base}/{instance.CITY}/"], capture_output=True, text=True, check=True
    )
    after = tree_cpu(serving)
    pg_after = measure.postgres_backends(pg_database) if pg_database else {}
    parsed = measure.parse_wrk(done.stdout)
    pg_cpu = sum(cpu - pg_before.get(pid, 0.0) for pid, cpu in pg_after.items())
    requests = parsed["requests"] or 1
    return {
        "requests": parsed["requests"],
        "errors": parsed["errors"],
        "rps": parsed["requests"] / parsed["seconds"],
        "cpu_us_per_request": 1e6 * (after - before) / requests,
        "pg_us_per_request": 1e6 * pg_cpu / requests,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the rounds (or the check) and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg-url", default=os.environ.get("BALAI_BENCH_DATABASE_URL", DEFAULT_PG))
    parser.add_argument(
        "--redis-url", default=os.environ.get("BALAI_BENCH_REDIS_URL", DEFAULT_REDIS)
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--check-only", action="store_true")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="balai-workers-"))
    plugins, _skipped = instance.loadable_plugins()
    inst = instance.new_instance(folder, args.pg_url, plugins)
    prefix = f"balai-bench-workers-{os.getpid()}:"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DATABASE_URL=inst.database_url,
        REDIS_URL=args.redis_url,
        REDIS_KEY_PREFIX=prefix,
        BALAI_SECRET_KEY=inst.secret_key,
    )
    instance.recreate_pg(inst.database_url)
    running: list[Serving] = []
    try:
        instance.prepare(inst)
        if args.check_only:
            two = serve(env, inst.config_path, 2, folder / "serve-2.log")
            running.append(two)
            cookie = instance.cookie_header(instance.log_in(two.base))
            result = check_both_serve(two, cookie)
            print(json.dumps(result, indent=2))
            ok = (
                result["not_ok"] == 0
                and result["workers"] == 2
                and min(result["bytes_written_per_worker"]) > 0
            )
            print("OK: 2 workers serve" if ok else "FAIL: not every worker served")
            return 0 if ok else 1
        one = serve(env, inst.config_path, 1, folder / "serve-1.log")
        two = serve(env, inst.config_path, 2, folder / "serve-2.log")
        running += [one, two]
        cookie = instance.cookie_header(instance.log_in(one.base))
        database = inst.database_url.rsplit("/", 1)[1]
        for serving in running:  # warm up
            time_run(serving, cookie, 2, database)
        runs: dict[int, list[dict]] = {1: [], 2: []}
        for n in range(args.rounds):
            order = running if n % 2 == 0 else list(reversed(running))
            for serving in order:
                runs[serving.workers].append(time_run(serving, cookie, args.seconds, database))
            print(
                f"round {n + 1}: "
                + ", ".join(
                    f"{w} worker(s) {runs[w][-1]['cpu_us_per_request']:.0f} µs/req" for w in (1, 2)
                ),
                flush=True,
            )
        cpu = {w: [r["cpu_us_per_request"] for r in runs[w]] for w in (1, 2)}
        both = {
            w: [r["cpu_us_per_request"] + r["pg_us_per_request"] for r in runs[w]] for w in (1, 2)
        }
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        print(
            f"\npostgresql + redis, commit {commit}        CPU µs/req   PostgreSQL µs/req   req/s"
        )
        for w in (1, 2):
            pg = Spread.of([r["pg_us_per_request"] for r in runs[w]])
            rps = Spread.of([r["rps"] for r in runs[w]])
            print(
                f"  {w} worker(s)           {Spread.of(cpu[w]).show(0):>18} "
                f"{pg.show(0):>18} {rps.show(0):>16}"
            )
        print(f"  ratio 2 ÷ 1 workers (goal ≤ 1.10)     {Spread.of(ratios(cpu[2], cpu[1])).show()}")
        print(
            f"  ratio 2 ÷ 1, app + PostgreSQL        {Spread.of(ratios(both[2], both[1])).show()}"
        )
        errors = sum(r["errors"] for w in (1, 2) for r in runs[w])
        print(f"  errors: {errors}")
        return 0 if errors == 0 else 1
    finally:
        for serving in running:
            stop(serving)
        instance.drop_pg(inst.database_url)
        import redis

        client = redis.Redis.from_url(args.redis_url)
        keys = list(client.scan_iter(match=f"{prefix}*", count=500))
        if keys:
            client.delete(*keys)
        client.close()


if __name__ == "__main__":
    raise SystemExit(main())
