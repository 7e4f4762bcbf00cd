"""``python -m bench.dashboard_run``: the mayor's dashboard against its twin.

At 10k and 1M accounts.

For each size: a fresh SQLite instance (only the core and its built-in
services), ``size`` accounts spread over two years plus the aggregates the
dashboard keeps (:mod:`bench.dashboard_data`), the platform server
(``bench.serve_balai:build``) and the dashboard twin
(``bench.dashboard_twin:build``) pinned to one core, the viewer logged in
through the real form. Before timing, both sides must serve the same HTML
(CSRF token masked). Then wrk loads ``/malang/dasbor/`` (the default period,
the last 30 days) in alternating rounds and the server's CPU per request is
read from ``/proc``, as :mod:`bench.harness` does for the home page.

Figures: CPU µs per request of each side per size, ``twin ÷ platform`` (goal
≥ 0.70) and ``platform at 1M ÷ platform at 10k`` (goal ≤ 1.5).
"""

from __future__ import annotations

import argparse
import difflib
import json
import shutil
import sys
import tempfile
from pathlib import Path

from bench import checks, dashboard_data, instance, measure, servers
from bench.stats import Spread, ratios

PATH = f"/{instance.CITY}/dasbor/"
RESULTS = Path(__file__).resolve().parent / "results"
SIZES = (10_000, 1_000_000)


def _check(platform: servers.Server, twin: servers.Server, cookie: str) -> tuple[list[str], dict]:
    problems: list[str] = []
    pages, counts = {}, {}
    for server in (platform, twin):
        checks.fetch(server.base + PATH, cookie)
        before = server.queries()["count"]
        status, html = checks.fetch(server.base + PATH, cookie)
        counts[server.name] = server.queries()["count"] - before
        if status != 200:
            problems.append(f"{server.name} answered {status}")
        pages[server.name] = checks.mask_csrf(html)
    if pages["platform"] != pages["twin"]:
        diff = difflib.unified_diff(
            pages["platform"].splitlines(),
            pages["twin"].splitlines(),
            "platform",
            "twin",
            lineterm="",
            n=1,
        )
        problems.append("HTML differs:\n" + "\n".join(list(diff)[:40]))
    return problems, {"queries_per_request": counts, "html_bytes": len(pages["platform"])}


def run_size(size: int, work: Path, load: measure.Load, rounds: int) -> dict:
    """Seed, check and time one size; the figures as a dict."""
    folder = work / f"accounts-{size}"
    inst = instance.new_instance(folder, None, [])
    instance.prepare(inst)
    refresh_seconds = dashboard_data.seed(inst, size)
    print(
        f"  {size:,} accounts seeded; "
        f"the refresh job built the aggregates in {refresh_seconds:.1f} s"
    )
    running: dict[str, servers.Server] = {}
    try:
        for name, factory in (
            ("platform", "bench.serve_balai:build"),
            ("twin", "bench.dashboard_twin:build"),
        ):
            running[name] = servers.launch(name, factory, inst.environ(), folder)
        for server in running.values():
            servers.wait_ready(server)
        cookie = instance.cookie_header(instance.log_in(running["platform"].base))
        problems, facts = _check(running["platform"], running["twin"], cookie)
        if problems:
            print("  check FAILED:\n    " + "\n    ".join(problems))
            return {"size": size, "problems": problems, **facts}
        print(
            f"  check ok: identical HTML ({facts['html_bytes']} bytes); queries per page "
            f"{facts['queries_per_request']}"
        )
        warm = measure.Load(load.threads, load.connections, 2)
        for server in running.values():
            measure.wrk(server.name, server.base + PATH, server.pid, warm, cookie)
        cpu: dict[str, list[float]] = {"platform": [], "twin": []}
        for number in range(rounds):
            order = ["platform", "twin"] if number % 2 == 0 else ["twin", "platform"]
            for name in order:
                server = running[name]
                done = measure.wrk(name, server.base + PATH, server.pid, load, cookie)
                if done.errors:
                    problems.append(f"{name}: {done.errors} failed requests")
                cpu[name].append(done.cpu_us_per_request)
            print(
                f"    round {number + 1}/{rounds}: "
                + ", ".join(f"{n} {cpu[n][-1]:.0f} µs" for n in order)
            )
        return {
            "size": size,
            "refresh_seconds": refresh_seconds,
            "platform_us": Spread.of(cpu["platform"]).as_dict(),
            "twin_us": Spread.of(cpu["twin"]).as_dict(),
            "twin_over_platform": Spread.of(ratios(cpu["twin"], cpu["platform"])).as_dict(),
            "rounds": cpu,
            "problems": problems,
            **facts,
        }
    finally:
        for server in running.values():
            servers.stop(server)


def _show(spread: dict, digits: int = 0) -> str:
    return Spread(spread["median"], spread["min"], spread["max"]).show(digits)


def main(argv: list[str] | None = None) -> int:
    """Run both sizes and print the table; 1 when a check failed."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.dashboard_run", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--quick", action="store_true", help="3 rounds of 1 s, 10k and 100k accounts"
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args(argv)
    rounds = 3 if args.quick else max(args.rounds, 3)
    load = measure.Load(1, args.connections, 1 if args.quick else args.seconds)
    sizes = (10_000, 100_000) if args.quick else SIZES
    work = Path(tempfile.mkdtemp(prefix="balai-bench-dashboard-"))
    results = []
    try:
        for size in sizes:
            print(f"{size:,} accounts:")
            results.append(run_size(size, work, load, rounds))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = [
        "| accounts | platform µs/req | twin µs/req | twin ÷ platform (goal ≥ 0.70) "
        "| queries platform / twin |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        if "platform_us" not in r:
            lines.append(f"| {r['size']:,} | check failed | | | |")
            continue
        q = r["queries_per_request"]
        lines.append(
            f"| {r['size']:,} | {_show(r['platform_us'])} | {_show(r['twin_us'])} | "
            f"{_show(r['twin_over_platform'], 2)} | {q['platform']} / {q['twin']} |"
        )
    timed = [r for r in results if "platform_us" in r]
    if len(timed) == 2:
        growth = timed[1]["platform_us"]["median"] / timed[0]["platform_us"]["median"]
        lines.append("")
        lines.append(
            f"platform at {timed[1]['size']:,} ÷ at {timed[0]['size']:,} accounts "
            f"(goal ≤ 1.5): {growth:.2f}"
        )
    printed = "\n".join(lines)
    print()
    print(printed)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "dashboard.json"
    path.write_text(json.dumps({"results": results, "table": printed}, indent=2))
    print(f"\nwritten: {path}")
    return 1 if any(r["problems"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
