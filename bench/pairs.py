"""Timing a page pair: platform and twin loaded in alternating rounds, CPU per request.

Shared by the per-plugin runners (:mod:`bench.umkm_run`, :mod:`bench.pengaduan_run`)
that check their pages with :mod:`bench.checks` first and then time them here.
"""

from __future__ import annotations

from typing import Any

from bench import measure
from bench.stats import Spread, ratios


def time_pages(
    running: dict[str, Any], paths: dict[str, str], load: measure.Load, rounds: int, cookie: str
) -> tuple[dict[str, dict], list[str]]:
    """Warm each page on each side, then ``rounds`` alternating rounds of wrk.

    Returns per page the CPU µs per request of each side, twin ÷ platform
    (median and range, and every round's figures), and the failed requests.
    """
    problems: list[str] = []
    warm = measure.Load(load.threads, load.connections, 1)
    cpu: dict[str, dict[str, list[float]]] = {p: {"platform": [], "twin": []} for p in paths}
    for server in running.values():
        for path in paths.values():
            measure.wrk(server.name, server.base + path, server.pid, warm, cookie)
    for number in range(rounds):
        order = ["platform", "twin"] if number % 2 == 0 else ["twin", "platform"]
        for page, path in paths.items():
            for name in order:
                server = running[name]
                done = measure.wrk(name, server.base + path, server.pid, load, cookie)
                if done.errors:
                    problems.append(f"{page} {name}: {done.errors} failed requests")
                cpu[page][name].append(done.cpu_us_per_request)
        print(
            f"    round {number + 1}/{rounds}: "
            + ", ".join(
                f"{p} {cpu[p]['platform'][-1]:.0f}/{cpu[p]['twin'][-1]:.0f} µs" for p in paths
            )
        )
    timing = {
        page: {
            "platform_us": Spread.of(sides["platform"]).as_dict(),
            "twin_us": Spread.of(sides["twin"]).as_dict(),
            "twin_over_platform": Spread.of(ratios(sides["twin"], sides["platform"])).as_dict(),
            "rounds": sides,
        }
        for page, sides in cpu.items()
    }
    return timing, problems
