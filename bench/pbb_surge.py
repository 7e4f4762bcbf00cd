"""``python -m bench.pbb_surge``: the PBB due-date surge, paid by gateway callbacks on 2 workers.

A development instance with the pajak plugin (PostgreSQL + Redis with
``--pg-url`` / ``--redis-url``, else SQLite) gets ``--payments`` PBB bills
(default 10,000), each with its ledger invoice, its pending bill payment and
an open virtual-account payment at the gateway, written in the bench process
through the platform's own code. The gateway (the sandbox bank's book) then
settles them all, and this process, acting as the gateway, sends each
signed SNAP callback to ``balai serve --workers N`` (default 2) with
``--concurrency`` callbacks in flight (default 50); ``--duplicates`` of
them (default 10 %) are sent twice at once, as a gateway that retries does.

Checked afterwards (exit 1 on any failure): every callback answered 200,
every invoice settled with exactly one payment (0 lost, 0 double), every
bill paid once with its principal, every bill payment row paid, and the
day's reconciliation against the gateway's settlement report equal (every
reference matched, no difference).

Printed: the checks, callbacks per second and the p50 / p95 / p99 latency
of a callback. Figures are **to be measured on a quiet machine**.

``--check-only``: 200 payments, the checks only, no timing printed (for CI,
``tests/test_pbb_surge.py``, and a busy machine).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

from bench import workers_run

CITY = "malang"
PROVIDER = "va"
CHECK_ONLY_PAYMENTS = 200
BATCH = 500


@dataclass
class Surge:
    """A prepared instance: its file, its environment and the payments to confirm."""

    config: Path
    env: dict[str, str]
    attempts: list[dict]  # reference, amount, invoice number, bill id


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _say(what: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {what}", file=sys.stderr, flush=True)


def write_instance(folder: Path, workers: int) -> Path:
    """A one-city instance with pajak, jobs off (the surge measures the callbacks)."""
    path = folder / "balai.toml"
    path.write_text(
        f'[instance]\ndata_dir = "{folder / "data"}"\npath_prefix = true\n'
        f"development = true\nworkers = {workers}\nrun_jobs = false\n\n"
        f'[cities.{CITY}]\nname = "Kota Malang"\nhosts = ["malang.localhost"]\n'
        'plugins = ["pajak"]\n',
        encoding="utf-8",
    )
    return path


def _in_city(config: Path, env: dict[str, str], work):
    from balai.asgi import connected
    from balai.config import load_config
    from balai.tenants import city_scope
    from balai.web.app import create_app

    app = create_app(load_config(config, environ=env))

    async def run():
        async with connected(app):
            with city_scope(app.ui.config.cities[CITY]):
                return await work(app)

    return asyncio.run(run())


def seed(config: Path, env: dict[str, str], count: int) -> list[dict]:
    """``count`` unpaid bills, each invoiced, billed and opened at the gateway, settled there."""
    from balai import toolkit as tk
    from balai.payments.settings import settings_for
    from balai.payments.tables import PaymentAttempt, SandboxTransaction
    from balai_pajak.pbb import penalty
    from balai_pajak.pbb.payment import SOURCE, invoice_items, source_ref
    from balai_pajak.tables import BillPayment, Sppt, TaxObject

    from bench.pajak_data import DISTRICTS, nop_of

    async def work(app):
        city = app.ui.config.cities[CITY]
        partner = settings_for(app.ui.config, city).partner_id
        callback_url = city.absolute_url(f"/api/bayar/callback/{PROVIDER}")
        now = datetime.now(UTC)
        due = (now + timedelta(days=30)).date()
        today = datetime.now(city.tz).date()
        for start in range(0, count, BATCH):
            serials = range(start, min(start + BATCH, count))
            await TaxObject.insert(
                *(
                    TaxObject(
                        nop=nop_of(s),
                        address=f"Jl. Jatuh Tempo No. {s}",
                        district=DISTRICTS[nop_of(s)[4:7]][0],
                        village=DISTRICTS[nop_of(s)[4:7]][1],
                        land_area=100 + s % 400,
                        building_area=60 + s % 200,
                        updated_at=now,
                    )
                    for s in serials
                )
            )
        ids = {r["nop"]: r["id"] for r in await TaxObject.select(TaxObject.id, TaxObject.nop)}
        for start in range(0, count, BATCH):
            await Sppt.insert(
                *(
                    Sppt(
                        tax_object=ids[nop_of(s)],
                        nop=nop_of(s),
                        year=today.year,
                        taxpayer_name=f"WAJIB PAJAK {s}",
                        njop_total=(50_000 + s % 50 * 7_500) * 500,
                        tax_due=50_000 + s % 50 * 7_500,
                        due_date=due,
                        status="unpaid",
                        regulation="Perda Kota Malang 1/2025 (unverified)",
                        created_at=now,
                    )
                    for s in range(start, min(start + BATCH, count))
                )
            )
        columns = (Sppt.id, Sppt.nop, Sppt.year, Sppt.tax_due, Sppt.due_date, Sppt.status)
        bills = await Sppt.select(*columns).order_by(Sppt.id)
        attempts = []
        for n, bill in enumerate(bills):
            owed = {bill["id"]: penalty.amount_owed(bill, today, city)}
            invoice = await tk.create_invoice(
                payer_id=None,
                payer_name=f"WAJIB PAJAK {n}",
                items=invoice_items([bill], owed),
                due_at=now + timedelta(days=30),
                source=SOURCE,
                source_ref=source_ref([bill["id"]]),
            )
            await BillPayment(
                invoice_number=invoice.number,
                sppt=bill["id"],
                principal=owed[bill["id"]].principal,
                penalty=owed[bill["id"]].penalty,
                created_at=now,
                status="pending",
            ).save()
            attempts.append(
                {
                    "reference": f"{invoice.number}-S{n:05d}"[:40],
                    "gateway_ref": f"SBXSURGE{n:08d}",
                    "amount": invoice.amount,
                    "invoice": invoice.number,
                    "invoice_id": invoice.id,
                    "bill": bill["id"],
                    "principal": bill["tax_due"],
                }
            )
        for start in range(0, len(attempts), BATCH):
            chunk = attempts[start : start + BATCH]
            await PaymentAttempt.insert(
                *(
                    PaymentAttempt(
                        invoice_id=a["invoice_id"],
                        reference=a["reference"],
                        provider=PROVIDER,
                        external_id=a["gateway_ref"],
                        amount=a["amount"],
                        va_number=f"8808{n:012d}",
                        status="open",
                        created_at=now,
                    )
                    for n, a in enumerate(chunk, start)
                )
            )
            # The gateway's book: opened for the city, then paid by the taxpayers.
            await SandboxTransaction.insert(
                *(
                    SandboxTransaction(
                        reference=a["gateway_ref"],
                        partner_id=partner,
                        partner_reference=a["reference"],
                        channel=PROVIDER,
                        amount=a["amount"],
                        va_number=f"8808{n:012d}",
                        callback_url=callback_url,
                        status="paid",
                        created_at=now,
                        settled_at=datetime.now(UTC),
                    )
                    for n, a in enumerate(chunk, start)
                )
            )
        return attempts

    return _in_city(config, env, work)


def prepare(
    folder: Path,
    count: int,
    workers: int,
    pg_url: str | None,
    redis_url: str | None,
    redis_prefix: str = "balai-surge:",
) -> Surge:
    """Write the instance, migrate it and seed ``count`` payments."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["BALAI_SECRET_KEY"] = "surge-" + "s" * 40
    if pg_url:
        env["DATABASE_URL"] = pg_url
    if redis_url:
        env["REDIS_URL"] = redis_url
        env["REDIS_KEY_PREFIX"] = redis_prefix
    config = write_instance(folder, workers)
    _say("migrating")
    subprocess.run(
        [workers_run._balai(), "migrate", "--config", str(config)],
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )
    _say(f"seeding {count} payments")
    return Surge(config, env, seed(config, env, count))


