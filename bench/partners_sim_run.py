"""``python -m bench.partners_sim_run``: partner payments against a real server, exactly once.

Not a page: a development instance on a fresh SQLite database (or
``--pg-url``) with ``--payments`` pending ledger invoices (default 10,000)
and one partner, ``balai serve`` in a process of its own, and
``balai.partners.sim`` paying every invoice with ``--concurrency`` requests
at once (default 50, the issue's "50 concurrent partners"), 10 %
duplicates, 10 % forced time-outs with retries and 10 % same-day reversals,
then reconciling the day.

Printed: the simulator's checks (0 double credits, 0 lost payments,
reconciliation equal; exit 1 otherwise), payments per second, and the p50 /
p99 latency of inquiries and payments. Figures are **to be measured on a
quiet machine**; none is recorded in the docs yet.

Tickets (``--tickets``, default 1,000 holds): the instance also runs
``wisata_heritage`` with :data:`TICKET_SLOTS` slots of :data:`PARTNER_QUOTA`
partner places each, and ``balai.partners.sim.simulate_tickets`` holds,
cancels, leaves to expire and confirms at the same concurrency, checking 0
oversold and every confirmed order with its tickets; printed beside the
payments (holds per second when timed).

``--check-only``: 300 payments and 60 ticket holds at 20 at once, the checks
only, no timing printed (for CI, ``python -m bench --check-only`` and a busy
machine).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

SECRET = "bench-partners-" + "s" * 40
CHECK_ONLY_PAYMENTS = 300
CHECK_ONLY_CONCURRENCY = 20
CHECK_ONLY_HOLDS = 60
SERVER_START_SECONDS = 180  # a loaded machine starts balai serve slowly
TICKET_SLOTS = 20
PARTNER_QUOTA = 60


def _config(folder: Path, pg_url: str | None) -> Path:
    from balai.testing import write_config

    environ = {"BALAI_SECRET_KEY": SECRET}
    if pg_url:
        environ["DATABASE_URL"] = pg_url
    write_config(folder, {"malang": ["wisata_heritage"]}, environ=environ)
    return folder / "balai.toml"


async def _seed(config: Path, count: int) -> tuple[list[str], object]:
    import balai.asgi
    from balai.asgi import connected
    from balai.partners import credentials, manage, partner_side
    from balai.payments import ledger
    from balai.payments.types import InvoiceItem
    from balai.tenants import city_scope

    app = balai.asgi.build_admin_app(config)
    private, public = credentials.new_key_pair("ec")
    async with connected(app):
        with city_scope(app.ui.config.cities["malang"]):
            numbers = []
            due = datetime.now(UTC) + timedelta(days=2)
            for n in range(count):
                invoice = await ledger.create_invoice(
                    payer_id=None,
                    payer_name=f"Warga Bench {n}",
                    items=[InvoiceItem("Retribusi bench", 1000 + n)],
                    due_at=due,
                    source="bench",
                    source_ref=str(n),
                )
                numbers.append(invoice.number)
            await _seed_tickets()
            settings = manage.PartnerSettings("Bank Bench", ("bills", "tickets"), public)
            pid, secret = await manage.create_partner(settings, instance_secret=SECRET)
            client_id = (await manage.partner_by_id(pid))["client_id"]
    return numbers, partner_side.PartnerKeys(client_id, secret, private)


async def _seed_tickets() -> None:
    """A heritage site with a product and TICKET_SLOTS slots of partner places, from tomorrow."""
    from balai_wisata_heritage.sites.tables import Site
    from balai_wisata_heritage.tickets import setup
    from balai_wisata_heritage.tickets.rules import Category, Channel

    site = Site(name="Museum Bench", description="Bench.", district="Klojen")
    await site.save()
    product = await setup.add_product(
        "Tiket bench",
        site_id=site.id,
        prices={Category.ADULT: 20000, Category.CHILD: 10000},
    )
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    for n in range(TICKET_SLOTS):
        begins = start + timedelta(hours=n)
        quotas = {Channel.ONLINE: 10, Channel.PARTNER: PARTNER_QUOTA}
        await setup.add_slot(product, begins, begins + timedelta(hours=1), quotas)


def _serve(config: Path, port: int, pg_url: str | None) -> subprocess.Popen:
    balai = shutil.which("balai") or str(Path(sys.executable).parent / "balai")
    env = {**os.environ, "BALAI_SECRET_KEY": SECRET}
    if pg_url:
        env["DATABASE_URL"] = pg_url
    process = subprocess.Popen(
        [balai, "serve", "--config", str(config), "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/malang/", timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main(argv: list[str] | None = None) -> int:
    """Seed, serve, simulate, check; print the report (and timings unless --check-only)."""
    parser = argparse.ArgumentParser(prog="python -m bench.partners_sim_run")
    parser.add_argument("--payments", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--pg-url", help="a PostgreSQL database to use instead of SQLite")
    parser.add_argument("--tickets", type=int, default=1_000, help="ticket holds to make")
    parser.add_argument(
        "--check-only", action="store_true", help="300 payments and 60 holds, checks only"
    )
    args = parser.parse_args(argv)
    count = CHECK_ONLY_PAYMENTS if args.check_only else args.payments
    concurrency = CHECK_ONLY_CONCURRENCY if args.check_only else args.concurrency
    from balai.cli import main as balai_main
    from balai.partners.sim import SimOptions, TicketOptions, simulate, simulate_tickets

    with tempfile.TemporaryDirectory() as folder:
        config = _config(Path(folder) / "instance", args.pg_url)
        os.environ["BALAI_SECRET_KEY"] = SECRET
        if args.pg_url:
            os.environ["DATABASE_URL"] = args.pg_url
        try:
            balai_main(["migrate", "--config", str(config)], standalone_mode=False)
        except SystemExit as exc:
            if exc.code:
                raise
        numbers, keys = asyncio.run(_seed(config, count))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        process = _serve(config, port, args.pg_url)
        try:
            day = datetime.now(ZoneInfo("Asia/Jakarta")).date().isoformat()
            report = asyncio.run(
                simulate(
                    f"http://127.0.0.1:{port}/malang",
                    keys,  # type: ignore[arg-type]
                    numbers,
                    day,
                    SimOptions(concurrency=concurrency),
                )
            )
            holds = CHECK_ONLY_HOLDS if args.check_only else args.tickets
            sold = asyncio.run(
                simulate_tickets(
                    f"http://127.0.0.1:{port}/malang",
                    keys,  # type: ignore[arg-type]
                    TicketOptions(holds=holds, concurrency=concurrency),
                )
            )
        finally:
            process.terminate()
            process.wait(timeout=30)
    result = report.as_dict()
    result["tickets"] = sold.as_dict()
    if not args.check_only:
        payments = report.timings.get("/api/mitra/v1.0/transfer-va/payment", [])
        inquiries = report.timings.get("/api/mitra/v1.0/transfer-va/inquiry", [])
        result["payments_per_second"] = round(report.paid / report.seconds, 1)
        result["inquiry_p50_ms"] = round(_percentile(inquiries, 0.5) * 1000, 1)
        result["inquiry_p99_ms"] = round(_percentile(inquiries, 0.99) * 1000, 1)
        result["payment_p99_ms"] = round(_percentile(payments, 0.99) * 1000, 1)
        result["tickets"]["holds_per_second"] = round(sold.holds / sold.seconds, 1)
    else:
        result.pop("seconds", None)
        result["tickets"].pop("seconds", None)
    print(json.dumps(result, indent=2))
    return 0 if report.ok and sold.ok else 1


def check_only() -> list[str]:
    """The ``--check-only`` run for ``python -m bench --check-only``: its problems, if any."""
    return [] if main(["--check-only"]) == 0 else ["partners_sim_run --check-only failed"]


if __name__ == "__main__":
    sys.exit(main())
