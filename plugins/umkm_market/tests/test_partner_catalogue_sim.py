"""``balai partner-catalogue-sim`` against a real server process: no overselling, no double orders.

A development instance with the market is migrated and seeded (a merchant
publishing to partners, products with little stock, a delivery partner),
``balai serve`` runs it in a process of its own, and the simulated delivery
app syncs the feed, orders more than the stock allows (with duplicates),
cancels some and syncs again. The stock is checked from outside the
server too.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import balai.asgi
import httpx
import pytest
from balai.asgi import connected
from balai.cli import main
from balai.partners import manage, partner_side
from balai.partners.catalogue_sim import simulate_catalogue
from balai.tenants import city_scope
from balai.testing import write_config
from balai_umkm_market.tables import Merchant, MerchantStatus, Order, Product
from click.testing import CliRunner
from umkm_partner_support import key_pair

SECRET = "catalogue-sim-secret-" + "k" * 40
STOCKS = (3, 2, 5, 1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """A migrated instance with a publishing merchant and a delivery partner: (config, keys)."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("BALAI_SECRET_KEY", SECRET)
    write_config(tmp_path / "instance", {"malang": ["umkm_market"], "semarang": []})
    config = tmp_path / "instance" / "balai.toml"
    assert CliRunner().invoke(main, ["migrate", "--config", str(config)]).exit_code == 0
    app = balai.asgi.build_admin_app(config)
    private, public = key_pair()

    async def seed() -> partner_side.PartnerKeys:
        async with connected(app):
            with city_scope(app.ui.config.cities["malang"]):
                now = datetime.now(UTC)
                shop = Merchant(
                    name="Warung Simulasi",
                    owner_name="Sri",
                    nib="1234567890123",
                    phone="081234567890",
                    address="Jl. Kawi 5",
                    district="Klojen",
                    status=MerchantStatus.VERIFIED.value,
                    created_at=now,
                    partner_feed=True,
                    opening_hours="08.00-20.00",
                    partner_feed_changed_at=now,
                )
                await shop.save()
                for n, stock in enumerate(STOCKS):
                    await Product(
                        merchant=shop.id,
                        name=f"Produk {n}",
                        description="",
                        price=10_000 + n,
                        unit="pcs",
                        stock=stock,
                        is_active=True,
                        created_at=now,
                        updated_at=now,
                    ).save()
                settings = manage.PartnerSettings("Antar Simulasi", ("catalogue",), public)
                pid, secret = await manage.create_partner(settings, instance_secret=SECRET)
                client_id = (await manage.partner_by_id(pid))["client_id"]
                return partner_side.PartnerKeys(client_id, secret, private)

    return config, asyncio.run(seed())


@pytest.fixture
def server(instance):
    """``balai serve`` in its own process; yields the city's address."""
    config, _keys = instance
    port = _free_port()
    balai = shutil.which("balai") or str(Path(sys.executable).parent / "balai")
    process = subprocess.Popen(
        [balai, "serve", "--config", str(config), "--port", str(port), "--workers", "1"],
        env={**os.environ, "BALAI_SECRET_KEY": SECRET},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}/malang"
    deadline = time.monotonic() + 60
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


def test_the_delivery_app_never_oversells_and_orders_each_reference_once(instance, server):
    config, keys = instance
    report = asyncio.run(
        simulate_catalogue(
            server, keys, orders=24, concurrency=6, duplicate_rate=0.3, cancel_rate=0.5, seed=5
        )
    )
    assert report.ok, report.as_dict()
    assert report.products == len(STOCKS) and report.not_modified
    assert report.refused.get("4096201", 0) > 0  # more was asked than there is
    assert report.duplicates_sent > 0 and report.placed > 0 and report.cancelled > 0
    app = balai.asgi.build_admin_app(config)

    async def rows() -> tuple[list[int], int]:
        async with connected(app):
            with city_scope(app.ui.config.cities["malang"]):
                stocks = [r["stock"] for r in await Product.select(Product.stock)]
                return stocks, await Order.count().where(Order.channel == "partner")

    stocks, partner_orders = asyncio.run(rows())
    assert min(stocks) >= 0 and partner_orders == report.placed


def test_the_command_reports_json_and_exits_0(instance, server, tmp_path):
    _config, keys = instance
    (tmp_path / "secret").write_text(keys.secret)
    (tmp_path / "key.pem").write_text(keys.private_key)
    args = ["partner-catalogue-sim", "--url", server, "--client-id", keys.client_id]
    args += ["--secret-file", str(tmp_path / "secret"), "--key-file", str(tmp_path / "key.pem")]
    args += ["--orders", "4", "--concurrency", "2"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ok"] and report["oversold"] == 0 and report["duplicate_orders"] == 0
