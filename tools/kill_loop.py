"""Kill -9 a serving worker at random moments during checkouts, then check nothing was lost.

Each round starts `balai serve` (one worker, jobs on), lets buyers check out
of the market concurrently, kills the process with SIGKILL after a random
delay, and checks the database:

* every checkout the server acknowledged (a 303 to the order's page) is there;
* no half-made order: every order has its items, and the product's stock plus
  every ordered quantity equals the stock seeded (nothing sold twice or lost);
* `balai audit verify` passes.

Usage (SQLite in a scratch folder; set DATABASE_URL for PostgreSQL)::

    uv run python tools/kill_loop.py --rounds 100           # the bench's long form
    uv run python tools/kill_loop.py --rounds 3 --seconds 2  # CI's short form (a test)

Exit code 0 when every round held, 1 with the first broken rule.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

PASSWORD = "kata-sandi-uji-bunuh-1"  # noqa: S105 (the scratch instance's buyers)
STOCK = 1_000_000
START_SECONDS = 180


def balai_command() -> str:
    """The `balai` script beside this Python."""
    found = shutil.which("balai", path=str(Path(sys.executable).parent))
    if not found:
        raise SystemExit("the balai command is not installed beside this Python")
    return found


def write_instance(folder: Path) -> Path:
    """A one-city instance with the market, in ``folder``."""
    path = folder / "balai.toml"
    path.write_text(
        f'[instance]\ndata_dir = "{folder / "data"}"\npath_prefix = true\n'
        "development = true\nworkers = 1\nrun_jobs = true\n\n"
        '[cities.malang]\nname = "Kota Malang"\nhosts = ["malang.localhost"]\n'
        'plugins = ["umkm_market"]\n',
        encoding="utf-8",
    )
    return path


def _in_city(config: Path, work):
    import balai.asgi
    from balai.asgi import connected
    from balai.tenants import city_scope

    app = balai.asgi.build_admin_app(config)

    async def run():
        async with connected(app):
            with city_scope(app.ui.config.cities["malang"]):
                return await work()

    return asyncio.run(run())


def seed(config: Path, buyers: int) -> int:
    """Buyers, a verified merchant (pickup only) and one product; returns the product's id."""
    from balai.auth.accounts import create_user
    from balai_umkm_market.tables import Merchant, MerchantStatus, Product

    async def work():
        now = datetime.now(UTC)
        for n in range(buyers):
            await create_user(
                name=f"Pembeli {n}", email=f"pembeli{n}@contoh.id", password=PASSWORD, verified=True
            )
        merchant = Merchant(
            name="Toko Uji",
            owner_name="Bu Uji",
            nib="9120001234567",
            phone="081234567890",
            address="Jl. Uji 1",
            district="Klojen",
            description="",
            rejection_reason="",
            photo="",
            offers_delivery=False,
            offers_pickup=True,
            status=MerchantStatus.VERIFIED.value,
            created_at=now,
        )
        await merchant.save()
        product = Product(
            merchant=merchant.id,
            name="Kopi Uji",
            description="",
            price=10_000,
            unit="pack",
            stock=STOCK,
            photo="",
            created_at=now,
            updated_at=now,
        )
        await product.save()
        return product.id

    return _in_city(config, work)


def _token(page: httpx.Response) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    if not found:
        raise RuntimeError(f"no form token on {page.url}")
    return found[1]


