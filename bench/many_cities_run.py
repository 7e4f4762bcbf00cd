"""``python -m bench.many_cities_run``: one deployment serving all 514 kabupaten/kota.

Two instances side by side, each ``balai serve --workers 1`` on a database
of its own (SQLite in the work folder, or ``--pg-url`` for a PostgreSQL
server, a database per instance made and dropped here):

- **demo**: the bench's usual instance (bench/README.md): the three demo
  cities of ``examples/demo.toml``, production settings, jobs off;
- **514**: the same three cities plus 511 more, one per regency code of
  :func:`balai.forms.regions.regency_codes` in order (its Kemendagri
  counts, unverified; names are generated from the codes), each with a slug (``kab-3501``,
  ``kota-3578``), a host (``kab-3501.kabupaten.test``), its region code, and a
  plugin mix that varies with its position (every subset of the loadable
  plugins in turn, the demo's settings for the plugins that need them).

Reported per instance: migration time (``balai migrate``), start-up time
(from starting ``balai serve`` to its first answer), the worker's resident
memory after the timed runs, and the city home ``/malang/`` for a
logged-in citizen under wrk (``-t1 -c8``), CPU per request of the server
process, in alternating rounds; the ratio 514 ÷ demo as median
[min–max], **goal ≤ 1.05** (nothing per city may be built per request).
Before timing, both instances must serve ``/malang/`` with the same HTML
(CSRF tokens masked) and a generated city must answer on its own host.

``--check-only``: the checks before timing only (for CI and a busy machine).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import httpx
import tomli_w

from bench import instance, workers_run
from bench.checks import mask_csrf
from bench.stats import Spread, ratios

CITIES = 514
DEMO_CODES = {"3573", "3374", "3471"}  # Malang, Semarang, Yogyakarta: already in the demo


def generated_cities(plugins: list[str], demo: dict) -> dict[str, dict]:
    """One city per regency code outside the demo, with varying plugin mixes."""
    from balai.forms.regions import KOTA_FROM, regency_codes

    mixes = [
        list(mix)
        for size in range(len(plugins) + 1)
        for mix in itertools.combinations(plugins, size)
    ]
    settings_of = {}
    for city in demo["cities"].values():
        for name, value in city.get("settings", {}).items():
            settings_of.setdefault(name, value)
    cities = {}
    # 514 in all with the demo's three: the table also keeps Papua's codes from
    # before the 2022 split, so it lists more codes than there are regencies.
    codes = [c for c in regency_codes() if c not in DEMO_CODES][: CITIES - len(DEMO_CODES)]
    for n, code in enumerate(codes):
        kind = "kota" if int(code[2:]) >= KOTA_FROM else "kab"
        slug = f"{kind}-{code}"
        mix = mixes[n % len(mixes)]
        cities[slug] = {
            "name": f"{'Kota' if kind == 'kota' else 'Kabupaten'} {code[:2]}.{code[2:]}",
            "hosts": [f"{slug}.kabupaten.test"],
            "locale": "id",
            "timezone": "Asia/Jakarta",
            "region_code": f"{code[:2]}.{code[2:]}",
            "plugins": mix,
            "settings": {p: settings_of[p] for p in mix if p in settings_of},
        }
    return cities


def write_many(folder: Path, plugins: list[str]) -> Path:
    """The bench instance's file with every other regency added."""
    base = instance.write_config(folder, plugins)
    config = tomllib.loads(base.read_text())
    config["cities"].update(generated_cities(plugins, config))
    path = folder / "many.toml"
    path.write_text(tomli_w.dumps(config))
    return path


