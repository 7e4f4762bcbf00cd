"""``python -m bench.umkm_run``: the market's catalogue and product page against their twins.

For each catalogue size (10k and 1M products; ``--quick``: 2k and 20k): a
fresh SQLite instance with the ``umkm_market`` plugin, the market filled by
:mod:`bench.umkm_data`, the platform (``bench.serve_balai:build``) and the
twin (``bench.umkm_twin:build``) pinned to one core, the bench citizen
logged in through the real form. Pages:

* ``search`` — the catalogue searching a common word (``?q=beras``: one
  product in eight matches), 20 results, best match first;
* ``rare`` — the catalogue searching a word that 40 products hold whatever
  the size (``?q=rengginang``), 20 results;
* ``browse`` — the catalogue without words, newest first, 20 results;
* ``product`` — the bench product's page (2 photos, 20 of its 25 reviews).

Before timing, each page must give byte-identical HTML on both sides (CSRF
token masked) with the same number of statements per request. Then wrk
loads each page on each side in alternating rounds and the server's CPU per
request is read from ``/proc`` (as :mod:`bench.harness` does for the home
page). Reported per size and page: CPU µs per request of each side, twin ÷
platform (goal ≥ 0.80 for ``search`` and ``product``), and for the platform
the page's cost at the large size ÷ at the small size (goal ≤ 1.5).

``--check-only`` seeds the small size only and checks (no timing);
``python -m bench --check-only`` runs that check too when the plugin loads.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from bench import checks, instance, measure, pairs, servers, umkm_data
from bench.stats import Spread

PLUGINS = ["umkm_market"]
CATALOGUE = f"/{instance.CITY}/umkm-market/produk/"
RESULTS = Path(__file__).resolve().parent / "results"
SIZES = (10_000, 1_000_000)
QUICK_SIZES = (2_000, 20_000)
CHECK_SIZE = 2_000
TWIN_GOAL_PAGES = ("search", "product")


def pages(product_id: int) -> dict[str, str]:
    """The timed pages' paths."""
    return {
        "search": f"{CATALOGUE}?q=beras",
        "rare": f"{CATALOGUE}?q={umkm_data.RARE_WORD}",
        "browse": CATALOGUE,
        "product": f"{CATALOGUE}{product_id}",
    }


def check(running: dict[str, servers.Server], paths: dict[str, str], cookie: str) -> dict:
    """Identical HTML and equal, fixed statement counts per page; problems listed."""
    problems: list[str] = []
    facts: dict[str, dict] = {}
    for page, path in paths.items():
        sides = {name: checks.check_page(server, path, cookie) for name, server in running.items()}
        for problem in checks.compare(sides["platform"], sides["twin"]):
            problems.append(f"{page}: {problem}")
        facts[page] = {
            "queries": {name: side.counts[0] for name, side in sides.items()},
            "html_bytes": len(sides["platform"].html.encode()),
            "results": sides["platform"].html.count('product-card"'),
        }
    if facts["search"]["results"] != 20:
        problems.append(f"the search page shows {facts['search']['results']} products, not 20")
    return {"problems": problems, "pages": facts}


def _start(inst: instance.Instance, folder: Path) -> dict[str, servers.Server]:
    running = {
        name: servers.launch(name, factory, inst.environ(), folder)
        for name, factory in (
            ("platform", "bench.serve_balai:build"),
            ("twin", "bench.umkm_twin:build"),
        )
    }
    try:
        for server in running.values():
            servers.wait_ready(server)
    except Exception:
        for server in running.values():
            servers.stop(server)
        raise
    return running


def run_size(size: int, work: Path, load: measure.Load | None, rounds: int) -> dict:
    """Seed one size, check, and time unless ``load`` is None."""
    folder = work / f"products-{size}"
    inst = instance.new_instance(folder, None, PLUGINS)
    instance.prepare(inst)
    product_id, seconds = umkm_data.seed(inst, size)
    print(f"  {size:,} products seeded in {seconds:.1f} s")
    paths = pages(product_id)
    running = _start(inst, folder)
    try:
        cookie = instance.cookie_header(instance.log_in(running["platform"].base))
        result = {"size": size, "seed_seconds": seconds, **check(running, paths, cookie)}
        if result["problems"]:
            print("  check FAILED:\n    " + "\n    ".join(result["problems"]))
            return result
        print(
            "  check ok: identical HTML; statements per page "
            + ", ".join(f"{p} {f['queries']['platform']}" for p, f in result["pages"].items())
        )
        if load is None:
            return result
        result["timing"], failed = pairs.time_pages(running, paths, load, rounds, cookie)
        result["problems"] += failed
        return result
    finally:
        for server in running.values():
            servers.stop(server)


def check_only(work: Path) -> list[str]:
    """The small size's checks (for ``python -m bench --check-only``); problems found."""
    return run_size(CHECK_SIZE, work, None, 0)["problems"]


def _show(spread: dict, digits: int = 0) -> str:
    return Spread(spread["median"], spread["min"], spread["max"]).show(digits)


def table(results: list[dict]) -> str:
    """The figures as a Markdown table, and the growth between the sizes."""
    lines = [
        "| products | page | platform µs/req | twin µs/req | twin ÷ platform | statements |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        for page, timing in r.get("timing", {}).items():
            goal = " (goal ≥ 0.80)" if page in TWIN_GOAL_PAGES else ""
            lines.append(
                f"| {r['size']:,} | {page} | {_show(timing['platform_us'])} | "
                f"{_show(timing['twin_us'])} | {_show(timing['twin_over_platform'], 2)}{goal} | "
                f"{r['pages'][page]['queries']['platform']} |"
            )
    timed = [r for r in results if "timing" in r]
    if len(timed) == 2:
        small, large = timed
        lines.append("")
        lines.append(
            f"platform at {large['size']:,} ÷ at {small['size']:,} products (goal ≤ 1.5): "
            + ", ".join(
                f"{page} {large['timing'][page]['platform_us']['median'] / median:.2f}"
                for page, median in (
                    (p, t["platform_us"]["median"]) for p, t in small["timing"].items()
                )
            )
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the sizes and print the table; 1 when a check failed."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.umkm_run", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="2k and 20k products, 3 rounds of 1 s")
    parser.add_argument("--check-only", action="store_true", help="2k products, checks only")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args(argv)
    rounds = 3 if args.quick else max(args.rounds, 3)
    load = measure.Load(1, args.connections, 1 if args.quick else args.seconds)
    sizes = (CHECK_SIZE,) if args.check_only else QUICK_SIZES if args.quick else SIZES
    work = Path(tempfile.mkdtemp(prefix="balai-bench-umkm-"))
    results = []
    try:
        for size in sizes:
            print(f"{size:,} products:")
            results.append(run_size(size, work, None if args.check_only else load, rounds))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    printed = table(results)
    print()
    print(printed)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "umkm.json"
    path.write_text(json.dumps({"results": results, "table": printed}, indent=2))
    print(f"\nwritten: {path}")
    return 1 if any(r["problems"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
