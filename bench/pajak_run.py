"""``python -m bench.pajak_run``: the pajak plugin's NOP lookup and "My bills" against twins.

One fresh instance per backend (SQLite; PostgreSQL too unless ``--no-pg`` or
unreachable) with every installed plugin that loads, as in the home-page
bench; :mod:`bench.pajak_data` writes the city roll (5,000 tax objects, six
years of bills each) and links three NOPs to the bench citizen. The platform
(``bench.serve_balai:build``) and the twin (``bench.pajak_twin:build``) run
pinned to one core; the citizen logs in through the real form. Before timing,
each page must be byte-identical on both sides (CSRF token masked) with the
same fixed number of statements per request. Then wrk loads each page in
alternating rounds and the server's CPU per request is read from ``/proc``,
as :mod:`bench.harness` does for the home page.

Pages: the public lookup of a NOP that is not the citizen's
(``/malang/pajak/?nop=…``, seen logged in) and ``/malang/pajak/tagihan``.
Goal (issue 5): twin ÷ platform ≥ 0.80 CPU per request.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench import checks, harness, instance, measure, pajak_data, servers
from bench.stats import Spread, ratios

RESULTS = Path(__file__).resolve().parent / "results"
PAGES = {
    "lookup": f"/{instance.CITY}/pajak/?nop={pajak_data.lookup_nop()}",
    "my_bills": f"/{instance.CITY}/pajak/tagihan",
}


def _check(running: dict[str, servers.Server], cookie: str) -> tuple[list[str], dict]:
    problems: list[str] = []
    facts: dict = {}
    for page, path in PAGES.items():
        sides = {name: checks.check_page(server, path, cookie) for name, server in running.items()}
        RESULTS.mkdir(exist_ok=True)
        for name, side in sides.items():
            (RESULTS / f"pajak-{page}-{name}.html").write_text(side.html)
        problems += [f"{page}: {p}" for p in checks.compare(sides["platform"], sides["twin"])]
        facts[page] = {
            "queries_per_request": {n: s.counts for n, s in sides.items()},
            "html_bytes": len(sides["platform"].html.encode()),
            "statements": {n: s.statements for n, s in sides.items()},
        }
    return problems, facts


def run_backend(backend: str, work: Path, load: measure.Load, rounds: int, pg_url: str) -> dict:
    """Seed, check and time both pages on one backend; the figures as a dict."""
    database_url = None
    if backend == "postgresql":
        database_url = pg_url
        try:
            instance.recreate_pg(database_url)
        except Exception as exc:
            print(f"  skipped: PostgreSQL not reachable at {database_url}: {exc}")
            return {"backend": backend, "skipped": str(exc), "problems": []}
    plugins, _ = harness.choose_plugins(None)
    if "pajak" not in plugins:
        return {"backend": backend, "problems": ["the pajak plugin does not load"]}
    folder = work / backend
    inst = instance.new_instance(folder, database_url, plugins)
    running: dict[str, servers.Server] = {}
    try:
        citizen = instance.prepare(inst)
        pajak_data.seed(inst, citizen)
        print(
            f"  {pajak_data.OBJECTS:,} tax objects, {len(pajak_data.YEARS)} years of bills each;"
            f" {pajak_data.LINKED} NOPs linked to the citizen"
        )
        for name, factory in (
            ("platform", "bench.serve_balai:build"),
            ("twin", "bench.pajak_twin:build"),
        ):
            running[name] = servers.launch(f"{backend}-{name}", factory, inst.environ(), folder)
        for server in running.values():
            servers.wait_ready(server)
        cookie = instance.cookie_header(instance.log_in(running["platform"].base))
        problems, facts = _check(running, cookie)
        result = {"backend": backend, "problems": problems, "pages": facts}
        if problems:
            print("  check FAILED:\n    " + "\n    ".join(problems))
            return result
        for page in PAGES:
            counts = facts[page]["queries_per_request"]["platform"][0]
            print(f"  check ok: {page}: identical HTML, {counts} queries per page on both sides")
        if load.seconds == 0:
            return result
        warm = measure.Load(load.threads, load.connections, 1)
        for path in PAGES.values():
            for server in running.values():
                measure.wrk(server.name, server.base + path, server.pid, warm, cookie)
        pg_db = database_url.rsplit("/", 1)[1] if database_url else None
        for page, path in PAGES.items():
            cpu: dict[str, list[float]] = {"platform": [], "twin": []}
            pg: dict[str, list[float]] = {"platform": [], "twin": []}
            for number in range(rounds):
                order = ["platform", "twin"] if number % 2 == 0 else ["twin", "platform"]
                for name in order:
                    server = running[name]
                    done = measure.wrk(name, server.base + path, server.pid, load, cookie, pg_db)
                    if done.errors:
                        problems.append(f"{page} {name}: {done.errors} failed requests")
                    cpu[name].append(done.cpu_us_per_request)
                    pg[name].append(done.pg_us_per_request)
                print(
                    f"    {page} round {number + 1}/{rounds}: "
                    + ", ".join(f"{n} {cpu[n][-1]:.0f} µs" for n in order)
                )
            facts[page].update(
                {
                    "platform_us": Spread.of(cpu["platform"]).as_dict(),
                    "twin_us": Spread.of(cpu["twin"]).as_dict(),
                    "twin_over_platform": Spread.of(ratios(cpu["twin"], cpu["platform"])).as_dict(),
                    "rounds": cpu,
                }
            )
            if database_url:
                with_pg = [
                    [a + b for a, b in zip(cpu[n], pg[n], strict=True)]
                    for n in ("twin", "platform")
                ]
                facts[page]["twin_over_platform_with_pg"] = Spread.of(ratios(*with_pg)).as_dict()
        return result
    finally:
        for server in running.values():
            servers.stop(server)
        if database_url:
            try:
                instance.drop_pg(database_url)
            except Exception as exc:
                print(f"  could not drop the bench database: {exc}")


def _show(spread: dict, digits: int = 0) -> str:
    return Spread(spread["median"], spread["min"], spread["max"]).show(digits)


def table(results: list[dict]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| backend | page | platform µs/req | twin µs/req | twin ÷ platform (goal ≥ 0.80) "
        "| with PostgreSQL's CPU | queries platform / twin |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if r.get("skipped"):
            lines.append(f"| {r['backend']} | skipped | | | | | |")
            continue
        for page, f in r.get("pages", {}).items():
            q = f["queries_per_request"]
            counts = f"{q['platform'][0]} / {q['twin'][0]}"
            if "platform_us" not in f:
                lines.append(f"| {r['backend']} | {page} | checked only | | | | {counts} |")
                continue
            pg = f.get("twin_over_platform_with_pg")
            lines.append(
                f"| {r['backend']} | {page} | {_show(f['platform_us'])} | {_show(f['twin_us'])} "
                f"| {_show(f['twin_over_platform'], 2)} | {_show(pg, 2) if pg else '–'} "
                f"| {counts} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the backends and print the table; 1 when a check failed."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.pajak_run", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="3 rounds of 1 s")
    parser.add_argument("--check-only", action="store_true", help="identical HTML and counts only")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BALAI_BENCH_DATABASE_URL") or harness.DEFAULT_PG_URL,
    )
    args = parser.parse_args(argv)
    rounds = 3 if args.quick else max(args.rounds, 3)
    seconds = 0 if args.check_only else (1 if args.quick else args.seconds)
    load = measure.Load(1, args.connections, seconds)
    backends = ["sqlite"] + ([] if args.no_pg else ["postgresql"])
    work = Path(tempfile.mkdtemp(prefix="balai-bench-pajak-"))
    results = []
    try:
        for backend in backends:
            print(f"{backend}:")
            try:
                results.append(run_backend(backend, work, load, rounds, args.pg_url))
            except Exception as exc:
                print(f"  FAILED: {exc}")
                results.append({"backend": backend, "problems": [f"the run failed: {exc}"]})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    printed = table(results)
    print()
    print(printed)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "pajak.json"
    path.write_text(json.dumps({"results": results, "table": printed}, indent=2, default=str))
    print(f"\nwritten: {path}")
    return 1 if any(r["problems"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
