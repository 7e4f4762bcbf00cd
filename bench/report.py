"""The printed table and ``bench/results/latest.json``."""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.harness import MAX_SPREAD, PAGE, RATIOS, RESULTS, TARGETS, BackendResult, Options
from bench.stats import Spread


def machine() -> str:
    """CPU model and core count."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model or platform.processor() or 'unknown CPU'}, {os.cpu_count()} cores"


def software() -> str:
    """Versions of Python and of the packages the pages run on."""
    from importlib.metadata import PackageNotFoundError, version

    found = [f"Python {platform.python_version()}"]
    for name in ("litestar", "piccolo", "jinja2", "uvicorn", "aiosqlite", "asyncpg"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            continue
    return ", ".join(found)


def table(results: list[BackendResult], options: Options) -> str:
    """The human-readable summary."""
    load = options.load
    lines = [
        f"Balai bench, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine()}",
        software(),
        f"page: {PAGE} as a logged-in citizen; wrk -t{load.threads} -c{load.connections} "
        f"-d{load.seconds:g}s on core 1, server on core 0; {options.rounds} alternating rounds; "
        "median [min–max]",
    ]
    for result in results:
        lines.append("")
        plugins = ", ".join(result.plugins) or "none"
        lines.append(f"{result.backend} (plugins: {plugins})")
        if result.skipped:
            lines.append(f"  skipped: {result.skipped}")
            continue
        if result.checks:
            counts = result.checks.get("platform", {}).get("queries_per_request", ["?"])[0]
            identical = "identical" if result.checks.get("identical_html") else "DIFFERENT"
            lines.append(f"  check: {identical} HTML, {counts} queries per page")
        for problem in result.problems:
            lines.append(f"  problem: {problem.splitlines()[0]}")
        if not result.rounds:
            continue
        pg = result.backend == "postgresql"
        head = f"  {'target':<32}{'CPU µs/req':>24}"
        head += f"{'PostgreSQL µs/req':>24}" if pg else ""
        head += f"{'req/s':>22}{'p99 ms':>22}"
        lines.append(head)
        for target in TARGETS:
            if not result.figures(target.name, "requests"):
                continue
            row = f"  {target.label:<32}"
            row += f"{Spread.of(result.figures(target.name, 'cpu_us_per_request')).show(0):>24}"
            if pg:
                row += f"{Spread.of(result.figures(target.name, 'pg_us_per_request')).show(0):>24}"
            row += f"{Spread.of(result.figures(target.name, 'rps')).show(0):>22}"
            row += f"{Spread.of(result.figures(target.name, 'p99_ms')).show(1):>22}"
            lines.append(row)
        for _, label, num, den in RATIOS:
            if not (result.figures(num, "requests") and result.figures(den, "requests")):
                continue
            spread = result.ratio(num, den)
            row = f"  ratio {label:<36}{spread.show(2):>20}   spread {spread.relative_spread:.0%}"
            lines.append(row)
            if pg:
                with_pg = result.ratio(num, den, with_pg=True)
                lines.append(f"  ratio {label + ', app + PostgreSQL':<36}{with_pg.show(2):>20}")
        if result.worst_spread() > MAX_SPREAD:
            lines.append(
                f"  (spread still above {MAX_SPREAD:.0%} after {result.attempts} round set(s): "
                "the machine is busy; rerun when it is quiet)"
            )
        elif result.attempts > 1:
            lines.append(f"  ({result.attempts} round sets: the earlier ones spread above 15%)")
    return "\n".join(lines)


def write_json(results: list[BackendResult], options: Options, printed: str) -> Path:
    """Write ``bench/results/latest.json`` and return its path."""
    RESULTS.mkdir(exist_ok=True)
    load = options.load
    document: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "software": software(),
        "page": PAGE,
        "load": {"threads": load.threads, "connections": load.connections, "seconds": load.seconds},
        "rounds": options.rounds,
        "check_only": options.check_only,
        "backends": [r.as_dict() for r in results],
        "table": printed,
    }
    path = RESULTS / "latest.json"
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str))
    return path
