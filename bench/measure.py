"""One timed run: wrk on its own core, CPU of the server (and PostgreSQL) from /proc."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

LOAD_CORE = 1
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Load:
    """wrk's fixed settings."""

    threads: int = 1
    connections: int = 8
    seconds: int = 5


@dataclass
class Run:
    """What one wrk run measured."""

    target: str
    requests: int
    seconds: float
    errors: int
    rps: float
    p99_ms: float
    cpu_seconds: float
    pg_cpu_seconds: float

    @property
    def cpu_us_per_request(self) -> float:
        """The server's CPU time per request, in microseconds."""
        return 1e6 * self.cpu_seconds / self.requests if self.requests else float("nan")

    @property
    def pg_us_per_request(self) -> float:
        """The bench database's PostgreSQL backends' CPU per request, in microseconds."""
        return 1e6 * self.pg_cpu_seconds / self.requests if self.requests else float("nan")

    def as_dict(self) -> dict:
        """JSON-ready, with the derived figures."""
        return {
            **asdict(self),
            "cpu_us_per_request": self.cpu_us_per_request,
            "pg_us_per_request": self.pg_us_per_request,
        }


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads), in seconds."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def postgres_backends(database: str) -> dict[int, float]:
    """CPU seconds of every PostgreSQL backend connected to ``database``, by pid."""
    found: dict[int, float] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            cmdline = Path(entry.path, "cmdline").read_bytes().replace(b"\0", b" ").decode()
            if cmdline.startswith("postgres: ") and f" {database} " in cmdline:
                found[int(entry.name)] = cpu_seconds(int(entry.name))
        except (OSError, ValueError):
            continue
    return found


def _pg_delta(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def parse_wrk(output: str) -> dict:
    """Requests, duration, errors and p99 (ms) from wrk's ``--latency`` output."""
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m),", output)
    if not done:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    seconds = float(done.group(2)) * _UNITS[done.group(3)] / 1e3
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if sockets:
        errors += sum(int(g) for g in sockets.groups())
    return {
        "requests": int(done.group(1)),
        "seconds": seconds,
        "errors": errors,
        "p99_ms": float(p99.group(1)) * _UNITS[p99.group(2)] if p99 else float("nan"),
    }


def wrk(
    target: str,
    url: str,
    pid: int,
    load: Load,
    cookie: str,
    pg_database: str | None = None,
) -> Run:
    """Load ``url`` with wrk pinned to the load core; CPU of ``pid`` measured around it."""
    command = [
        "taskset",
        "-c",
        str(LOAD_CORE),
        "wrk",
        f"-t{load.threads}",
        f"-c{load.connections}",
        f"-d{max(1, int(load.seconds))}s",
        "--latency",
        "-H",
        f"Cookie: {cookie}",
        url,
    ]
    pg_before = postgres_backends(pg_database) if pg_database else {}
    before = cpu_seconds(pid)
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    after = cpu_seconds(pid)
    pg_after = postgres_backends(pg_database) if pg_database else {}
    parsed = parse_wrk(done.stdout)
    return Run(
        target=target,
        requests=parsed["requests"],
        seconds=parsed["seconds"],
        errors=parsed["errors"],
        rps=parsed["requests"] / parsed["seconds"] if parsed["seconds"] else float("nan"),
        p99_ms=parsed["p99_ms"],
        cpu_seconds=after - before,
        pg_cpu_seconds=_pg_delta(pg_before, pg_after),
    )
