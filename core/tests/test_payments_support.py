"""Shared fixtures and helpers of the payments tests (this module holds no tests).

The app is built with every built-in plugin plus ``toko``, a tiny test plugin
registered directly on the registry: it creates invoices through the
toolkit and records each ``invoice_settled`` / ``invoice_expired`` /
``invoice_refunded`` call it receives, so tests can prove a hook fired once.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from balai import toolkit as tk
from balai.builtins import builtin_plugins
from balai.config import Config
from balai.payments import snap
from balai.payments.settings import DEVELOPMENT_GATEWAY_SECRET, settings_for
from balai.payments.tables import PaymentAttempt
from balai.plugins import PluginRegistry
from balai.testing import TestDatabases, build_app

TOKO = "toko"
BUILTINS_USED = ("core", "jobs", "audit", "dashboard", "payments", "payments_sandbox")


class TokoPlugin:
    """A shop that bills through the ledger and remembers what it was told."""

    def __init__(self) -> None:
        self.settled: list[tuple[str, str]] = []
        self.expired: list[tuple[str, str]] = []
        self.refunded: list[tuple[str, str]] = []

    @tk.hookimpl
    def plugin_info(self) -> tk.PluginInfo:
        return tk.PluginInfo(
            slug=TOKO, title="Test shop", dimension=tk.Dimension.ECONOMY, version="0.0.1"
        )

    @tk.hookimpl
    def invoice_settled(self, city: tk.City, invoice: tk.Invoice) -> None:
        if invoice.source == TOKO:
            assert invoice.status == tk.InvoiceStatus.PAID
            self.settled.append((city.slug, invoice.number))

    @tk.hookimpl
    def invoice_expired(self, city: tk.City, invoice: tk.Invoice) -> None:
        if invoice.source == TOKO:
            self.expired.append((city.slug, invoice.number))

    @tk.hookimpl
    def invoice_refunded(self, city: tk.City, invoice: tk.Invoice) -> None:
        if invoice.source == TOKO:
            self.refunded.append((city.slug, invoice.number))


@pytest.fixture
def toko() -> TokoPlugin:
    """The test shop plugin of this test."""
    return TokoPlugin()


@pytest.fixture
def balai_cities() -> dict[str, list[str]]:
    """Both cities enable the shop (wrong-city tests need an invoice in each)."""
    return {"malang": [TOKO], "semarang": [TOKO]}


def payments_app(
    config: Config, databases: TestDatabases, database_url: str, toko: TokoPlugin
) -> Any:
    """The built-ins payments needs plus ``toko``, migrated, on an empty database.

    The core, jobs, audit (cash confirmations are audited), the dashboard
    (settlement counts revenue per channel), payments and the
    sandbox bank: the other built-in services are left out so that these
    tests do not depend on them.
    """
    registry = PluginRegistry()
    builtins = builtin_plugins()
    for slug in BUILTINS_USED:
        registry.register(builtins[slug], slug)
    registry.register(toko, TOKO)
    return build_app(config, databases, database_url=database_url, registry=registry)


@pytest.fixture
def balai_app(
    balai_config: Config,
    balai_database_url: str,
    balai_test_databases: TestDatabases,
    balai_fast_passwords: None,
    toko: TokoPlugin,
) -> Any:
    """The payments app (see :func:`payments_app`) on the test's database."""
    return payments_app(balai_config, balai_test_databases, balai_database_url, toko)


def new_invoice(
    city_run: Any,
    *,
    city: str = "malang",
    amount: int = 15000,
    payer_id: int | None = None,
    due_in: timedelta = timedelta(days=3),
    ref: str = "order-1",
    kind: tk.InvoiceKind = tk.InvoiceKind.GOODS,
) -> tk.Invoice:
    """Create a ``toko`` invoice of ``amount`` in ``city`` (coffee and its delivery: goods)."""

    async def create() -> tk.Invoice:
        return await tk.create_invoice(
            payer_id=payer_id,
            payer_name="Siti Rahayu",
            items=[
                tk.InvoiceItem("Kopi Dampit 250 g", amount - 5000),
                tk.InvoiceItem("Ongkos kirim", 5000),
            ],
            due_at=datetime.now(UTC) + due_in,
            source=TOKO,
            source_ref=ref,
            kind=kind,
        )

    return city_run(city, create)


def start_payment(
    client: Any, post_form: Any, invoice: tk.Invoice, method: str, city: str = "malang"
) -> Any:
    """Choose ``method`` on the invoice page (anonymous, with the invoice's token)."""
    return post_form(
        f"/{city}/bayar/{invoice.number}/mulai", {"method": method, "t": invoice.access_token}
    )


def latest_attempt(city_run: Any, invoice: tk.Invoice, city: str = "malang") -> dict[str, Any]:
    """The invoice's newest payment attempt row."""

    async def read() -> dict[str, Any]:
        return await (
            PaymentAttempt.select()
            .where(PaymentAttempt.invoice_id == invoice.id)
            .order_by(PaymentAttempt.id, ascending=False)
            .first()
        )

    return city_run(city, read)


def partner_of(app: Any, city: str = "malang") -> str:
    """The gateway partner id of ``city``."""
    return settings_for(app.ui.config, app.ui.config.cities[city]).partner_id


def callback_body(
    attempt: dict[str, Any],
    *,
    partner: str,
    amount: int | None = None,
    event_id: str = "",
    status: str = "00",
) -> bytes:
    """A gateway callback body for ``attempt``, minified as the gateway sends it."""
    return snap.minify(
        {
            "eventId": event_id or f"EV-{attempt['reference']}",
            "partnerServiceId": partner,
            "partnerReferenceNo": attempt["reference"],
            "referenceNo": attempt["external_id"] or "SBX0",
            "channel": attempt["provider"],
            "latestTransactionStatus": status,
            "paidAmount": {
                "value": f"{attempt['amount'] if amount is None else amount}.00",
                "currency": "IDR",
            },
            "transactionDate": datetime.now(UTC).isoformat(),
        }
    )


def signed(
    path: str,
    body: bytes,
    *,
    partner: str,
    secret: str = DEVELOPMENT_GATEWAY_SECRET,
    now: datetime | None = None,
) -> dict[str, str]:
    """SNAP headers for a POST of ``body`` to ``path``."""
    return snap.signed_headers(secret, partner, "POST", path, body, now=now).as_dict()


def callback_path(provider: str, city: str = "malang") -> str:
    """The callback endpoint of ``provider`` in ``city``."""
    return f"/{city}/api/bayar/callback/{provider}"


def invoice_status(city_run: Any, invoice: tk.Invoice, city: str = "malang") -> str:
    """The invoice's status as stored."""
    from balai.payments.ledger import invoice_by_id

    async def read() -> str:
        found = await invoice_by_id(invoice.id)
        assert found is not None
        return found.status.value

    return city_run(city, read)


def count_rows(city_run: Any, table: Any, city: str = "malang", where: Any = None) -> int:
    """Rows of a city table in ``city`` (optionally filtered)."""

    async def read() -> int:
        query = table.count()
        if where is not None:
            query = query.where(where)
        return await query

    return city_run(city, read)


_HREF = re.compile(r'href="([^"]*sandbox-bank/[^"]+)"')


def sandbox_link(page_html: str) -> str:
    """The sandbox bank link on an invoice page."""
    found = _HREF.search(page_html)
    assert found, "no sandbox bank link on the page"
    return found.group(1)


def as_json(response: Any) -> dict[str, Any]:
    """A response's JSON body."""
    return json.loads(response.text)
