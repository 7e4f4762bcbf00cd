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

import os
import re
import secrets
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from balai.auth.accounts import create_user
from balai.jobs.tables import JobRun
from balai.notifications.outbox import notify
from balai.notifications.tables import OutboxMessage
from balai.testing import run_redis_prefix, write_config
from balai.testing.processes import in_city, run_balai, start_serve
from balai_umkm_market.tables import Merchant, MerchantStatus, Product

PASSWORD = "kata-sandi-dua-server-1"
DELIVERY_SECONDS = 90


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
    migrated = run_balai(["migrate", "--config", str(config)], env)
    assert migrated.returncode == 0, migrated.stderr
    seeded = _seed(config, env)
    logs = [tmp_path / f"server-{name}.log" for name in ("a", "b")]
    servers = []
    try:
        for log in logs:
            servers.append(start_serve(config, env, log, wait=False))
        for server in servers:
            server.wait_healthy()
        yield {
            "a": servers[0].base,
            "b": servers[1].base,
            "config": config,
            "env": env,
            "data_dir": tmp_path / "instance" / "data",
            "logs": logs,
            **seeded,
        }
    finally:
        for server in servers:
            server.stop()


def _in_malang(config: Path, env: dict, work):
    return in_city(config, env, "malang", work)


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
