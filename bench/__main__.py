"""``python -m bench``: check, then time, the platform pages against their twins."""

from __future__ import annotations

import argparse
import os
import shutil
import sys

from bench.harness import DEFAULT_PG_URL, Options, run
from bench.measure import Load
from bench.report import table, write_json


def parse(argv: list[str] | None = None) -> Options:
    """Options from the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure each Balai page against its hand-written twin (see bench/README.md).",
    )
    parser.add_argument("--quick", action="store_true", help="short smoke run: 3 rounds of 1 s")
    parser.add_argument(
        "--check-only",
        action="store_true",
        help="only check identical HTML and query counts (no timing); exit 1 on a mismatch",
    )
    parser.add_argument("--rounds", type=int, help="alternating rounds (default 5, at least 3)")
    parser.add_argument(
        "--seconds", type=int, help="wrk duration per run in whole seconds (default 5)"
    )
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1)")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BALAI_BENCH_DATABASE_URL") or DEFAULT_PG_URL,
        help="PostgreSQL bench database, created and dropped (default: $BALAI_BENCH_DATABASE_URL"
        f" or {DEFAULT_PG_URL})",
    )
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument(
        "--plugins",
        help="comma-separated plugins to load (default: every installed one that loads)",
    )
    args = parser.parse_args(argv)
    rounds = args.rounds or (3 if args.quick else 5)
    if rounds < 3:
        parser.error("at least three rounds are needed")
    seconds = args.seconds or (1 if args.quick else 5)
    return Options(
        rounds=rounds,
        load=Load(args.threads, args.connections, seconds),
        warmup_seconds=1 if args.quick else 2,
        max_attempts=1 if args.quick else 3,
        check_only=args.check_only,
        pg_url=None if args.no_pg else args.pg_url,
        plugins=None if args.plugins is None else [p for p in args.plugins.split(",") if p],
    )


def main(argv: list[str] | None = None) -> int:
    """Run the bench; 1 when a check failed."""
    options = parse(argv)
    needed = ["taskset"] + ([] if options.check_only else ["wrk"])
    missing = [tool for tool in needed if shutil.which(tool) is None]
    if missing:
        print(f"missing: {', '.join(missing)} (apt-get install -y {' '.join(missing)})")
        return 2
    results = run(options)
    printed = table(results, options)
    print()
    print(printed)
    path = write_json(results, options, printed)
    print(f"\nwritten: {path}")
    market_problems = check_market(options) if options.check_only else []
    complaint_problems = check_complaints(options) if options.check_only else []
    heritage_problems = check_heritage(options) if options.check_only else []
    desludging_problems = check_desludging(options) if options.check_only else []
    health_problems = check_health_cover(options) if options.check_only else []
    partner_problems = check_partners(options) if options.check_only else []
    failed = (
        market_problems
        or complaint_problems
        or heritage_problems
        or desludging_problems
        or health_problems
        or partner_problems
    )
    return 1 if any(r.problems for r in results) or failed else 0


def check_market(options: Options) -> list[str]:
    """The market's catalogue and product pages against their twins (small catalogue).

    Only when the ``umkm_market`` plugin loads and is among the chosen plugins;
    ``python -m bench.umkm_run`` times them.
    """
    import tempfile
    from pathlib import Path

    from bench import umkm_run
    from bench.harness import choose_plugins

    if "umkm_market" not in choose_plugins(options.plugins)[0]:
        return []
    print("\numkm_market catalogue and product pages (python -m bench.umkm_run --check-only):")
    work = Path(tempfile.mkdtemp(prefix="balai-bench-umkm-"))
    try:
        return umkm_run.check_only(work)
    except Exception as exc:
        print(f"  FAILED: {exc}")
        return [str(exc)]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def check_partners(options: Options) -> list[str]:
    """Partner payments and ticket sales against a real server: exactly once, none oversold.

    Only when ``wisata_heritage`` (whose tickets partners sell) loads and is
    among the chosen plugins; ``python -m bench.partners_sim_run`` times them.
    """
    from bench import partners_sim_run
    from bench.harness import choose_plugins

    if "wisata_heritage" not in choose_plugins(options.plugins)[0]:
        return []
    print("\npartner payments and tickets (python -m bench.partners_sim_run --check-only):")
    try:
        return partners_sim_run.check_only()
    except Exception as exc:
        print(f"  FAILED: {exc}")
        return [str(exc)]


def check_heritage(options: Options) -> list[str]:
    """A heritage site's page and an event's page against their twins.

    Only when the ``wisata_heritage`` plugin loads and is among the chosen
    plugins; ``python -m bench.heritage_run`` times them.
    """
    import tempfile
    from pathlib import Path

    from bench import heritage_run
    from bench.harness import choose_plugins

    if "wisata_heritage" not in choose_plugins(options.plugins)[0]:
        return []
    print("\nwisata_heritage site and event pages (python -m bench.heritage_run --check-only):")
    work = Path(tempfile.mkdtemp(prefix="balai-bench-heritage-"))
    try:
        return heritage_run.check_only(work)
    except Exception as exc:
        print(f"  FAILED: {exc}")
        return [str(exc)]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def check_complaints(options: Options) -> list[str]:
    """The complaint board and report page against their twins, and the Open311 list's plans.

    Only when the ``pengaduan`` plugin loads and is among the chosen plugins
    (SQLite, 2,000 reports); ``python -m bench.pengaduan_run`` and
    ``python -m bench.pengaduan_open311`` time them.
    """
    import tempfile
    from pathlib import Path

    from bench import pengaduan_open311, pengaduan_run
    from bench.harness import choose_plugins

    if "pengaduan" not in choose_plugins(options.plugins)[0]:
        return []
    print("\npengaduan board and report pages (python -m bench.pengaduan_run --check-only):")
    work = Path(tempfile.mkdtemp(prefix="balai-bench-pengaduan-"))
    try:
        problems = pengaduan_run.check_only(work)
    except Exception as exc:
        print(f"  FAILED: {exc}")
        problems = [str(exc)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\npengaduan Open311 list (python -m bench.pengaduan_open311 --check-only --no-pg):")
    if pengaduan_open311.main(["--check-only", "--no-pg"]):
        problems.append("pengaduan_open311 --check-only failed")
    return problems


def check_desludging(options: Options) -> list[str]:
    """The household's "My tanks" page against its twin, and the planner over a small registry.

    Only when the ``sipaldi`` plugin loads and is among the chosen plugins:
    identical HTML and statement counts (5,000 premises), then no truck
    above its capacity or trips (3,000 premises, 30 days).
    ``python -m bench.sipaldi_run`` times the page, ``python -m
    bench.sipaldi_plan_run`` a year of 200,000 premises.
    """
    import tempfile
    from pathlib import Path

    from bench import sipaldi_plan_run, sipaldi_run
    from bench.harness import choose_plugins

    if "sipaldi" not in choose_plugins(options.plugins)[0]:
        return []
    print("\nsipaldi household page (python -m bench.sipaldi_run --check-only):")
    work = Path(tempfile.mkdtemp(prefix="balai-bench-sipaldi-"))
    try:
        problems = sipaldi_run.check_only(work)
    except Exception as exc:
        print(f"  FAILED: {exc}")
        problems = [str(exc)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\nsipaldi planner (python -m bench.sipaldi_plan_run --check-only):")
    try:
        if sipaldi_plan_run.main(["--check-only"]):
            problems.append("sipaldi_plan_run --check-only failed")
    except Exception as exc:
        print(f"  FAILED: {exc}")
        problems.append(str(exc))
    return problems


def check_health_cover(options: Options) -> list[str]:
    """The e_jkn enrolment form against its twin, and the roll import and NIK look-up run.

    Only when the ``e_jkn`` plugin loads and is among the chosen plugins
    (SQLite, 2,000 people); ``python -m bench.e_jkn_page_run`` and
    ``python -m bench.e_jkn_run`` time them.
    """
    import tempfile
    from pathlib import Path

    from bench import e_jkn_page_run, e_jkn_run
    from bench.harness import choose_plugins

    if "e_jkn" not in choose_plugins(options.plugins)[0]:
        return []
    print("\ne_jkn enrolment form (python -m bench.e_jkn_page_run --check-only):")
    work = Path(tempfile.mkdtemp(prefix="balai-bench-e-jkn-"))
    try:
        problems = e_jkn_page_run.check_only(work)
    except Exception as exc:
        print(f"  FAILED: {exc}")
        problems = [str(exc)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\ne_jkn roll import and NIK look-up (python -m bench.e_jkn_run --check-only):")
    try:
        if e_jkn_run.main(["--check-only"]):
            problems.append("e_jkn_run --check-only failed")
    except Exception as exc:
        print(f"  FAILED: {exc}")
        problems.append(f"e_jkn_run --check-only: {exc}")
    return problems


if __name__ == "__main__":
    sys.exit(main())