def serve(surge: Surge, workers: int, log: Path) -> tuple[subprocess.Popen, str]:
    """``balai serve --workers N``; returns once it answers."""
    port = _free_port()
    command = [workers_run._balai(), "serve", "--config", str(surge.config), "--port", str(port)]
    with log.open("a") as out:
        process = subprocess.Popen(
            [*command, "--workers", str(workers)],
            env=surge.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    workers_run.wait_answering(process, base, log, workers)
    return process, base


async def confirm(
    surge: Surge, base: str, concurrency: int, duplicates: float
) -> tuple[list[int], list[float]]:
    """Send every payment's callback (some twice at once); the answers' statuses and latencies."""
    from balai.config import load_config
    from balai.payments import snap
    from balai.payments.settings import gateway_secret, settings_for

    config = load_config(surge.config, environ=surge.env)
    city = config.cities[CITY]
    secret = gateway_secret(config)
    partner = settings_for(config, city).partner_id
    path = f"/{CITY}/api/bayar/callback/{PROVIDER}"
    stamp = datetime.now(UTC).isoformat()
    statuses: list[int] = []
    latencies: list[float] = []
    every = max(1, round(1 / duplicates)) if duplicates > 0 else 0
    queue: asyncio.Queue = asyncio.Queue()
    for n, attempt in enumerate(surge.attempts):
        queue.put_nowait((attempt, 2 if every and n % every == 0 else 1))

    async def send(client: httpx.AsyncClient, attempt: dict) -> None:
        body = snap.minify(
            {
                "eventId": f"{attempt['gateway_ref']}-paid",
                "partnerServiceId": partner,
                "partnerReferenceNo": attempt["reference"],
                "referenceNo": attempt["gateway_ref"],
                "channel": PROVIDER,
                "latestTransactionStatus": "00",
                "paidAmount": {"value": f"{attempt['amount']}.00", "currency": "IDR"},
                "transactionDate": stamp,
            }
        )
        headers = snap.signed_headers(secret, partner, "POST", path, body).as_dict()
        started = time.perf_counter()
        response = await client.post(path, content=body, headers=headers)
        latencies.append(time.perf_counter() - started)
        statuses.append(response.status_code)

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            attempt, copies = queue.get_nowait()
            await asyncio.gather(*(send(client, attempt) for _ in range(copies)))

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return statuses, latencies


def check(surge: Surge) -> dict:
    """Lost, double and inconsistent payments, and the day's reconciliation."""
    from balai.payments.reconcile import reconcile_day
    from balai.payments.tables import Payment
    from balai.payments.tables import PaymentInvoice as Invoice
    from balai_pajak.tables import BillPayment, Sppt

    async def work(app):
        numbers = [a["invoice"] for a in surge.attempts]
        payments: dict[int, int] = {}
        for row in await Payment.select(Payment.invoice_id):
            payments[row["invoice_id"]] = payments.get(row["invoice_id"], 0) + 1
        invoices = {
            r["number"]: r for r in await Invoice.select().where(Invoice.number.is_in(numbers))
        }
        bills = {r["id"]: r for r in await Sppt.select()}
        rows = {r["invoice_number"]: r for r in await BillPayment.select()}
        lost = sum(1 for a in surge.attempts if payments.get(a["invoice_id"], 0) == 0)
        double = sum(1 for count in payments.values() if count > 1)
        inconsistent = []
        for a in surge.attempts:
            invoice, bill, row = invoices[a["invoice"]], bills[a["bill"]], rows[a["invoice"]]
            if (
                invoice["status"] != "paid"
                or bill["status"] != "paid"
                or bill["paid_principal"] != a["principal"]
                or bill["invoice_number"] != a["invoice"]
                or row["status"] != "paid"
            ):
                inconsistent.append(a["invoice"])
        today = datetime.now(app.ui.config.cities[CITY].tz).date()
        matched, differences = await reconcile_day(app.litestar, date.fromisoformat(str(today)))
        return {
            "payments": len(surge.attempts),
            "lost": lost,
            "double": double,
            "inconsistent": len(inconsistent),
            "inconsistent_examples": inconsistent[:5],
            "reconciliation_matched": matched,
            "reconciliation_differences": len(differences),
        }

    return _in_city(surge.config, surge.env, work)


def _database(server_url: str, name: str, action: str) -> str:
    import asyncpg

    parts = urlsplit(server_url)

    async def run() -> None:
        admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
        connection = await asyncpg.connect(admin, timeout=10)
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if action == "create":
                await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()

    asyncio.run(run())
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))


