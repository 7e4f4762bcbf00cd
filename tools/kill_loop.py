"""Kill -9 a serving worker at random moments, restart it, and check nothing was lost.

`balai serve` runs (one worker, jobs on, a 2-second job lease). Each round
of each scenario gives it work, waits until the work is under way, kills the
server's process group with SIGKILL after a random delay, starts it again,
waits until interrupted jobs have resumed and finished, and checks the
database; then `balai audit verify` must pass. Scenarios:

* ``checkout``: buyers check out of the market over HTTP. Every checkout the
  server acknowledged (a 303 to the order's page) is there; no order lacks
  its items; the product's stock plus every ordered quantity equals the
  stock seeded (nothing sold twice or lost).
* ``assessment``: the yearly PBB-P2 assessment (job ``pajak.assess_year``)
  of a fresh year over the seeded tax objects. The run resumes after the
  kill and finishes; every active object has exactly one bill of the year
  (none twice, none missing); the run's counts add up.
* ``import``: a spreadsheet of new tax objects through the core's importer
  (job ``imports.process``, the ``pajak.objects`` importer). The run resumes
  and finishes; every row is applied (none pending or failed) and each NOP
  of the sheet is there exactly once.
* ``payments``: citizens pay PBB bills: the pay step (VA at
  ``/bayar/<invoice>/mulai``), then the gateway's signed callback, every
  third one sent twice at once. Every acknowledged pay step has its attempt
  and every acknowledged callback its payment; no invoice is paid twice;
  payments sum to the paid invoices; each bill is paid exactly when its
  invoice is, with its principal.

Usage (SQLite in a scratch folder; set DATABASE_URL, and REDIS_URL with
REDIS_KEY_PREFIX, for PostgreSQL and Redis)::

    uv run python tools/kill_loop.py --rounds 100           # the bench's long form
    uv run python tools/kill_loop.py --rounds 2 --seconds 1  # CI's short form (a test)
    uv run python tools/kill_loop.py --scenario import --rounds 5

Exit code 0 when every round held, 1 with the first broken rule. The last
line sums up: rounds per scenario, acknowledged writes, runs resumed, payers
cut mid-payment.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import secrets
import sys
import tempfile
import threading
import time
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from balai.testing import write_config
from balai.testing.processes import ServeProcess, admin_app, in_city, run_balai, start_serve

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "kata-sandi-uji-bunuh-1"  # noqa: S105 (the scratch instance's buyers)
STOCK = 1_000_000
LEASE_SECONDS = 2
SETTLE_SECONDS = 240  # an interrupted job resumes and finishes within this
OBJECTS = 12_000  # more than two of the assessment's batches of 5,000
IMPORT_ROWS = 2_000  # four of the importer's batches of 500
FIRST_YEAR = 2014  # the demo rules are valid from 2014 (figures unverified)
SCENARIOS = ("checkout", "assessment", "import", "payments")
EXPIRED = "stopped: the worker stopped renewing its lease%"


class Broken(AssertionError):
    """A rule of the round does not hold."""


def write_instance(folder: Path) -> Path:
    """A one-city instance (the market and pajak with the demo's PBB rules) in ``folder``."""
    demo = tomllib.loads((ROOT / "examples" / "demo.toml").read_text(encoding="utf-8"))
    pbb = demo["cities"]["malang"]["settings"]["pajak"]["pbb"]
    write_config(
        folder,
        {"malang": ["umkm_market", "pajak"]},
        instance={
            "development": True,
            "workers": 1,
            "run_jobs": True,
            "job_lease_seconds": LEASE_SECONDS,
        },
        city_options={"malang": {"region_code": "35.73", "settings": {"pajak": {"pbb": pbb}}}},
        environ={"BALAI_SECRET_KEY": "x" * 48},
    )
    return folder / "balai.toml"


def _token(page: httpx.Response) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    if not found:
        raise RuntimeError(f"no form token on {page.url}")
    return found[1]


def sign_in(client: httpx.Client, base: str, login: str) -> None:
    """Sign ``client`` in to Malang as ``login`` (the scratch instance's password)."""
    form = client.get(f"{base}/malang/masuk")
    client.post(
        f"{base}/malang/masuk",
        data={"_csrf_token": _token(form), "login": login, "password": PASSWORD},
    )


def wait_for(what: str, test, seconds: float = SETTLE_SECONDS, every: float = 0.1) -> None:
    """Poll ``test()`` until it is true; :class:`Broken` naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not test():
        if time.monotonic() > deadline:
            raise Broken(f"{what}: not within {seconds}s")
        time.sleep(every)


class Loop:
    """The scratch instance and what the rounds share."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.folder = folder
        self.config = write_instance(folder)
        self.env = env
        self.log = folder / "serve.log"
        self.app = None  # built on the first read, after the migrations
        self.events = asyncio.new_event_loop()  # every read's: the app's Redis client stays on it
        self.database_url = env.get("DATABASE_URL") or f"sqlite:///{folder / 'data' / 'balai.db'}"

    def read(self, work):
        """Run ``work()`` in Malang against the servers' database."""
        if self.app is None:
            self.app = admin_app(self.config, self.env)
        return in_city(self.config, self.env, "malang", work, app=self.app, loop=self.events)

    def scalar(self, sql: str, *args: object) -> object:
        """The first value of a read-only query with ``?`` placeholders (no application built)."""
        if self.database_url.startswith("sqlite"):
            import sqlite3

            path = self.database_url.split("sqlite:///", 1)[1]
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30) as db:
                row = db.execute(sql, args).fetchone()
            return row[0] if row else None
        import asyncpg

        parts = sql.split("?")
        numbered = parts[0] + "".join(f"${n}{part}" for n, part in enumerate(parts[1:], 1))

        async def fetch():
            db = await asyncpg.connect(self.database_url)
            try:
                return await db.fetchval(numbered, *args)
            finally:
                await db.close()

        return asyncio.run(fetch())

    def audit_verified(self) -> None:
        """``balai audit verify`` passes, or :class:`Broken`."""
        verified = run_balai(["audit", "verify", "--config", str(self.config)], self.env)
        if verified.returncode != 0:
            raise Broken(f"audit verify failed: {verified.stdout}{verified.stderr}")

    def expired_runs(self, job: str) -> int:
        """How many runs of ``job`` were freed because their worker died."""
        return int(
            self.scalar(
                "SELECT COUNT(*) FROM balai_jobs_run WHERE job = ? AND status = ? AND error LIKE ?",
                job,
                "stopped",
                EXPIRED,
            )
            or 0
        )