class Buyer(threading.Thread):
    """Checks out one pack at a time until the server goes away; keeps what was acknowledged."""

    def __init__(self, base: str, login: str, product_id: int, acknowledged: list[str]) -> None:
        super().__init__(daemon=True)
        self.base, self.login, self.product_id = base, login, product_id
        self.acknowledged = acknowledged
        self.client = httpx.Client(timeout=10)

    def _sign_in(self) -> None:
        form = self.client.get(f"{self.base}/malang/masuk")
        self.client.post(
            f"{self.base}/malang/masuk",
            data={"_csrf_token": _token(form), "login": self.login, "password": PASSWORD},
        )

    def _buy(self) -> None:
        market = f"{self.base}/malang/umkm-market"
        add = self.client.get(f"{market}/keranjang/tambah?product_id={self.product_id}")
        self.client.post(
            f"{market}/keranjang/tambah",
            data={"_csrf_token": _token(add), "product_id": self.product_id, "quantity": "1"},
        )
        checkout = self.client.get(f"{market}/checkout")
        if "/masuk" in str(checkout.url):
            self._sign_in()
            return
        placed = self.client.post(
            f"{market}/checkout",
            data={"_csrf_token": _token(checkout), "phone": "081234567890", "payment": "cod"},
            follow_redirects=False,
        )
        location = placed.headers.get("location", "")
        if placed.status_code == 303 and "/pesanan/" in location:
            self.acknowledged.append(location.rstrip("/").rsplit("/", 1)[-1])

    def run(self) -> None:
        """Buy until the connection fails (the server was killed)."""
        try:
            self._sign_in()
            while True:
                self._buy()
        except (httpx.HTTPError, RuntimeError):
            return
        finally:
            self.client.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(config: Path, env: dict[str, str], log: Path) -> tuple[subprocess.Popen, str]:
    """Start `balai serve` and wait until it answers."""
    port = _free_port()
    with log.open("a") as out:
        process = subprocess.Popen(  # noqa: S603 (our own command)
            [balai_command(), "serve", "--config", str(config), "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"balai serve exited with {process.returncode}; see {log}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return process, base
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"balai serve did not answer within {START_SECONDS}s; see {log}")


def check(config: Path, env: dict[str, str], product_id: int, acknowledged: list[str]) -> None:
    """The rules of the round; raises AssertionError naming the first one broken."""
    from balai_umkm_market.tables import Order, OrderItem, Product

    async def read():
        orders = await Order.select(Order.id, Order.number)
        items = await OrderItem.select(OrderItem.order, OrderItem.quantity)
        product = await Product.select(Product.stock).where(Product.id == product_id).first()
        return orders, items, product["stock"]

    orders, items, stock = _in_city(config, read)
    numbers = {o["number"] for o in orders}
    lost = [n for n in acknowledged if n not in numbers]
    assert not lost, f"acknowledged orders lost: {lost[:5]}"
    with_items = {i["order"] for i in items}
    bare = [o["number"] for o in orders if o["id"] not in with_items]
    assert not bare, f"orders without items (half-made): {bare[:5]}"
    sold = sum(i["quantity"] for i in items)
    assert stock + sold == STOCK, f"stock {stock} + sold {sold} != {STOCK}"
    verified = subprocess.run(  # noqa: S603 (our own command)
        [balai_command(), "audit", "verify", "--config", str(config)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert verified.returncode == 0, f"audit verify failed: {verified.stdout}{verified.stderr}"


def _first_checkout(acknowledged: list[str], before: int) -> None:
    """Wait until this round's first checkout is acknowledged (a slow start is no test)."""
    deadline = time.monotonic() + START_SECONDS
    while len(acknowledged) == before and time.monotonic() < deadline:
        time.sleep(0.05)


def main(argv: list[str] | None = None) -> int:
    """Run the rounds; 0 when every round held."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--buyers", type=int, default=4)
    parser.add_argument(
        "--seconds", type=float, default=4.0, help="longest load after the first checkout"
    )
    parser.add_argument("--dir", type=Path, help="scratch folder [default: a new temporary one]")
    parser.add_argument("--seed", type=int, default=None, help="random seed, to repeat a run")
    args = parser.parse_args(argv)
    chance = random.Random(args.seed if args.seed is not None else secrets.randbits(32))  # noqa: S311 (when to kill, not a secret)
    folder = args.dir or Path(tempfile.mkdtemp(prefix="balai-kill-"))
    folder.mkdir(parents=True, exist_ok=True)
    config = write_instance(folder)
    env = {**os.environ, "BALAI_SECRET_KEY": secrets.token_urlsafe(48), "LANG": "C"}
    os.environ["BALAI_SECRET_KEY"] = env["BALAI_SECRET_KEY"]
    migrated = subprocess.run(  # noqa: S603 (our own command)
        [balai_command(), "migrate", "--config", str(config)], env=env, capture_output=True
    )
    if migrated.returncode != 0:
        print(migrated.stderr.decode(), file=sys.stderr)
        return 1
    product_id = seed(config, args.buyers)
    acknowledged: list[str] = []
    log = folder / "serve.log"
    for number in range(1, args.rounds + 1):
        process, base = serve(config, env, log)
        buyers = [
            Buyer(base, f"pembeli{n}@contoh.id", product_id, acknowledged)
            for n in range(args.buyers)
        ]
        before = len(acknowledged)
        for buyer in buyers:
            buyer.start()
        _first_checkout(acknowledged, before)  # the load is under way, then a random moment
        time.sleep(chance.uniform(0.0, args.seconds))
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        for buyer in buyers:
            buyer.join(timeout=30)
        try:
            check(config, env, product_id, acknowledged)
        except AssertionError as exc:
            print(f"round {number}: BROKEN: {exc}", file=sys.stderr)
            return 1
        print(f"round {number}: ok, {len(acknowledged)} acknowledged orders so far", flush=True)
    print(f"{args.rounds} rounds held: no acknowledged order lost, none half-made, audit verified")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
