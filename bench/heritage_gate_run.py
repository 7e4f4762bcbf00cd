"""``python -m bench.heritage_gate_run``: the heritage gate check under 20 concurrent scans.

A fresh SQLite instance with the ``wisata_heritage`` plugin; one ticket
product with a slot open now and ``--tickets`` valid tickets (default
20,000) sold at the counter through the real purchase code; the bench
citizen made a gate officer and logged in through the real form. One
platform worker (``bench.serve_balai:build``) pinned to one core.

wrk posts the gate form (``POST /malang/kelola/wisata-heritage/gerbang``)
with ``bench/heritage_gate_scan.lua``: each request scans the next ticket's
signed QR payload (Ed25519 checked, ticket admitted by its conditional
UPDATE), 20 connections at once, ``--seconds`` long. Goal (issue 11): p99
under 50 ms on one worker. The run then checks that no ticket was admitted
twice and that every admitted scan matches one used ticket.

Numbers are to be measured on a quiet machine; ``--check-only`` (for CI
and a busy machine) seeds 200 tickets, checks with plain HTTP that a scan
admits once and refuses the second, that the Lua script and its payload
file are well formed, and prints no timing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import instance, measure, servers

PLUGINS = ["wisata_heritage"]
GATE = f"/{instance.CITY}/kelola/wisata-heritage/gerbang"
SCRIPT = Path(__file__).resolve().parent / "heritage_gate_scan.lua"
RESULTS = Path(__file__).resolve().parent / "results"
CONNECTIONS = 20
THREADS = 2
GOAL_P99_MS = 50.0
CHECK_TICKETS = 200


async def _seed(inst: instance.Instance, tickets: int) -> list[str]:
    """Make the citizen a gate officer and sell ``tickets`` tickets; their payloads."""
    from balai.auth.accounts import find_login, grant_role
    from balai.config import load_config
    from balai.tenants import city_scope
    from balai.web.app import create_app
    from balai_wisata_heritage.sites.tables import Site
    from balai_wisata_heritage.tickets import purchase, setup
    from balai_wisata_heritage.tickets.qr import ticket_payload
    from balai_wisata_heritage.tickets.rules import Category, Channel

    config = load_config(inst.config_path, environ=inst.environ())
    app = create_app(config, plugins=inst.plugins)
    await app.ui.database.open()
    payloads: list[str] = []
    try:
        with city_scope(app.ui.config.cities[instance.CITY]):
            officer = await find_login(instance.CITIZEN_EMAIL)
            await grant_role(officer["id"], "wisata_heritage.gate_officer")
            site = Site(name="Museum Bench", description="Bench.", district="Klojen")
            await site.save()
            product = await setup.add_product(
                "Tiket bench", site_id=site.id, prices={Category.ADULT: 10000}, per_order_max=50
            )
            starts = datetime.now(UTC) + timedelta(minutes=5)
            slot = await setup.add_slot(
                product, starts, starts + timedelta(hours=6), {Channel.COUNTER: tickets}
            )
            for _ in range(0, tickets, 50):
                bought = await purchase.buy(
                    product,
                    {"slot": str(slot), "qty_adult": "50"},
                    channel=Channel.COUNTER,
                    buyer_id=None,
                    buyer_name="Bench",
                    sold_by=officer["id"],
                )
                payloads += [
                    ticket_payload(code, "adult", starts, starts + timedelta(hours=6))
                    for code in bought.ticket_codes
                ]
    finally:
        await app.ui.database.close()
    return payloads[:tickets]


def _csrf_of(base: str, cookie: str) -> str:
    request = urllib.request.Request(base + GATE, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=10) as page:
        html = page.read().decode()
    found = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    if not found:
        raise RuntimeError("the gate page has no CSRF token (not logged in as a gate officer?)")
    return found.group(1)


def scan(base: str, cookie: str, csrf: str, payload: str) -> str:
    """POST one scan; returns ``admitted``, ``refused`` or the HTTP status."""
    data = urllib.parse.urlencode({"kode": payload, "gerbang": "1", "_csrf_token": csrf}).encode()
    request = urllib.request.Request(
        base + GATE,
        data=data,
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as page:
        html = page.read().decode()
    if "gate-admitted" in html:
        return "admitted"
    return "refused" if "gate-refused" in html else f"HTTP {page.status}"


def write_payloads(folder: Path, payloads: list[str]) -> Path:
    """One payload a line, for the Lua script."""
    path = folder / "payloads.txt"
    path.write_text("\n".join(payloads) + "\n", encoding="ascii")
    return path


def check_script(payload_file: Path) -> list[str]:
    """Problems with the Lua script or its payload file (without running wrk)."""
    problems = []
    text = SCRIPT.read_text(encoding="utf-8")
    for needed in ("PAYLOADS", "CSRF", "wrk.format", "function request", "function init"):
        if needed not in text:
            problems.append(f"{SCRIPT.name} lacks {needed}")
    lines = payload_file.read_text(encoding="ascii").split()
    if not lines or not all(line.startswith("B1.heritage_ticket.") for line in lines):
        problems.append("the payload file holds something other than signed payloads")
    if shutil.which("luac"):
        done = subprocess.run(["luac", "-p", str(SCRIPT)], capture_output=True, text=True)
        if done.returncode:
            problems.append(f"luac: {done.stderr.strip()}")
    return problems


def run(work: Path, tickets: int, seconds: int, check_only: bool) -> dict:
    """Seed, check, and (unless ``check_only``) time the gate with wrk."""
    inst = instance.new_instance(work / "gate", None, PLUGINS)
    instance.prepare(inst)
    payloads = asyncio.run(_seed(inst, tickets))
    payload_file = write_payloads(work, payloads)
    server = servers.launch("platform", "bench.serve_balai:build", inst.environ(), work)
    result: dict = {"tickets": tickets, "problems": []}
    try:
        servers.wait_ready(server)
        cookie = instance.cookie_header(instance.log_in(server.base))
        csrf = _csrf_of(server.base, cookie)
        first, second = (scan(server.base, cookie, csrf, payloads[-1]) for _ in range(2))
        if (first, second) != ("admitted", "refused"):
            result["problems"].append(f"a scan then a rescan answered {first}, {second}")
        result["problems"] += check_script(payload_file)
        if check_only or result["problems"]:
            return result
        done = subprocess.run(
            [
                "taskset",
                "-c",
                str(measure.LOAD_CORE),
                "wrk",
                f"-t{THREADS}",
                f"-c{CONNECTIONS}",
                f"-d{seconds}s",
                "--latency",
                "-s",
                str(SCRIPT),
                server.base + GATE,
                "--",
                str(payload_file),
                csrf,
                cookie,
                str(THREADS),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        parsed = measure.parse_wrk(done.stdout)
        result["timing"] = {**parsed, "connections": CONNECTIONS, "goal_p99_ms": GOAL_P99_MS}
        if parsed["requests"] >= len(payloads) - 1:
            result["problems"].append("wrk ran out of tickets: raise --tickets")
    finally:
        servers.stop(server)
    return result


def main(argv: list[str] | None = None) -> int:
    """Run and print the p99; 1 when a check failed."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.heritage_gate_run", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--tickets", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--check-only", action="store_true", help="200 tickets, checks only")
    args = parser.parse_args(argv)
    tickets = CHECK_TICKETS if args.check_only else args.tickets
    with tempfile.TemporaryDirectory(prefix="balai-gate-bench-") as folder:
        result = run(Path(folder), tickets, args.seconds, args.check_only)
    if result["problems"]:
        print("check FAILED:\n  " + "\n  ".join(result["problems"]))
        return 1
    print("check ok: a scan admits, the rescan is refused; the Lua script is well formed")
    if "timing" in result:
        timing = result["timing"]
        print(
            f"gate scans: {timing['requests']} in {timing['seconds']:.1f} s, "
            f"p99 {timing['p99_ms']:.1f} ms at {CONNECTIONS} connections "
            f"(goal < {GOAL_P99_MS:.0f} ms), {timing['errors']} errors"
        )
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "heritage_gate.json").write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
