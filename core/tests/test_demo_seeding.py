"""Demo-only tools for plugins: demo accounts and settled payments, only while seeding."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from balai import demo
from balai import toolkit as tk
from balai.asgi import connected
from balai.auth.accounts import authenticate
from balai.builtins import builtin_plugins
from balai.dashboard.tables import DailyMetric
from balai.hookimpl import hookimpl
from balai.payments.tables import Payment, PaymentEvent, PaymentInvoice, PaymentInvoiceItem
from balai.plugins import PluginRegistry
from balai.tables import RoleGrant, User
from balai.tenants import city_scope
from balai.types import DemoReport, Dimension, Permission, PluginInfo, Role


def run_in(app, city_slug, fn):
    """``fn()`` awaited in ``city_slug`` with the app's database connected."""

    async def scoped():
        async with connected(app):
            with city_scope(app.ui.config.cities[city_slug]):
                return await fn()

    return asyncio.run(scoped())


def registry_with(*plugins: tuple[str, object]) -> PluginRegistry:
    """The core with its built-in services (payments among them) and ``plugins``."""
    registry = PluginRegistry()
    for slug, module in builtin_plugins().items():
        registry.register(module, slug)
    for slug, obj in plugins:
        registry.register(obj, slug)
    return registry


class Kasir:
    """A test plugin whose demo data has an owner account and two paid invoices."""

    def __init__(self) -> None:
        self.numbers: list[tk.SeededPayment] = []
        self.ids: dict[str, int] = {}

    @hookimpl
    def plugin_info(self):
        return PluginInfo(slug="kasir", title="Till", dimension=Dimension.ECONOMY, version="1")

    @hookimpl
    def permissions(self):
        return [Permission("kasir.sell", "Sell")]

    @hookimpl
    def roles(self):
        return [Role("kasir.owner", "Shop owner", ("kasir.sell",))]

    @hookimpl
    async def seed_demo(self, city):
        owner = await tk.demo_user(f"pemilik@{city.slug}.test", "Bu Pemilik", role="kasir.owner")
        citizen = await tk.demo_user(f"warga@{city.slug}.test", "ignored: already there")
        self.ids = {"owner": owner.id, "citizen": citizen.id}
        paid_at = datetime.now(UTC) - timedelta(days=3)
        self.numbers = await tk.seed_paid_invoices(
            [
                tk.DemoPayment(
                    payer_id=citizen.id,
                    payer_name="Warga",
                    items=[tk.InvoiceItem("Kopi", 15_000), tk.InvoiceItem("Roti", 5_000)],
                    source="kasir",
                    source_ref="order:1",
                    channel="qris",
                    paid_at=paid_at,
                ),
                tk.DemoPayment(
                    payer_id=None,
                    payer_name="Tamu",
                    items=[tk.InvoiceItem("Teh", 7_000)],
                    source="kasir",
                    source_ref="order:2",
                    channel="cash",
                    paid_at=paid_at,
                ),
            ]
        )
        return DemoReport(accounts=[owner.account, citizen.account], summary=["2 sales"])


@pytest.fixture
def app_with_kasir(
    tmp_path, monkeypatch, balai_database_url, balai_test_databases, balai_fast_passwords
):
    from dataclasses import replace

    from balai.testing import write_config
    from balai.web.app import create_app

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    config = write_config(tmp_path / "instance", {"malang": ["kasir"], "semarang": []})
    plugin = Kasir()
    app = create_app(
        replace(config, database_url=balai_database_url),
        registry=registry_with(("kasir", plugin)),
    )
    balai_test_databases.prepare(app.ui.database)
    return app, plugin