def main(argv: list[str] | None = None) -> int:
    """Run the surge and print the checks (and the timing unless --check-only)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--payments", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--duplicates", type=float, default=0.10)
    parser.add_argument("--pg-url", default=os.environ.get("BALAI_BENCH_DATABASE_URL"))
    parser.add_argument("--redis-url", default=os.environ.get("BALAI_BENCH_REDIS_URL"))
    parser.add_argument("--redis-prefix", default=f"balai-surge-{os.getpid()}:")
    parser.add_argument("--dir", type=Path, help="work folder (default: a temporary one)")
    parser.add_argument("--check-only", action="store_true")
    args = parser.parse_args(argv)
    if args.check_only:
        args.payments = min(args.payments, CHECK_ONLY_PAYMENTS)
        args.concurrency = min(args.concurrency, 20)
    folder = args.dir or Path(tempfile.mkdtemp(prefix="balai-surge-"))
    folder.mkdir(parents=True, exist_ok=True)
    database = f"balai_surge_{os.getpid()}"
    pg_url = _database(args.pg_url, database, "create") if args.pg_url else None
    try:
        started = time.monotonic()
        surge = prepare(
            folder, args.payments, args.workers, pg_url, args.redis_url, args.redis_prefix
        )
        seeded = time.monotonic() - started
        _say(f"starting balai serve --workers {args.workers}")
        process, base = serve(surge, args.workers, folder / "serve.log")
        _say("confirming the payments")
        try:
            started = time.monotonic()
            statuses, latencies = asyncio.run(
                confirm(surge, base, args.concurrency, args.duplicates)
            )
            elapsed = time.monotonic() - started
        finally:
            workers_run.stop(process)
        _say("checking")
        result = check(surge)
    finally:
        if args.pg_url:
            _database(args.pg_url, database, "drop")
        if args.redis_url:
            import redis

            client = redis.Redis.from_url(args.redis_url)
            keys = list(client.scan_iter(match=f"{args.redis_prefix}*", count=500))
            if keys:
                client.delete(*keys)
            client.close()
    refused = sum(1 for s in statuses if s != 200)
    result["callbacks_sent"] = len(statuses)
    result["callbacks_refused"] = refused
    result["backend"] = "postgresql+redis" if args.pg_url else "sqlite"
    result["workers"] = args.workers
    ok = (
        refused == 0
        and result["lost"] == 0
        and result["double"] == 0
        and result["inconsistent"] == 0
        and result["reconciliation_differences"] == 0
        and result["reconciliation_matched"] == args.payments
    )
    if not args.check_only:
        ordered = sorted(latencies)

        def pct(p: float) -> float:
            return 1000 * ordered[min(len(ordered) - 1, int(p * len(ordered)))]

        result.update(
            seeding_seconds=round(seeded, 1),
            surge_seconds=round(elapsed, 1),
            payments_per_second=round(args.payments / elapsed, 1),
            callback_p50_ms=round(statistics.median(ordered) * 1000, 1),
            callback_p95_ms=round(pct(0.95), 1),
            callback_p99_ms=round(pct(0.99), 1),
            commit=subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
            ).stdout.strip(),
        )
    print(json.dumps(result, indent=2))
    print("OK: the surge's checks passed" if ok else "FAIL: the surge's checks failed")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
