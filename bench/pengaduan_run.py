"""``python -m bench.pengaduan_run``: the complaint board and a report page against their twins.

For each size (10k and 1M reports; ``--quick``: 2k and 20k): a fresh SQLite
instance with the ``pengaduan`` plugin, the reports written by
:func:`bench.pengaduan_open311.seed`, plus one *bench report* made through the
plugin's own service (three public steps, an internal note, two photos
cleared by an officer and one not), the platform (``bench.serve_balai:build``)
and the twin (``bench.pengaduan_twin:build``) pinned to one core, the bench
citizen logged in through the real form. Pages:

* ``board`` — the public board, first page (20 reports, the map's markers);
* ``board_deep`` — the board's page 40;
* ``report`` — the bench report's public page.

Before timing, each page must give byte-identical HTML on both sides (CSRF
token masked) with the same number of statements per request. Then wrk
loads each page on each side in alternating rounds and the server's CPU per
request is read from ``/proc``. Reported per size and page: CPU µs per request
of each side and twin ÷ platform (goal ≥ 0.80, issue 14).

``--check-only`` seeds the small size only and checks (no timing);
``python -m bench --check-only`` runs that check too when the plugin loads.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
from pathlib import Path

from bench import checks, instance, measure, pairs, pengaduan_open311, servers
from bench.stats import Spread

PLUGINS = ["pengaduan"]
BOARD = f"/{instance.CITY}/pengaduan/"
RESULTS = Path(__file__).resolve().parent / "results"
SIZES = (10_000, 1_000_000)
QUICK_SIZES = (2_000, 20_000)
CHECK_SIZE = 2_000


def pages(number: str) -> dict[str, str]:
    """The timed pages' paths."""
    return {
        "board": BOARD,
        "board_deep": f"{BOARD}?page=40",
        "report": f"{BOARD}laporan/{number}",
    }


async def _bench_report(inst: instance.Instance) -> str:
    """One report with public steps, a note and photos, made as the plugin makes them."""
    from balai.config import load_config
    from balai.tenants import city_scope
    from balai.web.app import create_app
    from balai_pengaduan.handling.workflow import FLOW
    from balai_pengaduan.reports import service
    from balai_pengaduan.settings import city_settings
    from balai_pengaduan.tables import Photo

    config = load_config(inst.config_path, environ=inst.environ())
    app = create_app(config, plugins=inst.plugins)
    await app.ui.database.open()
    try:
        with city_scope(app.ui.config.cities[instance.CITY]):
            row = await service.create(
                service.NewReport(
                    category=city_settings().categories[0],
                    description="Lampu jalan mati tiga malam di depan masjid, jalan gelap.",
                    kelurahan="Kauman",
                    address="Jl. Kawi No. 24",
                    latitude=-7.9740,
                    longitude=112.6230,
                    photo_ids=("bench-photo-a", "bench-photo-b", "bench-photo-c"),
                )
            )
            await Photo.update({Photo.cleared: True}).where(
                Photo.file_id.is_in(["bench-photo-a", "bench-photo-b"])
            )
            for transition, before, after, comment in (
                ("assign", "new", "assigned", "Petugas PJU menuju lokasi."),
                ("internal", "assigned", "assigned", "Catatan internal: stok lampu ada."),
                ("start", "assigned", "in_progress", "Lampu sedang diganti."),
                ("resolve", "in_progress", "resolved", "Lampu sudah diganti dengan LED baru."),
            ):
                await FLOW.record_step(row["id"], transition, before, after, comment=comment)
            return row["number"]
    finally:
        await app.ui.database.close()


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
        }
    board = checks.check_page(running["platform"], paths["board"], cookie).html
    if board.count("/pengaduan/laporan/NGL-") < 20:
        problems.append("the board does not list a page of reports")
    report = checks.check_page(running["platform"], paths["report"], cookie).html
    if report.count('class="pengaduan-photo"') != 2 or "Catatan internal" in report:
        problems.append("the report page does not show exactly its two cleared photos")
    return {"problems": problems, "pages": facts}


def _start(inst: instance.Instance, folder: Path) -> dict[str, servers.Server]:
    running = {
        name: servers.launch(name, factory, inst.environ(), folder)
        for name, factory in (
            ("platform", "bench.serve_balai:build"),
            ("twin", "bench.pengaduan_twin:build"),
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
    folder = work / f"reports-{size}"
    inst = instance.new_instance(folder, None, PLUGINS)
    instance.prepare(inst)
    asyncio.run(pengaduan_open311.seed(inst, size))
    number = asyncio.run(_bench_report(inst))
    paths = pages(number)
    running = _start(inst, folder)
    try:
        cookie = instance.cookie_header(instance.log_in(running["platform"].base))
        result = {"size": size, **check(running, paths, cookie)}
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
    """The figures as a Markdown table."""
    lines = [
        "| reports | page | platform µs/req | twin µs/req | twin ÷ platform (goal ≥ 0.80) "
        "| statements |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        for page, timing in r.get("timing", {}).items():
            lines.append(
                f"| {r['size']:,} | {page} | {_show(timing['platform_us'])} | "
                f"{_show(timing['twin_us'])} | {_show(timing['twin_over_platform'], 2)} | "
                f"{r['pages'][page]['queries']['platform']} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the sizes and print the table; 1 when a check failed."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.pengaduan_run", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="2k and 20k reports, 3 rounds of 1 s")
    parser.add_argument("--check-only", action="store_true", help="2k reports, checks only")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args(argv)
    rounds = 3 if args.quick else max(args.rounds, 3)
    load = measure.Load(1, args.connections, 1 if args.quick else args.seconds)
    sizes = (CHECK_SIZE,) if args.check_only else QUICK_SIZES if args.quick else SIZES
    work = Path(tempfile.mkdtemp(prefix="balai-bench-pengaduan-"))
    results = []
    try:
        for size in sizes:
            print(f"{size:,} reports:")
            results.append(run_size(size, work, None if args.check_only else load, rounds))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    printed = table(results)
    print()
    print(printed)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "pengaduan.json"
    path.write_text(json.dumps({"results": results, "table": printed}, indent=2, default=str))
    print(f"\nwritten: {path}")
    return 1 if any(r["problems"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