def test_plugin_demo_accounts_and_payments_are_made_while_seeding(app_with_kasir):
    app, plugin = app_with_kasir
    seeds = asyncio.run(demo.prepare(app))
    malang = {s.city: s for s in seeds}["malang"]

    logins = [a.login for a in malang.accounts]
    assert logins.count("warga@malang.test") == 1  # found, not made again, printed once
    owner = next(a for a in malang.accounts if a.login == "pemilik@malang.test")
    assert (owner.password, owner.role) == ("demo-malang-2026", "kasir.owner")
    assert run_in(app, "malang", lambda: authenticate("pemilik@malang.test", owner.password))
    grants = run_in(app, "malang", lambda: RoleGrant.select(RoleGrant.role, RoleGrant.user))
    assert {"role": "kasir.owner", "user": plugin.ids["owner"]} in grants
    citizen = run_in(app, "malang", lambda: User.select().where(User.email == "warga@malang.test"))
    assert (
        citizen[0]["id"] == plugin.ids["citizen"] and citizen[0]["name"] != "ignored: already there"
    )

    officer = run_in(
        app, "malang", lambda: User.select().where(User.email == "payments.officer@malang.test")
    )
    assert officer[0]["name"].startswith("Petugas pembayaran")  # named in the city's language
    invoices = run_in(app, "malang", lambda: PaymentInvoice.select().order_by(PaymentInvoice.id))
    assert [(i["number"], i["status"], i["amount"], i["provider"]) for i in invoices] == [
        (plugin.numbers[0].invoice_number, "paid", 20_000, "qris"),
        (plugin.numbers[1].invoice_number, "paid", 7_000, "cash"),
    ]
    assert invoices[0]["payer_id"] == plugin.ids["citizen"]
    items = run_in(
        app, "malang", lambda: PaymentInvoiceItem.select().order_by(PaymentInvoiceItem.id)
    )
    assert [(i["description"], i["amount"]) for i in items] == [
        ("Kopi", 15_000),
        ("Roti", 5_000),
        ("Teh", 7_000),
    ]
    payments = run_in(app, "malang", lambda: Payment.select().order_by(Payment.id))
    assert [p["number"] for p in payments] == [n.payment_number for n in plugin.numbers]
    assert all(p["number"].startswith(f"PAY-{p['paid_at'].year}-") for p in payments)
    events = run_in(app, "malang", lambda: PaymentEvent.select())
    assert {(e["kind"], e["outcome"]) for e in events} == {("paid", "settled")}
    metrics = run_in(
        app, "malang", lambda: DailyMetric.select().where(DailyMetric.metric.like("payments.%"))
    )
    assert {(m["metric"], m["value"]) for m in metrics} == {
        ("payments.count.qris", 1),
        ("payments.revenue.qris", 20_000),
        ("payments.count.cash", 1),
        ("payments.revenue.cash", 7_000),
    }
    assert run_in(app, "semarang", PaymentInvoice.count) == 0


def test_demo_gateway_payments_reconcile_with_the_sandbox_bank(app_with_kasir, monkeypatch):
    from balai.payments import reconcile
    from balai.payments.sandbox import bank
    from balai.payments.settings import settings_for

    monkeypatch.setenv("BALAI_SANDBOX_BANK", "1")
    app, plugin = app_with_kasir
    asyncio.run(demo.prepare(app))
    city = app.ui.config.cities["malang"]
    partner = settings_for(app.ui.config, city).partner_id
    day = (datetime.now(UTC) - timedelta(days=3)).astimezone(reconcile.WIB).date()

    async def both_sides():
        ledger = await reconcile.ledger_day(day)
        gateway = reconcile._gateway_amounts(await bank.settlement_report(partner, day.isoformat()))
        return ledger, gateway

    ledger, gateway = run_in(app, "malang", both_sides)
    assert ledger == {f"{plugin.numbers[0].invoice_number}-DEMO": 20_000}  # QRIS; cash is not
    assert reconcile.compare(ledger, gateway) == (1, [])


def test_seeded_payments_are_refused_when_the_ledger_would_refuse_them(app_with_kasir):
    from balai.seeding import seeding

    app, _ = app_with_kasir
    asyncio.run(demo.prepare(app))
    past = datetime.now(UTC) - timedelta(hours=1)

    def attempt(**change):
        fields = dict(
            payer_id=None,
            payer_name="X",
            items=[tk.InvoiceItem("A", 1_000)],
            source="kasir",
            source_ref="r",
            channel="va",
            paid_at=past,
        )
        fields.update(change)

        async def go():
            with seeding("pw"):
                return await tk.seed_paid_invoices([tk.DemoPayment(**fields)])

        return run_in(app, "malang", go)

    for change in (
        {"channel": "bitcoin"},
        {"paid_at": datetime.now(UTC) + timedelta(hours=1)},
        {"items": [tk.InvoiceItem("A", 0)]},
        {"source_ref": ""},
    ):
        with pytest.raises(tk.LedgerError):
            attempt(**change)
    assert len(attempt()) == 1


def test_demo_tools_refuse_outside_seeding(app_with_kasir):
    app, _ = app_with_kasir
    asyncio.run(demo.prepare(app))
    with pytest.raises(tk.NotSeedingError):
        run_in(app, "malang", lambda: tk.demo_user("x@malang.test", "X"))
    with pytest.raises(tk.NotSeedingError):
        run_in(app, "malang", lambda: tk.seed_paid_invoices([]))
