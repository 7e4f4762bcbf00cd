"""``python -m bench.sipaldi_run``: the household's "My tanks" page against its twin.

One fresh SQLite instance with the ``sipaldi`` plugin; the registry holds
5,000 premises (with a year of published visits each for a tenth of them) and
the bench citizen owns three, with their visit history, one fee paid and one
open. The platform (``bench.serve_balai:build``) and the twin
(``bench.sipaldi_twin:build``) run pinned to one core; the citizen logs in
through the real form. Before timing, the page must be byte-identical on
both sides (CSRF token masked) with the same fixed number of statements per
request; then wrk loads it in alternating rounds and the server's CPU per
request is read from ``/proc``, as :mod:`bench.harness` does for the home
page. Goal (issue 13): twin ÷ platform ≥ 0.80 CPU per request.
``--check-only`` (for ``python -m bench --check-only``) checks without timing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import checks, instance, measure, servers
from bench.stats import Spread, ratios

PLUGINS = ["sipaldi"]
PAGE = f"/{instance.CITY}/sipaldi/tangki/"
RESULTS = Path(__file__).resolve().parent / "results"
PREMISES = 5_000
OWNED = 3


async def _seed(inst: instance.Instance, citizen: int) -> None:
    """The registry, the citizen's three tanks with their visits, and two fees."""
    from balai.config import load_config
    from balai.tenants import city_scope
    from balai.web.app import create_app
    from balai_sipaldi.tables import Fee, Premises, Visit

    config = load_config(inst.config_path, environ=inst.environ())
    app = create_app(config, plugins=inst.plugins)
    await app.ui.database.open()
    now = datetime.now(UTC).replace(microsecond=0)
    today = now.date()
    try:
        with city_scope(app.ui.config.cities[instance.CITY]):
            rows = [
                Premises(
                    owner_id=citizen if n < OWNED else None,
                    address=f"Jl. Bench No. {n}",
                    kelurahan=("Kauman", "Sukun", "Lowokwaru")[n % 3],
                    kecamatan=("Klojen", "Sukun", "Lowokwaru")[n % 3],
                    tank_type=("sealed", "biofilter", "cesspit")[n % 3],
                    tank_litres=2000 + 500 * (n % 3),
                    last_desludged=today - timedelta(days=300 + n % 700),
                    next_due=today + timedelta(days=n % 900 - 100),
                    created_at=now,
                )
                for n in range(PREMISES)
            ]
            for start in range(0, len(rows), 500):
                await Premises.insert(*rows[start : start + 500])
            ids = [p["id"] for p in await Premises.select(Premises.id).order_by(Premises.id)]
            visits = [
                Visit(
                    premises_id=pid,
                    truck_id=1 + k % 6,
                    day=today - timedelta(days=30 * k),
                    planned_litres=2500,
                    status=("done", "not_home", "declined", "proposed")[k % 4],
                    volume_litres=2400 if k % 4 == 0 else None,
                    created_at=now,
                )
                for n, pid in enumerate(ids)
                if n < OWNED or n % 10 == 0
                for k in range(12)
            ]
            visits += [
                Visit(
                    premises_id=ids[0],
                    truck_id=1,
                    day=today + timedelta(days=5),
                    planned_litres=2500,
                    status="scheduled",
                    created_at=now,
                )
            ]
            for start in range(0, len(visits), 500):
                await Visit.insert(*visits[start : start + 500])
            await Fee.insert(
                *(
                    Fee(
                        delivery_id=n + 1,
                        visit_id=None,
                        owner_id=citizen,
                        litres=2500,
                        per_m3=15_000,
                        amount=37_500,
                        paid=n == 0,
                        created_at=now,
                    )
                    for n in range(2)
                )
            )
    finally:
        await app.ui.database.close()


def run(work: Path, load: measure.Load | None, rounds: int) -> dict:
    """Seed, check, and time unless ``load`` is None."""
    folder = work / "sipaldi"
    inst = instance.new_instance(folder, None, PLUGINS)
    citizen = instance.prepare(inst)
    asyncio.run(_seed(inst, citizen))
    running = servers.launch_pair("bench.sipaldi_twin:build", inst.environ(), folder)
    try:
        cookie = instance.cookie_header(instance.log_in(running["platform"].base))
        sides = {name: checks.check_page(server, PAGE, cookie) for name, server in running.items()}
        problems = checks.compare(sides["platform"], sides["twin"])
        html = sides["platform"].html
        if html.count("Jl. Bench No. ") != OWNED or "Rp37.500" not in html:
            problems.append("the page does not show the citizen's three tanks and open fee")
        result: dict = {
            "problems": problems,
            "queries": {name: side.counts[0] for name, side in sides.items()},
            "html_bytes": len(html.encode()),
        }
        if problems:
            print("  check FAILED:\n    " + "\n    ".join(problems))
            return result
        print(f"  check ok: identical HTML, {result['queries']['platform']} statements per page")
        if load is None:
            return result
        for server in running.values():
            measure.wrk(server.name, server.base + PAGE, server.pid, measure.Load(1, 8, 1), cookie)
        cpu: dict[str, list[float]] = {"platform": [], "twin": []}
        for number in range(rounds):
            order = ["platform", "twin"] if number % 2 == 0 else ["twin", "platform"]
            for name in order:
                server = running[name]
                done = measure.wrk(name, server.base + PAGE, server.pid, load, cookie)
                if done.errors:
                    problems.append(f"{name}: {done.errors} failed requests")
                cpu[name].append(done.cpu_us_per_request)
            print(
                f"    round {number + 1}/{rounds}: "
                + ", ".join(f"{n} {cpu[n][-1]:.0f} µs" for n in order)
            )
        result["timing"] = {
            "platform_us": Spread.of(cpu["platform"]).as_dict(),
            "twin_us": Spread.of(cpu["twin"]).as_dict(),
            "twin_over_platform": Spread.of(ratios(cpu["twin"], cpu["platform"])).as_dict(),
            "rounds": cpu,
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


def main(argv: list[str] | None = None) -> int:
    """Run the page and print the figures; 1 when a check failed."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.sipaldi_run", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="3 rounds of 1 s")
    parser.add_argument("--check-only", action="store_true", help="checks only, no timing")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args(argv)
    rounds = 3 if args.quick else max(args.rounds, 3)
    load = measure.Load(1, args.connections, 1 if args.quick else args.seconds)
    work = Path(tempfile.mkdtemp(prefix="balai-bench-sipaldi-"))
    try:
        result = run(work, None if args.check_only else load, rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    timing = result.get("timing")
    if timing:
        print(
            f"my tanks: platform {_show(timing['platform_us'])} µs, "
            f"twin {_show(timing['twin_us'])} µs, "
            f"twin ÷ platform {_show(timing['twin_over_platform'], 2)} (goal ≥ 0.80)"
        )
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "sipaldi.json"
    path.write_text(json.dumps(result, indent=2, default=str))
    print(f"written: {path}")
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
