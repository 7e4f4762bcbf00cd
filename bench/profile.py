"""``python -m bench.profile``: where the platform page's CPU time goes.

Sets up a SQLite instance like the bench, warms the platform page up, then
profiles the event loop thread's CPU time (cProfile with ``thread_time``)
while wrk loads the page, and prints the CPU share of each package and the
functions with the most own time. The aiosqlite worker thread is not in the
profile. Timings under a profiler are inflated: read the shares.
"""

from __future__ import annotations

import argparse
import io
import pstats
import shutil
import tempfile
import urllib.request
from collections import defaultdict
from pathlib import Path

from bench import instance, measure, servers
from bench.counting import DUMP_PATH, START_PATH
from bench.harness import PAGE, choose_plugins


def package_of(filename: str) -> str:
    """A short owner name for a profiled function's file."""
    if filename.startswith("~") or filename.startswith("<"):
        return "builtins"
    parts = Path(filename).parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].split(".")[0]
    for marker, name in (
        ("themes", "templates"),
        ("core", "balai (core)"),
        ("plugins", "plugins"),
        ("bench", "bench"),
    ):
        if marker in parts and "work" in parts:
            return name
    return "stdlib:" + Path(filename).stem


def shares(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Own CPU time per package, largest first, as fractions of the total."""
    by_package: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        by_package[package_of(filename)] += tottime
    total = sum(by_package.values()) or 1.0
    return sorted(((k, v / total) for k, v in by_package.items()), key=lambda kv: -kv[1])


# Functions whose inclusive time is worth a line: (file name, function, what it is).
PARTS = [
    ("environment.py", "render", "Jinja render of the page template (the twin pays this too)"),
    ("sqlite.py", "run_querystring", "Piccolo's engine: run each statement (SQLite)"),
    ("rendering.py", "page_context", "page_context: user, navigation hooks, template extras"),
    ("access.py", "load_user", "load_user: user and roles, one statement"),
    ("sessions.py", "load_from_connection", "session load (one statement)"),
    ("sessions.py", "store_in_message", "session store (skipped when unchanged)"),
    ("plugins.py", "gather", "plugin hooks through registry.gather"),
]


def parts(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Inclusive shares of the functions in :data:`PARTS` (each once, by file and name)."""
    total = stats.total_tt or 1.0  # type: ignore[attr-defined]
    found = []
    for file_name, function, label in PARTS:
        cumulative = sum(
            ct
            for (filename, _, name), (_, _, _, ct, _) in stats.stats.items()  # type: ignore[attr-defined]
            if name == function and Path(filename).name == file_name
        )
        if cumulative:
            found.append((label, cumulative / total))
    return found


def _get(url: str) -> None:
    urllib.request.urlopen(url, timeout=30).close()


def main(argv: list[str] | None = None) -> None:
    """Profile the platform page and print where its CPU time goes."""
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--seconds", type=int, default=10, help="profiled wrk run (default 10)")
    parser.add_argument("--engine", choices=["kept", "stock"], default="kept")
    parser.add_argument("--top", type=int, default=25, help="functions to list (default 25)")
    parser.add_argument("--save", type=Path, help="keep the cProfile statistics in this file")
    args = parser.parse_args(argv)

    plugins, _ = choose_plugins(None)
    work = Path(tempfile.mkdtemp(prefix="balai-profile-"))
    stats_file = work / "platform.prof"
    try:
        inst = instance.new_instance(work, None, plugins)
        instance.prepare(inst)
        env = {**inst.environ(), "BENCH_ENGINE": args.engine, "BENCH_PROFILE": str(stats_file)}
        server = servers.wait_ready(
            servers.launch("profiled", "bench.serve_balai:build", env, work)
        )
        try:
            cookie = instance.cookie_header(instance.log_in(server.base))
            url = server.base + PAGE
            measure.wrk("warm-up", url, server.pid, measure.Load(seconds=2), cookie)
            _get(server.base + START_PATH)
            run = measure.wrk(
                "platform", url, server.pid, measure.Load(seconds=args.seconds), cookie
            )
            _get(server.base + DUMP_PATH)
        finally:
            servers.stop(server)
        if args.save:
            shutil.copyfile(stats_file, args.save)
        stats = pstats.Stats(str(stats_file), stream=io.StringIO())
        print(
            f"plugins: {', '.join(plugins) or 'none'}; engine: {args.engine}; "
            f"{run.requests} requests, {run.cpu_us_per_request:.0f} µs CPU each under the profiler"
        )
        print("\nown CPU time of the event loop thread, by package:")
        for name, share in shares(stats):
            if share >= 0.005:
                print(f"  {share:6.1%}  {name}")
        print("\ninclusive shares of some parts (nested parts overlap):")
        for label, share in parts(stats):
            print(f"  {share:6.1%}  {label}")
        out = io.StringIO()
        stats.stream = out  # type: ignore[attr-defined]
        stats.strip_dirs().sort_stats("tottime").print_stats(args.top)
        print("\n" + out.getvalue().split("\n", 4)[-1].strip("\n"))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