# --- checkout ---------------------------------------------------------------------


class Buyer(threading.Thread):
    """Checks out one pack at a time until the server goes away; keeps what was acknowledged."""

    def __init__(self, base: str, login: str, product_id: int, acknowledged: list[str]) -> None:
        super().__init__(daemon=True)
        self.base, self.login, self.product_id = base, login, product_id
        self.acknowledged = acknowledged
        self.client = httpx.Client(timeout=10)

    def _sign_in(self) -> None:
        sign_in(self.client, self.base, self.login)

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


class Checkout:
    """Buyers checking out of the market."""

    name = "checkout"

    def __init__(self, loop: Loop, buyers: int) -> None:
        self.loop, self.buyers = loop, buyers
        self.acknowledged: list[str] = []
        self.threads: list[Buyer] = []
        self.product_id = 0

    def seed(self) -> None:
        """Seed what the rounds need."""
        from balai.auth.accounts import create_user
        from balai_umkm_market.tables import Merchant, MerchantStatus, Product

        async def work():
            now = datetime.now(UTC)
            for n in range(self.buyers):
                await create_user(
                    name=f"Pembeli {n}",
                    email=f"pembeli{n}@contoh.id",
                    password=PASSWORD,
                    verified=True,
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

        self.product_id = self.loop.read(work)

    def prepare(self, number: int) -> None:
        """Nothing to queue: the load comes over HTTP."""

    def load(self, server: ServeProcess) -> None:
        """Buyers check out until the server is killed; wait for a first acknowledged one."""
        before = len(self.acknowledged)
        self.threads = [
            Buyer(server.base, f"pembeli{n}@contoh.id", self.product_id, self.acknowledged)
            for n in range(self.buyers)
        ]
        for buyer in self.threads:
            buyer.start()
        wait_for("a first checkout", lambda: len(self.acknowledged) > before, every=0.05)

    def after_kill(self) -> None:
        """Wait for the load's clients to notice."""
        for buyer in self.threads:
            buyer.join(timeout=30)

    def settle(self) -> None:
        """Nothing runs in the background."""

    def check(self) -> None:
        """The round's rules; :class:`Broken` naming the first one broken."""
        from balai_umkm_market.tables import Order, OrderItem, Product

        async def read():
            orders = await Order.select(Order.id, Order.number)
            items = await OrderItem.select(OrderItem.order, OrderItem.quantity)
            product = await Product.select(Product.stock).where(Product.id == self.product_id)
            return orders, items, product[0]["stock"]

        orders, items, stock = self.loop.read(read)
        numbers = {o["number"] for o in orders}
        lost = [n for n in self.acknowledged if n not in numbers]
        if lost:
            raise Broken(f"acknowledged orders lost: {lost[:5]}")
        with_items = {i["order"] for i in items}
        bare = [o["number"] for o in orders if o["id"] not in with_items]
        if bare:
            raise Broken(f"orders without items (half-made): {bare[:5]}")
        sold = sum(i["quantity"] for i in items)
        if stock + sold != STOCK:
            raise Broken(f"stock {stock} + sold {sold} != {STOCK}")

    def summary(self) -> str:
        """What the rounds did so far, in a few words."""
        return f"{len(self.acknowledged)} acknowledged orders"


# --- the yearly assessment ------------------------------------------------------------


def object_nop(block: int, serial: int) -> str:
    """An 18-digit NOP of Malang (35.73) in ``block``."""
    return f"3573{10 * (1 + serial % 5):03d}{1 + serial % 11:03d}{block:03d}{serial:04d}0"


class Assessment:
    """The yearly PBB-P2 assessment of a new year each round, killed mid-run."""

    name = "assessment"
    job = "pajak.assess_year"

    def __init__(self, loop: Loop) -> None:
        self.loop = loop
        self.run_id = 0
        self.year = 0
        self.runs = 0

    def seed(self) -> None:
        """Seed what the rounds need."""
        from balai_pajak.bulk import insert_rows
        from balai_pajak.demo import OBJECT_COLUMNS
        from balai_pajak.tables import TaxObject, Taxpayer

        async def work():
            rng = random.Random(7)  # noqa: S311 (test data)
            now = datetime.now(UTC)
            people = [("malang", f"Wajib Pajak {n}", "", "", now) for n in range(OBJECTS)]
            await insert_rows(Taxpayer, ("city", "name", "nik", "address", "created_at"), people)
            first = (await Taxpayer.select(Taxpayer.id).order_by(Taxpayer.id).first())["id"]
            rows = []
            for n in range(OBJECTS):
                land = rng.randint(60, 600)
                building = int(land * rng.uniform(0.4, 1.6))
                rows.append(
                    (
                        "malang",
                        object_nop(n // 10_000, n % 10_000),
                        f"Jl. Uji No. {n}",
                        "Klojen",
                        "Kauman",
                        land,
                        building,
                        "A12",
                        "B3",
                        rng.randrange(800_000, 12_000_000, 50_000),
                        rng.randrange(1_000_000, 4_000_000, 50_000),
                        first + n,
                        True,
                        now,
                    )
                )
            await insert_rows(TaxObject, OBJECT_COLUMNS, rows)

        self.loop.read(work)

    def prepare(self, number: int) -> None:
        """Queue the run of a year no round assessed yet (the server is down)."""
        from balai_pajak.pbb.assessment_run import start_run

        self.year = FIRST_YEAR + number - 1
        self.run_id = self.loop.read(lambda: start_run(self.year, None))
        self.runs += 1

    def _status(self) -> str:
        return str(
            self.loop.scalar("SELECT status FROM pajak_assessment_run WHERE id = ?", self.run_id)
        )

    def load(self, server: ServeProcess) -> None:
        """Wait until the server's runner has claimed the run."""
        wait_for(
            "the assessment run starting",
            lambda: (
                self.loop.scalar("SELECT COUNT(*) FROM balai_jobs_run WHERE job = ?", self.job)
                >= self.runs
            ),
        )

    def after_kill(self) -> None:
        """The run was cut wherever it was."""

    def settle(self) -> None:
        """Wait until the work interrupted by the kill has finished."""
        wait_for("the assessment run resuming and finishing", lambda: self._status() == "done")

    def check(self) -> None:
        """The round's rules; :class:`Broken` naming the first one broken."""
        from balai_pajak.tables import AssessmentRun, Sppt, TaxObject

        async def read():
            active = await TaxObject.count().where(TaxObject.is_active == True)  # noqa: E712
            bills = await Sppt.count().where(Sppt.year == self.year)
            twice = await Sppt.raw(
                "SELECT nop FROM pajak_sppt WHERE year = {} GROUP BY nop HAVING COUNT(*) > 1",
                self.year,
            )
            run = await AssessmentRun.select().where(AssessmentRun.id == self.run_id).first()
            return active, bills, twice, run

        active, bills, twice, run = self.loop.read(read)
        if twice:
            raise Broken(f"{len(twice)} NOPs billed twice for {self.year}: {twice[:3]}")
        if bills != active:
            raise Broken(f"{bills} bills of {self.year} for {active} active objects")
        if run["created"] + run["kept"] != run["done"] or run["done"] != active:
            raise Broken(f"run counts do not add up: {run}")

    def summary(self) -> str:
        """What the rounds did so far, in a few words."""
        return f"{self.runs} assessment runs, {self.loop.expired_runs(self.job)} resumed"


# --- spreadsheet imports ----------------------------------------------------------------


class SheetImport:
    """A sheet of new tax objects through the core's importer each round, killed mid-run."""

    name = "import"
    job = "imports.process"

    def __init__(self, loop: Loop) -> None:
        self.loop = loop
        self.run_id = 0
        self.nops: list[str] = []
        self.runs = 0

    def seed(self) -> None:
        """The importer needs nothing seeded."""

    def prepare(self, number: int) -> None:
        """Store a sheet of new objects as an import run and queue it (the server is down)."""
        from balai.imports import service
        from balai.imports.parsing import parse_upload
        from balai.tenants import current_city

        self.nops = [object_nop(500 + number, serial) for serial in range(IMPORT_ROWS)]
        lines = [
            "nop;alamat;kecamatan;kelurahan;luas_bumi;njop_bumi_per_m2;nama_wp;alamat_wp",
            *(
                f"{nop};Jl. Impor {n};Klojen;Kauman;{100 + n % 400};1500000;"
                f"Pemilik {number}-{n};Jl. Impor {n}"
                for n, nop in enumerate(self.nops)
            ),
        ]
        data = ("\n".join(lines) + "\n").encode()

        async def work():
            importer = service.active().catalog.get("pajak.objects", current_city())
            sheet = parse_upload(
                data, importer.columns, max_rows=importer.max_rows, max_bytes=importer.max_bytes
            )
            return await service.start_run(
                current_city(),
                importer,
                sheet,
                user_id=None,
                context={},
                file_name=f"objek-{number}.csv",
                language="id",
            )

        self.run_id = self.loop.read(work)
        self.runs += 1

    def _status(self) -> str:
        return str(
            self.loop.scalar("SELECT status FROM balai_imports_run WHERE id = ?", self.run_id)
        )

    def load(self, server: ServeProcess) -> None:
        """Wait until a worker holds the run."""
        wait_for(
            "the import run starting",
            lambda: self._status() != "queued",
        )

    def after_kill(self) -> None:
        """The run was cut wherever it was."""

    def settle(self) -> None:
        """Wait until the work interrupted by the kill has finished."""
        wait_for(
            "the import run resuming and finishing",
            lambda: self._status() == "done",
        )

    def check(self) -> None:
        """The round's rules; :class:`Broken` naming the first one broken."""
        from balai.imports.tables import ImportRow, ImportRun
        from balai_pajak.tables import TaxObject

        async def read():
            run = await ImportRun.select().where(ImportRun.id == self.run_id).first()
            states = await ImportRow.raw(
                "SELECT status, COUNT(*) AS n FROM balai_imports_row"
                " WHERE run = {} GROUP BY status",
                self.run_id,
            )
            objects = await TaxObject.select(TaxObject.nop).where(TaxObject.nop.is_in(self.nops))
            return run, {s["status"]: s["n"] for s in states}, [o["nop"] for o in objects]

        run, states, found = self.loop.read(read)
        if states != {"ok": IMPORT_ROWS}:
            raise Broken(f"import run {self.run_id} rows not all applied once: {states}")
        if (run["ok"], run["failed"], run["done"]) != (IMPORT_ROWS, 0, IMPORT_ROWS):
            raise Broken(f"import run counts do not add up: {run}")
        if sorted(found) != sorted(self.nops):
            raise Broken(f"{len(found)} objects for {len(self.nops)} imported NOPs (none twice)")

    def summary(self) -> str:
        """What the rounds did so far, in a few words."""
        return f"{self.runs} import runs, {self.loop.expired_runs(self.job)} resumed"


# --- payments ---------------------------------------------------------------------


PAY_YEAR = FIRST_YEAR - 1  # a year no assessment round bills
PAY_BLOCK = 700  # NOP blocks of the paid bills (the assessment's are 0-1, imports' 501-600)
BILLS_PER_PAYER = 40  # more than a payer settles before the kill
CALLBACK_PATH = "/malang/api/bayar/callback/va"


class Payer(threading.Thread):
    """Pays their bills one by one (VA, then the gateway's signed callback) until cut.

    Acting as the citizen, it starts each payment at ``/bayar/<number>/mulai``;
    acting as the gateway, it reads the payment from the sandbox bank's book
    and sends its signed callback, every third one twice at once.
    """

    def __init__(self, scenario: Payments, base: str, login: str, numbers: list[str]) -> None:
        super().__init__(daemon=True)
        self.scenario, self.base, self.login, self.numbers = scenario, base, login, numbers
        self.client = httpx.Client(timeout=10)
        self.outcome = "working"

    def _sign_in(self) -> None:
        sign_in(self.client, self.base, self.login)

    def _callback(self, body: bytes) -> httpx.Response:
        from balai.payments import snap

        headers = snap.signed_headers(
            self.scenario.secret, self.scenario.partner, "POST", CALLBACK_PATH, body
        )
        with httpx.Client(timeout=10) as gateway:
            return gateway.post(
                f"{self.base}{CALLBACK_PATH}", content=body, headers=headers.as_dict()
            )

    def _pay(self, number: str, serial: int) -> None:
        from balai.payments import snap

        page = self.client.get(f"{self.base}/malang/bayar/{number}")
        started = self.client.post(
            f"{self.base}/malang/bayar/{number}/mulai",
            data={"_csrf_token": _token(page), "method": "va"},
            follow_redirects=False,
        )
        if started.status_code != 303 or "/masuk" in started.headers.get("location", ""):
            raise RuntimeError(f"paying {number}: answered {started.status_code}")
        self.scenario.started.append(number)
        # The gateway's side: the payment it opened for this invoice, now paid.
        found = self.scenario.loop.scalar(
            "SELECT reference || ' ' || partner_reference || ' ' || CAST(amount AS TEXT)"
            " FROM balai_payments_sandbox_txn WHERE partner_reference LIKE ? ORDER BY id DESC",
            f"{number}-%",
        )
        if not found:
            raise RuntimeError(f"paying {number}: acknowledged, but the gateway has no payment")
        reference, attempt, amount = str(found).split(" ")
        body = snap.minify(
            {
                "eventId": f"{reference}-paid",
                "partnerServiceId": self.scenario.partner,
                "partnerReferenceNo": attempt,
                "referenceNo": reference,
                "channel": "va",
                "latestTransactionStatus": "00",
                "paidAmount": {"value": f"{amount}.00", "currency": "IDR"},
                "transactionDate": datetime.now(UTC).replace(microsecond=0).isoformat(),
            }
        )
        answers: list[httpx.Response] = []
        twice = serial % 3 == 0

        def second_copy() -> None:
            with contextlib.suppress(httpx.HTTPError):  # counted below as not answered
                answers.append(self._callback(body))

        if twice:  # a gateway that duplicates: the second copy at the same moment
            copy = threading.Thread(target=second_copy)
            copy.start()
        answers.append(self._callback(body))
        if twice:
            copy.join(timeout=15)
            if len(answers) < 2:
                raise httpx.TransportError("the second copy got no answer")
        for answer in answers:
            if answer.status_code != 200 or answer.json().get("responseCode") != "2002500":
                raise RuntimeError(f"callback of {number}: {answer.status_code} {answer.text}")
        self.scenario.acknowledged.append(number)

    def run(self) -> None:
        """Pay until the server is killed (``cut``) or the bills run out (``finished``)."""
        try:
            self._sign_in()
            for serial, number in enumerate(self.numbers):
                self._pay(number, serial)
            self.outcome = "finished"
        except httpx.HTTPError:
            self.outcome = "cut"
        except RuntimeError as exc:
            self.scenario.errors.append(str(exc))
            self.outcome = "failed"
        finally:
            self.client.close()


class Payments:
    """Citizens paying PBB bills by VA, confirmed by signed gateway callbacks."""

    name = "payments"

    def __init__(self, loop: Loop, payers: int) -> None:
        self.loop, self.payers = loop, payers
        self.started: list[str] = []  # pay steps the server acknowledged (303)
        self.acknowledged: list[str] = []  # invoices whose callback was answered "Successful"
        self.errors: list[str] = []
        self.numbers: list[list[str]] = []  # this round's invoices, per payer
        self.threads: list[Payer] = []
        self.user_ids: list[int] = []
        self.made = 0
        self.cut = 0
        self.secret = self.partner = ""

    def seed(self) -> None:
        """The payers' accounts, and the gateway's secret and the city's partner id."""
        from balai.auth.accounts import create_user
        from balai.config import load_config
        from balai.payments.settings import gateway_secret, settings_for

        config = load_config(self.loop.config, environ=self.loop.env)
        self.secret = gateway_secret(config) or ""
        self.partner = settings_for(config, config.cities["malang"]).partner_id

        async def work():
            return [
                await create_user(
                    name=f"Pembayar {n}",
                    email=f"pembayar{n}@contoh.id",
                    password=PASSWORD,
                    verified=True,
                )
                for n in range(self.payers)
            ]

        self.user_ids = self.loop.read(work)

    def prepare(self, number: int) -> None:
        """Bill each payer ``BILLS_PER_PAYER`` PBB bills, each with its pending invoice."""
        from balai import toolkit as tk
        from balai.tenants import current_city
        from balai_pajak.pbb import penalty
        from balai_pajak.pbb.payment import SOURCE, invoice_items, source_ref
        from balai_pajak.tables import BillPayment, Sppt, TaxObject

        async def work():
            city = current_city()
            now = datetime.now(UTC)
            today = datetime.now(city.tz).date()
            numbers = []
            for payer, user_id in enumerate(self.user_ids):
                mine = []
                for _ in range(BILLS_PER_PAYER):
                    nop = object_nop(PAY_BLOCK + self.made // 10_000, self.made % 10_000)
                    self.made += 1
                    land = await TaxObject.insert(
                        TaxObject(
                            nop=nop,
                            address="Jl. Bayar 1",
                            district="Klojen",
                            village="Kauman",
                            land_area=100,
                            updated_at=now,
                        )
                    ).returning(TaxObject.id)
                    bill = Sppt(
                        tax_object=land[0]["id"],
                        nop=nop,
                        year=PAY_YEAR,
                        taxpayer_name=f"Pembayar {payer}",
                        tax_due=50_000 + self.made % 50 * 1_000,
                        due_date=today + timedelta(days=365),
                        status="unpaid",
                        regulation="kill loop (figures unverified)",
                        created_at=now,
                    )
                    await bill.save()
                    row = await Sppt.select().where(Sppt.id == bill.id).first()
                    owed = {bill.id: penalty.amount_owed(row, today, city)}
                    invoice = await tk.create_invoice(
                        payer_id=user_id,
                        payer_name=f"Pembayar {payer}",
                        items=invoice_items([row], owed),
                        due_at=now + timedelta(days=30),
                        source=SOURCE,
                        source_ref=source_ref([bill.id]),
                    )
                    await BillPayment(
                        invoice_number=invoice.number,
                        sppt=bill.id,
                        principal=owed[bill.id].principal,
                        penalty=owed[bill.id].penalty,
                        created_at=now,
                        status="pending",
                    ).save()
                    mine.append(invoice.number)
                numbers.append(mine)
            return numbers

        self.numbers = self.loop.read(work)

    def load(self, server: ServeProcess) -> None:
        """Payers pay until the server is killed; wait for a first acknowledged callback."""
        before = len(self.acknowledged)
        self.threads = [
            Payer(self, server.base, f"pembayar{n}@contoh.id", self.numbers[n])
            for n in range(self.payers)
        ]
        for payer in self.threads:
            payer.start()
        wait_for("a first paid invoice", lambda: len(self.acknowledged) > before or self.errors)

    def after_kill(self) -> None:
        """Wait for the payers to notice; count those the kill cut mid-work."""
        for payer in self.threads:
            payer.join(timeout=30)
        self.cut += sum(1 for payer in self.threads if payer.outcome == "cut")

    def settle(self) -> None:
        """Nothing runs in the background that the checks need."""

    def check(self) -> None:
        """The round's rules; :class:`Broken` naming the first one broken."""
        from balai.payments.tables import Payment, PaymentAttempt, PaymentInvoice
        from balai_pajak.pbb.payment import SOURCE
        from balai_pajak.tables import BillPayment, Sppt

        if self.errors:
            raise Broken(f"payments answered wrongly: {self.errors[:3]}")

        async def read():
            invoices = await PaymentInvoice.select(
                PaymentInvoice.id,
                PaymentInvoice.number,
                PaymentInvoice.status,
                PaymentInvoice.amount,
            ).where(PaymentInvoice.source == SOURCE)
            payments = await Payment.select(Payment.invoice_id, Payment.amount)
            attempts = await PaymentAttempt.select(PaymentAttempt.invoice_id)
            rows = await BillPayment.select()
            bills = await Sppt.select().where(Sppt.year == PAY_YEAR)
            return invoices, payments, attempts, rows, bills

        invoices, payments, attempts, rows, bills = self.loop.read(read)
        by_number = {i["number"]: i for i in invoices}
        paid_of: dict[int, list[int]] = {}
        for payment in payments:
            paid_of.setdefault(payment["invoice_id"], []).append(payment["amount"])
        twice = [i["number"] for i in invoices if len(paid_of.get(i["id"], [])) > 1]
        if twice:
            raise Broken(f"invoices paid twice: {twice[:5]}")
        with_attempt = {a["invoice_id"] for a in attempts}
        lost = [n for n in self.started if by_number[n]["id"] not in with_attempt]
        if lost:
            raise Broken(f"acknowledged pay steps lost: {lost[:5]}")
        unpaid = [
            n
            for n in self.acknowledged
            if by_number[n]["status"] != "paid" or by_number[n]["id"] not in paid_of
        ]
        if unpaid:
            raise Broken(f"acknowledged callbacks whose payment is not recorded: {unpaid[:5]}")
        half = [i["number"] for i in invoices if (i["status"] == "paid") != (i["id"] in paid_of)]
        if half:
            raise Broken(f"invoice status and payments disagree (half-made): {half[:5]}")
        received = sum(sum(paid_of.get(i["id"], [])) for i in invoices)
        owed = sum(i["amount"] for i in invoices if i["status"] == "paid")
        if received != owed:
            raise Broken(f"payments sum to {received}, paid invoices to {owed}")
        row_of = {r["invoice_number"]: r for r in rows}
        bill_of = {b["id"]: b for b in bills}
        for invoice in invoices:
            row = row_of[invoice["number"]]
            bill = bill_of[row["sppt"]]
            paid = invoice["status"] == "paid"
            held = (row["status"] == "paid", bill["status"] == "paid") == (paid, paid) and (
                not paid
                or (
                    bill["paid_principal"] == row["principal"]
                    and bill["invoice_number"] == invoice["number"]
                )
            )
            if not held:
                raise Broken(f"bill and invoice {invoice['number']} disagree: {bill} {row}")

    def summary(self) -> str:
        """What the rounds did so far, in a few words."""
        return (
            f"{len(self.acknowledged)} acknowledged payments, {len(self.started)} started,"
            f" {self.cut} payers cut"
        )


def main(argv: list[str] | None = None) -> int:
    """Run the rounds; 0 when every round held."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=100, help="rounds of each scenario")
    parser.add_argument(
        "--scenario", choices=(*SCENARIOS, "all"), default="all", help="[default: all]"
    )
    parser.add_argument("--buyers", type=int, default=4)
    parser.add_argument(
        "--seconds", type=float, default=3.0, help="longest wait after the work got under way"
    )
    parser.add_argument("--dir", type=Path, help="scratch folder [default: a new temporary one]")
    parser.add_argument("--seed", type=int, default=None, help="random seed, to repeat a run")
    args = parser.parse_args(argv)
    chance = random.Random(args.seed if args.seed is not None else secrets.randbits(32))  # noqa: S311 (when to kill, not a secret)
    folder = args.dir or Path(tempfile.mkdtemp(prefix="balai-kill-"))
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "BALAI_SECRET_KEY": secrets.token_urlsafe(48), "LANG": "C"}
    loop = Loop(folder, env)
    migrated = run_balai(["migrate", "--config", str(loop.config)], env)
    if migrated.returncode != 0:
        print(migrated.stderr, file=sys.stderr)
        return 1
    every = {
        "checkout": lambda: Checkout(loop, args.buyers),
        "assessment": lambda: Assessment(loop),
        "import": lambda: SheetImport(loop),
        "payments": lambda: Payments(loop, args.buyers),
    }
    chosen = SCENARIOS if args.scenario == "all" else (args.scenario,)
    scenarios = [every[name]() for name in chosen]
    for scenario in scenarios:
        scenario.seed()
    server = start_serve(loop.config, env, loop.log)
    try:
        for number in range(1, args.rounds + 1):
            for scenario in scenarios:
                try:
                    scenario.prepare(number)
                    scenario.load(server)
                    time.sleep(chance.uniform(0.0, args.seconds))
                    server.kill()
                    scenario.after_kill()
                    server = start_serve(loop.config, env, loop.log)
                    scenario.settle()
                    scenario.check()
                    loop.audit_verified()
                except Broken as exc:
                    print(f"round {number} ({scenario.name}): BROKEN: {exc}", file=sys.stderr)
                    return 1
                print(f"round {number} ({scenario.name}): ok, {scenario.summary()}", flush=True)
    finally:
        server.stop()
    sums = "; ".join(f"{s.name}: {s.summary()}" for s in scenarios)
    print(f"{args.rounds} rounds held: nothing lost, half-made or twice; audit verified; {sums}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
