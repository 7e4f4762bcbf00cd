"""``python -m bench.profile``: where the platform page's CPU time goes.

Sets up a SQLite instance like the bench, serves the platform page under
cProfile, loads it with wrk, and prints the functions with the most
cumulative and own time. Timings under a profiler are inflated; read the
shares, not the microseconds.
"""

from __future__ import annotations

import argparse
import io
import pstats
import shutil
import tempfile
import urllib.request
from pathlib import Path

from bench import instance, measure, servers
from bench.counting import DUMP_PATH
from bench.harness import PAGE, choose_plugins


def main(argv: list[str] | None = None) -> None:
    """Profile the platform page and print the top functions."""
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration (default 5)")
    parser.add_argument("--engine", choices=["kept", "stock"], default="kept")
    parser.add_argument("--top", type=int, default=30, help="rows per listing (default 30)")
    args = parser.parse_args(argv)

    plugins, _ = choose_plugins(None)
    work = Path(tempfile.mkdtemp(prefix="balai-profile-"))
    stats_file = work / "platform.prof"
    try:
        inst = instance.new_instance(work, None, plugins)
        instance.prepare(inst)
        env = {**inst.environ(), "BENCH_ENGINE": args.engine, "BENCH_PROFILE": str(stats_file)}
        server = servers.wait_ready(servers.launch("profiled", "bench.serve_balai:build", env, work))
        try:
            cookie = instance.cookie_header(instance.log_in(server.base))
            run = measure.wrk("platform", server.base + PAGE, server.pid,
                              measure.Load(seconds=args.seconds), cookie)
            urllib.request.urlopen(server.base + DUMP_PATH, timeout=30).close()  # noqa: S310
        finally:
            servers.stop(server)
        print(f"{run.requests} requests, {run.cpu_us_per_request:.0f} µs CPU each under the profiler")
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            stats = pstats.Stats(str(stats_file), stream=out)
            stats.strip_dirs().sort_stats(order).print_stats(args.top)
            print(f"\n--- by {order} ---")
            print(out.getvalue().split("\n", 6)[-1] if order == "cumulative" else out.getvalue())
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