def setup(name: str, folder: Path, config: Path, database_url: str, secret: str) -> dict:
    """Migrate, make the citizen, serve; time the migration and the start-up."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DATABASE_URL=database_url, BALAI_SECRET_KEY=secret)
    if database_url.startswith("postgresql"):
        instance.recreate_pg(database_url)
    started = time.monotonic()
    subprocess.run(
        [workers_run._balai(), "migrate", "--config", str(config)],
        env=env,
        check=True,
        capture_output=True,
        timeout=1800,
    )
    migrated = time.monotonic() - started
    plugins, _notes = instance.loadable_plugins()
    inst = instance.Instance(folder, config, database_url, secret, plugins)
    instance.prepare(inst)
    started = time.monotonic()
    serving = workers_run.serve(env, config, 1, folder / f"serve-{name}.log")
    return {
        "name": name,
        "serving": serving,
        "database_url": database_url,
        "migrate_seconds": migrated,
        "startup_seconds": time.monotonic() - started,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the checks (and the rounds unless --check-only) and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg-url", help="a PostgreSQL server (default: SQLite files)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--check-only", action="store_true")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="balai-many-"))
    plugins, _notes = instance.loadable_plugins()
    sides = []
    try:
        for name in ("demo", "514"):
            folder = work / name
            folder.mkdir()
            config = (
                instance.write_config(folder, plugins)
                if name == "demo"
                else write_many(folder, plugins)
            )
            cities = len(tomllib.loads(config.read_text())["cities"])
            if args.pg_url:
                url = f"{args.pg_url.rstrip('/')}/balai_bench_many_{name}_{os.getpid()}"
            else:
                url = f"sqlite:///{folder / 'data' / 'balai.db'}"
            side = setup(name, folder, config, url, "many-" + "s" * 40)
            side["cities"] = cities
            sides.append(side)
        cookies = {
            s["name"]: instance.cookie_header(instance.log_in(s["serving"].base)) for s in sides
        }
        pages = {}
        for side in sides:
            answer = httpx.get(
                f"{side['serving'].base}/{instance.CITY}/",
                headers={"Cookie": cookies[side["name"]]},
                timeout=30,
            )
            pages[side["name"]] = (answer.status_code, mask_csrf(answer.text))
        far = sorted(generated_cities(plugins, {"cities": {}}))[-1]
        remote = httpx.get(
            f"{sides[1]['serving'].base}/", headers={"Host": f"{far}.kabupaten.test"}, timeout=30
        )
        checks = {
            "cities": {s["name"]: s["cities"] for s in sides},
            "home_status": {k: v[0] for k, v in pages.items()},
            "same_html": pages["demo"][1] == pages["514"][1],
            "generated_city_on_its_host": remote.status_code,
        }
        print(json.dumps(checks, indent=2))
        ok = (
            checks["cities"]["514"] == CITIES
            and set(checks["home_status"].values()) == {200}
            and checks["same_html"]
            and remote.status_code == 200
        )
        if not ok or args.check_only:
            print("OK: the many-city checks passed" if ok else "FAIL: the many-city checks failed")
            return 0 if ok else 1
        runs: dict[str, list[float]] = {"demo": [], "514": []}
        for side in sides:  # warm up
            workers_run.time_run(side["serving"], cookies[side["name"]], 2, None)
        for n in range(args.rounds):
            for side in sides if n % 2 == 0 else list(reversed(sides)):
                run = workers_run.time_run(
                    side["serving"],
                    cookies[side["name"]],
                    args.seconds,
                    None,
                    connections=8,
                    threads=1,
                )
                runs[side["name"]].append(run["cpu_us_per_request"])
            print(
                f"round {n + 1}: " + ", ".join(f"{k} {v[-1]:.0f} µs/req" for k, v in runs.items())
            )
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        print(f"\n{'sqlite' if not args.pg_url else 'postgresql'}, commit {commit}")
        print("  instance  cities  migrate s  start-up s  worker RSS MiB  CPU µs/req (/malang/)")
        for side in sides:
            print(
                f"  {side['name']:>8}  {side['cities']:>6}  {side['migrate_seconds']:>9.1f}"
                f"  {side['startup_seconds']:>10.1f}"
                f"  {workers_run.rss_kib(side['serving'].process.pid) / 1024:>14.0f}"
                f"  {Spread.of(runs[side['name']]).show(0)}"
            )
        print(
            "  ratio 514 ÷ demo (goal ≤ 1.05)  "
            + Spread.of(ratios(runs["514"], runs["demo"])).show()
        )
        return 0
    finally:
        for side in sides:
            workers_run.stop(side["serving"])
            if side["database_url"].startswith("postgresql"):
                instance.drop_pg(side["database_url"])


if __name__ == "__main__":
    sys.exit(main())
