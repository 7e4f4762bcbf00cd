"""Two real `balai serve` processes on two ports, one PostgreSQL database and one Redis: one site.

A visitor's browser (one cookie jar) alternates between server A and
server B. A sign-in on A is valid on B; failed sign-ins on A and on B count
toward one lockout; an anonymous cart filled on A is the cart B shows; the
scheduled delivery job runs once per slot though both servers run jobs; and
a queued notification is delivered once.

Needs ``BALAI_TEST_DATABASE_URL`` and ``BALAI_TEST_REDIS_URL`` (skipped with a
reason otherwise, as the other PostgreSQL and Redis tests are).
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
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
from balai.auth.accounts import create_user
from balai.jobs.tables import JobRun
from balai.notifications.outbox import notify
from balai.notifications.tables import OutboxMessage
from balai.tenants import city_scope
from balai.testing import run_redis_prefix, write_config
from balai_umkm_market.tables import Merchant, MerchantStatus, Product

PASSWORD = "kata-sandi-dua-server-1"
START_SECONDS = 180  # a loaded CI machine starts a server slowly
DELIVERY_SECONDS = 90


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _balai() -> str:
    found = shutil.which("balai", path=str(Path(sys.executable).parent))
    assert found, "the balai command is not installed beside this Python"
    return found


@pytest.fixture
def site(tmp_path, postgres_url, redis_url):
    """The instance file, the servers' environment, and the two running servers' base URLs."""
    write_config(
        tmp_path / "instance",
        {"malang": ["umkm_market"]},
        instance={"development": True, "run_jobs": True, "workers": 1},
    )
    config = tmp_path / "instance" / "balai.toml"
    env = {
        **os.environ,
        "DATABASE_URL": postgres_url,
        "REDIS_URL": redis_url,
        "REDIS_KEY_PREFIX": run_redis_prefix(),
        "BALAI_SECRET_KEY": secrets.token_urlsafe(48),
        "LANG": "C",
    }
    migrated = subprocess.run(
        [_balai(), "migrate", "--config", str(config)], env=env, capture_output=True, text=True
    )
    assert migrated.returncode == 0, migrated.stderr
    seeded = _seed(config, env)
    servers, logs = [], []
    try:
        for name in ("a", "b"):
            port = _free_port()
            log = (tmp_path / f"server-{name}.log").open("w")
            logs.append(log)
            process = subprocess.Popen(
                [_balai(), "serve", "--config", str(config), "--port", str(port), "--workers", "1"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            servers.append((process, f"http://127.0.0.1:{port}"))
        for process, base in servers:
            _wait_healthy(process, base)
        yield {
            "a": servers[0][1],
            "b": servers[1][1],
            "config": config,
            "env": env,
            "data_dir": tmp_path / "instance" / "data",
            "logs": [tmp_path / f"server-{n}.log" for n in ("a", "b")],
            **seeded,
        }
    finally:
        for process, _base in servers:
            process.terminate()
        for process, _base in servers:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()


def _wait_healthy(process: subprocess.Popen, base: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server at {base} exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"the server at {base} did not answer within {START_SECONDS}s")


def _in_malang(config: Path, env: dict, work):
    saved = dict(os.environ)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "REDIS_KEY_PREFIX")})
    try:
        app = balai.asgi.build_admin_app(config)

        async def run():
            async with connected(app):
                with city_scope(app.ui.config.cities["malang"]):
                    return await work()

        return asyncio.run(run())
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _seed(config: Path, env: dict) -> dict:
    marker = f"dua-server-{secrets.token_hex(4)}@contoh.id"

    async def work():
        now = datetime.now(UTC)
        sri = await create_user(
            name="Sri Dua Server", email="sri@contoh.id", password=PASSWORD, verified=True
        )
        await create_user(name="Budi", email="budi@contoh.id", password=PASSWORD, verified=True)
        merchant = Merchant(
            name="Keripik Dua Server",
            owner_name="Bu Sri",
            nib="9120001234567",
            phone="081234567890",
            address="Jl. Sanan 1",
            district="Blimbing",
            description="",
            rejection_reason="",
            photo="",
            status=MerchantStatus.VERIFIED.value,
            created_at=now,
        )
        await merchant.save()
        product = Product(
            merchant=merchant.id,
            name="Keripik Tempe Dua Server",
            description="",
            price=15_000,
            unit="pack",
            stock=10,
            photo="",
            created_at=now,
            updated_at=now,
        )
        await product.save()
        message_id = await notify(sri, "core.welcome", {"login": marker}, channel="file")
        return {"product_id": product.id, "message_id": message_id, "marker": marker}

    return _in_malang(config, env, work)


def _token(page: httpx.Response) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    assert found, f"no CSRF token on {page.url}"
    return found[1]


def _sign_in(browser: httpx.Client, base: str, login: str, password: str) -> httpx.Response:
    form = browser.get(f"{base}/malang/masuk")
    return browser.post(
        f"{base}/malang/masuk",
        data={"_csrf_token": _token(form), "login": login, "password": password, "next": ""},
    )


def test_two_servers_behave_as_one_site(site):
    a, b = site["a"], site["b"]
    with httpx.Client(timeout=15) as browser:
        # An anonymous cart filled on A is the cart B shows.
        add = browser.get(
            f"{a}/malang/umkm-market/keranjang/tambah?product_id={site['product_id']}"
        )
        added = browser.post(
            f"{a}/malang/umkm-market/keranjang/tambah",
            data={"_csrf_token": _token(add), "product_id": site["product_id"], "quantity": "2"},
        )
        assert added.status_code == 303, added.text[:500]
        cart_on_b = browser.get(f"{b}/malang/umkm-market/keranjang")
        assert cart_on_b.status_code == 200
        assert "Keripik Tempe Dua Server" in cart_on_b.text

        # A sign-in on A is valid on B (the session lives in Redis).
        assert _sign_in(browser, a, "sri@contoh.id", PASSWORD).status_code == 303
        account_on_b = browser.get(f"{b}/malang/akun/", follow_redirects=False)
        assert account_on_b.status_code == 200
        assert "Sri Dua Server" in account_on_b.text
        # ... and the cart followed the visitor into the account.
        assert "Keripik Tempe Dua Server" in browser.get(f"{b}/malang/umkm-market/keranjang").text

    with httpx.Client(timeout=15) as other:
        # Five failed sign-ins, three on A and two on B, lock the login on both.
        for base in (a, b, a, b, a):
            assert _sign_in(other, base, "budi@contoh.id", "salah-sekali").status_code == 400
        for base in (b, a):
            locked = _sign_in(other, base, "budi@contoh.id", PASSWORD)
            assert locked.status_code == 429
            assert "Terlalu banyak percobaan yang gagal" in locked.text

    # The notification queued before the start is delivered once, and every
    # slot of the delivery job ran once, though both servers run jobs.
    deadline = time.monotonic() + DELIVERY_SECONDS
    message = None
    while time.monotonic() < deadline:
        message = _in_malang(
            site["config"],
            site["env"],
            lambda: OutboxMessage.select().where(OutboxMessage.id == site["message_id"]).first(),
        )
        if message["status"] == "sent":
            break
        time.sleep(2)
    assert message is not None and message["status"] == "sent", message
    assert message["attempts"] == 1
    outbox = (site["data_dir"] / "outbox" / "malang.log").read_text(encoding="utf-8")
    assert outbox.count(site["marker"]) == 1

    runs = _in_malang(
        site["config"],
        site["env"],
        lambda: JobRun.select().where(JobRun.job == "notifications.deliver"),
    )
    slots = [run["slot"] for run in runs]
    assert runs and len(slots) == len(set(slots))
    assert all(run["status"] in ("ok", "running") for run in runs)
    for log in site["logs"]:
        text = log.read_text(encoding="utf-8")
        assert "Traceback" not in text, text[-3000:]
