"""``balai partner-sim`` against a real server process: exactly once under retries and duplicates.

A development instance is migrated and seeded (ledger invoices and a
partner), ``balai serve`` runs it in a process of its own, and the
simulator pays every invoice with concurrent requests, duplicates, forced
time-outs with retries and same-day reversals, then reconciles the day. The
ledger is checked from outside the server too.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import balai.asgi
import httpx
import pytest
from balai.asgi import connected
from balai.cli import main
from balai.partners import manage, partner_side
from balai.partners.sim import SimOptions, simulate
from balai.partners.tables import PartnerPayment
from balai.payments import ledger
from balai.payments.tables import Payment, PaymentInvoice
from balai.payments.types import InvoiceItem
from balai.tenants import city_scope
from balai.testing import write_config
from click.testing import CliRunner
from test_partners_support import MALANG_TZ, key_pair

BILLS = 24
SECRET = "sim-test-secret-" + "k" * 40


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """A migrated instance with BILLS pending invoices and a partner: (config, keys, numbers)."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("BALAI_SECRET_KEY", SECRET)
    write_config(tmp_path / "instance", {"malang": [], "semarang": []})
    config = tmp_path / "instance" / "balai.toml"
    assert CliRunner().invoke(main, ["migrate", "--config", str(config)]).exit_code == 0
    app = balai.asgi.build_admin_app(config)
    private, public = key_pair()

    async def seed():
        async with connected(app):
            with city_scope(app.ui.config.cities["malang"]):
                numbers = []
                for n in range(BILLS):
                    invoice = await ledger.create_invoice(
                        payer_id=None,
                        payer_name=f"Warga Simulasi {n}",
                        items=[InvoiceItem("Retribusi simulasi", 1000 * (n + 1))],
                        due_at=datetime.now(UTC) + timedelta(days=2),
                        source="sim",
                        source_ref=str(n),
                    )
                    numbers.append(invoice.number)
                settings = manage.PartnerSettings("Bank Simulasi", ("bills",), public)
                pid, secret = await manage.create_partner(settings, instance_secret=SECRET)
                client_id = (await manage.partner_by_id(pid))["client_id"]
                return numbers, partner_side.PartnerKeys(client_id, secret, private)

    numbers, keys = asyncio.run(seed())
    return config, keys, numbers


@pytest.fixture
def server(instance):
    """``balai serve`` in its own process; yields the city's address."""
    config, _keys, _numbers = instance
    port = _free_port()
    balai = shutil.which("balai") or str(Path(sys.executable).parent / "balai")
    process = subprocess.Popen(
        [balai, "serve", "--config", str(config), "--port", str(port), "--workers", "1"],
        env={**os.environ, "BALAI_SECRET_KEY": SECRET},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}/malang"
    deadline = time.monotonic() + 180  # balai serve starts slowly on a loaded host
    while True:
        try:
            if httpx.get(base + "/", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(process.stderr.read().decode()[-2000:])
        time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=20)


def test_every_bill_is_credited_exactly_once_and_the_day_reconciles(instance, server):
    config, keys, numbers = instance
    day = datetime.now(MALANG_TZ).date().isoformat()
    options = SimOptions(
        concurrency=6, duplicate_rate=0.3, timeout_rate=0.3, reversal_rate=0.25, seed=7
    )
    customers = [*numbers, "INV-2026-ZZZZ-ZZZZ"]  # an unknown number is refused, not an error
    report = asyncio.run(simulate(server, keys, customers, day, options))
    assert report.ok, report.as_dict()
    assert report.paid == BILLS and report.refused == {"4042412": 1}
    assert report.duplicates_sent > 0 and report.timeouts > 0 and report.reversed > 0
    assert report.double_reversals_refused > 0
    app = balai.asgi.build_admin_app(config)

    async def ledger_rows():
        async with connected(app):
            with city_scope(app.ui.config.cities["malang"]):
                return (
                    await Payment.count(),
                    await PaymentInvoice.count().where(PaymentInvoice.status == "refunded"),
                    await PartnerPayment.count().where(PartnerPayment.status == "paid"),
                )

    payments, refunded, partner_paid = asyncio.run(ledger_rows())
    assert payments == BILLS
    assert refunded == report.reversed and partner_paid == BILLS - report.reversed


def test_the_command_reports_json_and_exits_0_when_every_check_holds(instance, server, tmp_path):
    import json

    _config, keys, numbers = instance
    (tmp_path / "secret").write_text(keys.secret)
    (tmp_path / "key.pem").write_text(keys.private_key)
    (tmp_path / "customers").write_text("\n".join(numbers[:6]) + "\n")
    args = ["partner-sim", "--url", server, "--client-id", keys.client_id]
    args += ["--secret-file", str(tmp_path / "secret"), "--key-file", str(tmp_path / "key.pem")]
    args += ["--customers-file", str(tmp_path / "customers"), "--concurrency", "3"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ok"] and report["paid"] == 6 and report["double_credits"] == 0
    again = CliRunner().invoke(main, args)  # the same bills again: nothing owed, nothing paid
    assert again.exit_code == 0, again.output
    assert json.loads(again.output)["paid"] == 0


def test_a_second_token_request_in_the_same_second_signs_again(instance, server):
    """The same signed token request twice is a replay (409); two honest ones are not.

    The partner signs its timestamp to the millisecond, so two requests in
    one second sign different bytes (RSA PKCS#1 v1.5 is deterministic).
    """
    from balai.partners.sim import Partner

    _config, keys, _numbers = instance

    async def two_tokens():
        async with httpx.AsyncClient(timeout=30) as client:
            stamp = datetime.now(UTC)
            for _ in range(2):  # the same signed request twice: the second is a replay
                body, headers = partner_side.token_request(keys, now=stamp)
                answer = await client.post(
                    server + partner_side.TOKEN_PATH, content=body, headers=headers
                )
            assert answer.status_code == 409
            first, second = Partner(server, keys, client), Partner(server, keys, client)
            await first.get_token()
            await second.get_token()
            return first.token, second.token

    first, second = asyncio.run(two_tokens())
    assert first and second and first != second
