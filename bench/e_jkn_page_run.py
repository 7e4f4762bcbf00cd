"""``python -m bench.e_jkn_page_run``: the e_jkn enrolment form against its twin.

For each member-roll size (10k and 250k people; ``--quick``: 2k and 20k): a
fresh SQLite instance with the ``e_jkn`` plugin, the roll imported through
the plugin's own row handler (:func:`bench.e_jkn_run.roll`), the bench
citizen's email marked verified (the form needs a verified account), the
platform (``bench.serve_balai:build``) and the twin
(``bench.e_jkn_twin:build``) pinned to one core, the citizen logged in
through the real form. Page: ``apply`` — ``GET /malang/e-jkn/daftar``, one
person block, the year's places left counted.

Before timing, the page must give byte-identical HTML on both sides (CSRF
token masked) with the same number of statements per request. Then wrk
loads it on each side in alternating rounds and the server's CPU per
request is read from ``/proc``. Reported per size: CPU µs per request of
each side and twin ÷ platform (goal ≥ 0.80, issue 12).

``--check-only`` seeds 2,000 people and checks (no timing);
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

from bench import checks, e_jkn_run, instance, measure, servers
from bench.stats import Spread, ratios

PLUGINS = ["e_jkn"]
APPLY = f"/{instance.CITY}/e-jkn/daftar"
RESULTS = Path(__file__).resolve().parent / "results"
SIZES = (10_000, 250_000)
QUICK_SIZES = (2_000, 20_000)
CHECK_SIZE = 2_000


async def _seed(inst: instance.Instance, size: int) -> int:
    """The roll of ``size`` people (a quarter from this year), the citizen verified; places taken.

    The places taken are counted by the plugin's own :func:`places_left`, for
    the check to compare with the twin's hand-written statement.
    """
    from datetime import UTC, datetime

    from balai.config import load_config
    from balai.crypto.keys import new_key
    from balai.tables import User
    from balai.tenants import city_scope
    from balai.web.app import create_app
    from balai_e_jkn.enrolment.form import settings
    from balai_e_jkn.enrolment.service import places_left

    # the roll is sealed with keys of the seeding only: the page shows no sealed field
    keys = {"BALAI_DATA_KEYS": f"bench:{new_key()}", "BALAI_INDEX_KEY": new_key()}
    config = load_config(inst.config_path, environ={**inst.environ(), **keys})
    app = create_app(config, plugins=inst.plugins)
    await app.ui.database.open()
    try:
        city = app.ui.config.cities[instance.CITY]
        today = datetime.now(city.tz).date()
        rows = e_jkn_run.people(size)
        for row in rows[::4]:
            row["mulai"] = today.isoformat()
        await e_jkn_run.roll(app, rows, progress=False)
        with city_scope(city):
            await User.update({User.email_verified_at: datetime.now(UTC)}).where(
                User.email == instance.CITIZEN_EMAIL
            )
            return settings().rules_on(today).annual_quota - await places_left(today)
    finally:
        await app.ui.database.close()


def _twin_taken(inst: instance.Instance) -> int:
    """The twin's places-taken statement run on the instance's database."""
    import sqlite3
    from datetime import UTC, datetime

    from balai.config import load_config

    from bench.e_jkn_twin import TAKEN_SQL

    tz = load_config(inst.config_path, environ=inst.environ()).cities[instance.CITY].tz
    start = datetime(datetime.now(tz).year, 1, 1, tzinfo=tz).astimezone(UTC).isoformat()
    connection = sqlite3.connect(inst.database_url.removeprefix("sqlite:///"))
    try:
        return connection.execute(TAKEN_SQL, (instance.CITY, instance.CITY, start)).fetchone()[0]
    finally:
        connection.close()


def _start(inst: instance.Instance, folder: Path) -> dict[str, servers.Server]:
    running = {
        name: servers.launch(name, factory, inst.environ(), folder)
        for name, factory in (
            ("platform", "bench.serve_balai:build"),
            ("twin", "bench.e_jkn_twin:build"),
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


def _time(running: dict, cookie: str, load: measure.Load, rounds: int) -> tuple[dict, list[str]]:
    """Alternating rounds of wrk on each side; CPU µs per request and failures."""
    problems: list[str] = []
    cpu: dict[str, list[float]] = {"platform": [], "twin": []}
    warm = measure.Load(load.threads, load.connections, 1)
    for server in running.values():
        measure.wrk(server.name, server.base + APPLY, server.pid, warm, cookie)
    for number in range(rounds):
        for name in ["platform", "twin"] if number % 2 == 0 else ["twin", "platform"]:
            server = running[name]
            done = measure.wrk(name, server.base + APPLY, server.pid, load, cookie)
            if done.errors:
                problems.append(f"apply {name}: {done.errors} failed requests")
            cpu[name].append(done.cpu_us_per_request)
        print(
            f"    round {number + 1}/{rounds}: {cpu['platform'][-1]:.0f}/{cpu['twin'][-1]:.0f} µs"
        )
    timing = {
        "platform_us": Spread.of(cpu["platform"]).as_dict(),
        "twin_us": Spread.of(cpu["twin"]).as_dict(),
        "twin_over_platform": Spread.of(ratios(cpu["twin"], cpu["platform"])).as_dict(),
        "rounds": cpu,
    }
    return timing, problems


def run_size(size: int, work: Path, load: measure.Load | None, rounds: int) -> dict:
    """Seed one size, check, and time unless ``load`` is None."""
    folder = work / f"roll-{size}"
    inst = instance.new_instance(folder, None, PLUGINS)
    instance.prepare(inst)
    taken = asyncio.run(_seed(inst, size))
    running = _start(inst, folder)
    try:
        cookie = instance.cookie_header(instance.log_in(running["platform"].base))
        sides = {name: checks.check_page(server, APPLY, cookie) for name, server in running.items()}
        problems = [f"apply: {p}" for p in checks.compare(sides["platform"], sides["twin"])]
        if 'name="m1_nik"' not in sides["platform"].html:
            problems.append("the platform did not show the application form")
        twin_taken = _twin_taken(inst)
        if not 0 < taken == twin_taken:
            problems.append(f"places taken: plugin {taken}, twin's statement {twin_taken}")
        result = {
            "size": size,
            "problems": problems,
            "queries": {name: side.counts[0] for name, side in sides.items()},
        }
        if problems:
            print("  check FAILED:\n    " + "\n    ".join(problems))
            return result
        print(f"  check ok: identical HTML; {result['queries']['platform']} statements")
        if load is not None:
            result["timing"], failed = _time(running, cookie, load, rounds)
            result["problems"] += failed
        return result
    finally:
        for server in running.values():
            servers.stop(server)


def check_only(work: Path) -> list[str]:
    """The small size's checks (for ``python -m bench --check-only``); problems found."""
    return run_size(CHECK_SIZE, work, None, 0)["problems"]


