"""``python -m bench.heritage_run``: a heritage site's page and an event's page against their twins.

A fresh SQLite instance with the ``wisata_heritage`` plugin and Malang's
settings, filled with ``SITES`` published sites (each with a story in both
languages, facilities, coordinates) and ``EVENTS`` events, and one *bench
site* as the plugin's pages show it at its richest: a Markdown story, an
opening-hours exception coming up, five coming events, two ticket products;
one *bench event* at it with a Markdown description and a ticket product. The
platform (``bench.serve_balai:build``) and the twin (``bench.heritage_twin:build``)
run pinned to one core, the bench citizen logged in through the real form.
Pages:

* ``site`` — ``/malang/wisata-heritage/situs/<bench site>``;
* ``event`` — ``/malang/wisata-heritage/acara/<bench event>``.

Before timing, each page must give byte-identical HTML on both sides (CSRF
token masked) with the same number of statements per request. Then wrk
loads each page on each side in alternating rounds and the server's CPU per
request is read from ``/proc``. Reported per page: CPU µs per request of
each side and twin ÷ platform (goal ≥ 0.80, issue 11).

``--check-only`` checks without timing; ``python -m bench --check-only`` runs
that check too when the plugin loads.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench import checks, instance, measure, servers
from bench.stats import Spread, ratios

PLUGINS = ["wisata_heritage"]
BASE = f"/{instance.CITY}/wisata-heritage/"
RESULTS = Path(__file__).resolve().parent / "results"
SITES = 200
EVENTS = 400
STORY = (
    "## Sejarah\n\nDibangun pada **1920-an** sebagai bagian dari *Bouwplan* kota. "
    "Lihat [arsip](https://example.org/arsip).\n\n- Fasad asli\n- Menara jam\n"
)


async def _seed(inst: instance.Instance) -> tuple[int, int]:
    """The sites, events and the bench site and event, written as the plugin's tables."""
    from balai.config import load_config
    from balai.tenants import city_scope
    from balai.web.app import create_app
    from balai_wisata_heritage.events.tables import Event
    from balai_wisata_heritage.sites.tables import Site, SiteException
    from balai_wisata_heritage.tickets import setup
    from balai_wisata_heritage.tickets.rules import Category

    config = load_config(inst.config_path, environ=inst.environ())
    app = create_app(config, plugins=inst.plugins)
    await app.ui.database.open()
    now = datetime.now(UTC).replace(microsecond=0)
    try:
        with city_scope(app.ui.config.cities[instance.CITY]):
            sites = [
                Site(
                    name=f"Situs {n:04d}",
                    description="Bangunan cagar budaya.",
                    district=("Klojen", "Blimbing", "Lowokwaru", "Sukun", "Kedungkandang")[n % 5],
                    story_id=STORY,
                    story_en="Built in the **1920s**.",
                    latitude=-7.98 + n / 10_000,
                    longitude=112.63 + n / 10_000,
                    facilities="Toilet\nParkir",
                    status="published",
                )
                for n in range(SITES)
            ]
            await Site.insert(*sites)
            rows = await Site.select(Site.id).order_by(Site.id)
            ids = [r["id"] for r in rows]
            await Event.insert(
                *[
                    Event(
                        title=f"Acara {n:04d}",
                        kind="festival",
                        site=ids[n % len(ids)],
                        starts_at=now + timedelta(days=n % 60, hours=1),
                        ends_at=now + timedelta(days=n % 60, hours=4),
                        summary="Festival budaya.",
                        status="published" if n % 7 else "draft",
                    )
                    for n in range(EVENTS)
                ]
            )
            bench_site = Site(
                name="Gedung Balai Kota Malang",
                description="Balai kota di Jalan Tugu.",
                district="Klojen",
                category="building",
                registration_number="RNCB.20170101.01.000001",
                decree="SK Wali Kota 188.45/2018 (belum diverifikasi)",
                protection="designated",
                story_id=STORY * 3,
                story_en="Built in **1927** by H. F. Horn.",
                address="Jl. Tugu No. 1",
                latitude=-7.9771,
                longitude=112.6340,
                facilities="Toilet\nParkir\nRuang tunggu",
                accessibility="Ramp di pintu samping.",
                status="published",
            )
            await bench_site.save()
            today = now.astimezone(app.ui.config.cities[instance.CITY].tz).date()
            await SiteException.insert(
                SiteException(
                    site=bench_site.id,
                    starts_on=today + timedelta(days=3),
                    ends_on=today + timedelta(days=4),
                    closed=True,
                    note="Upacara",
                ),
                SiteException(
                    site=bench_site.id,
                    starts_on=date(2020, 1, 1),
                    ends_on=date(2020, 1, 2),
                    note="Lama",
                ),
            )
            events = []
            for n in range(6):
                event = Event(
                    title=f"Tur Balai Kota {n + 1}",
                    kind="guided_walk",
                    site=bench_site.id,
                    starts_at=now + timedelta(days=n + 1),
                    ends_at=now + timedelta(days=n + 1, hours=2),
                    summary="Jalan-jalan berpemandu.",
                    description_id=STORY,
                    description_en="A guided walk.",
                    status="published",
                )
                await event.save()
                events.append(event.id)
            prices = {Category.ADULT: 10000, Category.CHILD: 5000}
            await setup.add_product("Tiket masuk Balai Kota", site_id=bench_site.id, prices=prices)
            await setup.add_product("Tiket rombongan", site_id=bench_site.id, prices=prices)
            await setup.add_product(
                "Tiket tur", site_id=bench_site.id, prices=prices, event_id=events[0]
            )
            return bench_site.id, events[0]
    finally:
        await app.ui.database.close()


