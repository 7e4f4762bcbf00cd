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

``--check-only``: 300 payments at 20 at once, the checks only, no timing
printed (for CI and a busy machine).
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


def _config(folder: Path, pg_url: str | None) -> Path:
    from balai.testing import write_config

    environ = {"BALAI_SECRET_KEY": SECRET}
    if pg_url:
        environ["DATABASE_URL"] = pg_url
    write_config(folder, {"malang": []}, environ=environ)
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
            settings = manage.PartnerSettings("Bank Bench", ("bills",), public)
            pid, secret = await manage.create_partner(settings, instance_secret=SECRET)
            client_id = (await manage.partner_by_id(pid))["client_id"]
    return numbers, partner_side.PartnerKeys(client_id, secret, private)


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
    deadline = time.monotonic() + 60
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
    parser.add_argument("--check-only", action="store_true", help="300 payments, checks only")
    args = parser.parse_args(argv)
    count = CHECK_ONLY_PAYMENTS if args.check_only else args.payments
    concurrency = CHECK_ONLY_CONCURRENCY if args.check_only else args.concurrency
    from balai.cli import main as balai_main
    from balai.partners.sim import SimOptions, simulate

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
        finally:
            process.terminate()
            process.wait(timeout=30)
    result = report.as_dict()
    if not args.check_only:
        payments = report.timings.get("/api/mitra/v1.0/transfer-va/payment", [])
        inquiries = report.timings.get("/api/mitra/v1.0/transfer-va/inquiry", [])
        result["payments_per_second"] = round(report.paid / report.seconds, 1)
        result["inquiry_p50_ms"] = round(_percentile(inquiries, 0.5) * 1000, 1)
        result["inquiry_p99_ms"] = round(_percentile(inquiries, 0.99) * 1000, 1)
        result["payment_p99_ms"] = round(_percentile(payments, 0.99) * 1000, 1)
    else:
        result.pop("seconds", None)
    print(json.dumps(result, indent=2))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