def table(results: list[dict]) -> str:
    """The figures as a Markdown table."""
    lines = [
        "| roll | platform µs/req | twin µs/req | twin ÷ platform (goal ≥ 0.80) | statements |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        if "timing" not in r:
            continue
        t = {k: v for k, v in r["timing"].items() if k != "rounds"}
        shown = {k: Spread(v["median"], v["min"], v["max"]) for k, v in t.items()}
        lines.append(
            f"| {r['size']:,} | {shown['platform_us'].show(0)} | {shown['twin_us'].show(0)} | "
            f"{shown['twin_over_platform'].show(2)} | {r['queries']['platform']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the sizes and print the table; 1 when a check failed."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.e_jkn_page_run", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="2k and 20k people, 3 rounds of 1 s")
    parser.add_argument("--check-only", action="store_true", help="2k people, checks only")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args(argv)
    rounds = 3 if args.quick else max(args.rounds, 3)
    load = measure.Load(1, args.connections, 1 if args.quick else args.seconds)
    sizes = (CHECK_SIZE,) if args.check_only else QUICK_SIZES if args.quick else SIZES
    work = Path(tempfile.mkdtemp(prefix="balai-bench-e-jkn-"))
    results = []
    try:
        for size in sizes:
            print(f"{size:,} people on the roll:")
            results.append(run_size(size, work, None if args.check_only else load, rounds))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    printed = table(results)
    print()
    print(printed)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "e_jkn_page.json"
    path.write_text(json.dumps({"results": results, "table": printed}, indent=2))
    print(f"\nwritten: {path}")
    return 1 if any(r["problems"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