def pages(site_id: int, event_id: int) -> dict[str, str]:
    """The timed pages' paths."""
    return {"site": f"{BASE}situs/{site_id}", "event": f"{BASE}acara/{event_id}"}


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
    site = checks.check_page(running["platform"], paths["site"], cookie).html
    if site.count("/wisata-heritage/acara/") < 5 or site.count("/wisata-heritage/tiket/") < 3:
        problems.append("the site page does not show its five events and three products")
    event = checks.check_page(running["platform"], paths["event"], cookie).html
    if "/wisata-heritage/tiket/?acara=" not in event:
        problems.append("the event page does not link to its tickets")
    return {"problems": problems, "pages": facts}


def _start(inst: instance.Instance, folder: Path) -> dict[str, servers.Server]:
    running = {
        name: servers.launch(name, factory, inst.environ(), folder)
        for name, factory in (
            ("platform", "bench.serve_balai:build"),
            ("twin", "bench.heritage_twin:build"),
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


def run(work: Path, load: measure.Load | None, rounds: int) -> dict:
    """Seed, check, and time unless ``load`` is None."""
    folder = work / "heritage"
    inst = instance.new_instance(folder, None, PLUGINS)
    instance.prepare(inst)
    paths = pages(*asyncio.run(_seed(inst)))
    running = _start(inst, folder)
    try:
        cookie = instance.cookie_header(instance.log_in(running["platform"].base))
        result = check(running, paths, cookie)
        if result["problems"]:
            print("  check FAILED:\n    " + "\n    ".join(result["problems"]))
            return result
        print(
            "  check ok: identical HTML; statements per page "
            + ", ".join(f"{p} {f['queries']['platform']}" for p, f in result["pages"].items())
        )
        if load is None:
            return result
        warm = measure.Load(load.threads, load.connections, 1)
        cpu: dict[str, dict[str, list[float]]] = {p: {"platform": [], "twin": []} for p in paths}
        for server in running.values():
            for path in paths.values():
                measure.wrk(server.name, server.base + path, server.pid, warm, cookie)
        for round_number in range(rounds):
            order = ["platform", "twin"] if round_number % 2 == 0 else ["twin", "platform"]
            for page, path in paths.items():
                for name in order:
                    server = running[name]
                    done = measure.wrk(name, server.base + path, server.pid, load, cookie)
                    if done.errors:
                        result["problems"].append(f"{page} {name}: {done.errors} failed requests")
                    cpu[page][name].append(done.cpu_us_per_request)
            print(
                f"    round {round_number + 1}/{rounds}: "
                + ", ".join(
                    f"{p} {cpu[p]['platform'][-1]:.0f}/{cpu[p]['twin'][-1]:.0f} µs" for p in paths
                )
            )
        result["timing"] = {
            page: {
                "platform_us": Spread.of(sides["platform"]).as_dict(),
                "twin_us": Spread.of(sides["twin"]).as_dict(),
                "twin_over_platform": Spread.of(ratios(sides["twin"], sides["platform"])).as_dict(),
                "rounds": sides,
            }
            for page, sides in cpu.items()
        }
        return result
    finally:
        for server in running.values():
            servers.stop(server)


def check_only(work: Path) -> list[str]:
    """The checks (for ``python -m bench --check-only``); problems found."""
    return run(work, None, 0)["problems"]


def _show(spread: dict, digits: int = 0) -> str:
    return Spread(spread["median"], spread["min"], spread["max"]).show(digits)


def table(result: dict) -> str:
    """The figures as a Markdown table."""
    lines = [
        "| page | platform µs/req | twin µs/req | twin ÷ platform (goal ≥ 0.80) | statements |",
        "|---|---|---|---|---|",
    ]
    for page, timing in result.get("timing", {}).items():
        lines.append(
            f"| {page} | {_show(timing['platform_us'])} | {_show(timing['twin_us'])} | "
            f"{_show(timing['twin_over_platform'], 2)} | "
            f"{result['pages'][page]['queries']['platform']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the pages and print the table; 1 when a check failed."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.heritage_run", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="3 rounds of 1 s")
    parser.add_argument("--check-only", action="store_true", help="checks only, no timing")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args(argv)
    rounds = 3 if args.quick else max(args.rounds, 3)
    load = measure.Load(1, args.connections, 1 if args.quick else args.seconds)
    work = Path(tempfile.mkdtemp(prefix="balai-bench-heritage-"))
    try:
        result = run(work, None if args.check_only else load, rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    printed = table(result)
    print()
    print(printed)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "heritage.json"
    path.write_text(json.dumps({"result": result, "table": printed}, indent=2, default=str))
    print(f"\nwritten: {path}")
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
