"""Shared fixtures and helpers of the partners tests (this module holds no tests).

The app is the payments app of ``test_payments_support`` (with its ``toko``
shop, which bills through the ledger and records the hooks it hears) plus
the partners service. A partner is added in Malang with an RSA key; helpers
sign requests as a partner does (:mod:`balai.partners.partner_side`).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import test_payments_support as payments
from balai import toolkit as tk
from balai.builtins import builtin_plugins
from balai.config import Config
from balai.partners import credentials, manage, partner_side
from balai.partners.partner_side import PartnerKeys
from balai.partners.tables import PartnerInquiry, PartnerMessage, PartnerPayment
from balai.payments.tables import Payment, PaymentEvent
from balai.plugins import PluginRegistry
from balai.testing import TestDatabases, build_app

BUILTINS_USED = (*payments.BUILTINS_USED, "partners")
MALANG_TZ = ZoneInfo("Asia/Jakarta")
LAPAK = "lapak"
_KEYS: dict[str, tuple[str, str]] = {}


def key_pair(kind: str = "rsa") -> tuple[str, str]:
    """A partner key pair (PEM private, public), made once per kind per run (RSA is slow)."""
    if kind not in _KEYS:
        _KEYS[kind] = credentials.new_key_pair(kind)
    return _KEYS[kind]


class LapakPlugin:
    """A market stall office that answers ``payables`` for stall codes ``LAPAK-<n>``.

    Stall ``n`` owes ``n × 1000`` rupiah until paid; paying opens a ledger
    invoice when the partner pays (``opened`` counts them) and settlement
    marks the stall paid.
    """

    def __init__(self) -> None:
        self.paid: set[str] = set()
        self.opened = 0

    @tk.hookimpl
    def plugin_info(self) -> tk.PluginInfo:
        return tk.PluginInfo(
            slug=LAPAK, title="Test stalls", dimension=tk.Dimension.ECONOMY, version="0.0.1"
        )

    @tk.hookimpl
    def payables(self, city: tk.City, customer_number: str, today: date) -> tk.Payable | None:
        if not customer_number.startswith("LAPAK-") or customer_number in self.paid:
            return None
        number = customer_number.removeprefix("LAPAK-")
        if not number.isdigit() or not 0 < int(number) < 1000:
            return None
        items = (tk.InvoiceItem(f"Retribusi {customer_number} {today:%m/%Y}", int(number) * 1000),)

        async def open_invoice() -> tk.Invoice:
            self.opened += 1
            return await tk.create_invoice(
                payer_id=None,
                payer_name="Bu Sumarni",
                items=items,
                due_at=datetime.now(UTC) + timedelta(days=1),
                source=LAPAK,
                source_ref=customer_number,
            )

        return tk.Payable(customer_number, "Bu Sumarni", items, LAPAK, open_invoice)

    @tk.hookimpl
    def invoice_settled(self, city: tk.City, invoice: tk.Invoice) -> None:
        if invoice.source == LAPAK:
            self.paid.add(invoice.source_ref)


@pytest.fixture
def lapak() -> LapakPlugin:
    """The stall office of this test."""
    return LapakPlugin()


@pytest.fixture
def balai_cities() -> dict[str, list[str]]:
    """Both cities enable the shop and the stalls."""
    return {"malang": [payments.TOKO, LAPAK], "semarang": [payments.TOKO, LAPAK]}


@pytest.fixture
def balai_app(
    balai_config: Config,
    balai_database_url: str,
    balai_test_databases: TestDatabases,
    balai_fast_passwords: None,
    toko: payments.TokoPlugin,
    lapak: LapakPlugin,
) -> Any:
    """The payments app with the partners service, the ``toko`` shop and ``lapak`` stalls."""
    registry = PluginRegistry()
    builtins = builtin_plugins()
    for slug in BUILTINS_USED:
        registry.register(builtins[slug], slug)
    registry.register(toko, payments.TOKO)
    registry.register(lapak, LAPAK)
    return build_app(
        balai_config, balai_test_databases, database_url=balai_database_url, registry=registry
    )


def add_partner(
    app: Any,
    city_run: Any,
    *,
    city: str = "malang",
    kind: str = "rsa",
    services: tuple[str, ...] = ("bills",),
    ip_allow: str = "",
    fee: int = 2500,
) -> PartnerKeys:
    """A partner of ``city``; returns what the partner holds."""
    private, public = key_pair(kind)

    async def create() -> tuple[int, str]:
        return await manage.create_partner(
            manage.PartnerSettings(
                name="Dompet Nusantara",
                services=services,
                public_key=public,
                ip_allow=ip_allow,
                fee_flat=fee,
            ),
            instance_secret=app.ui.config.secret_key,
        )

    partner_id, secret = city_run(city, create)

    async def client_id() -> str:
        row = await manage.partner_by_id(partner_id)
        return row["client_id"]

    return PartnerKeys(city_run(city, client_id), secret, private)


def get_token(
    client: Any, keys: PartnerKeys, city: str = "malang", now: datetime | None = None
) -> str:
    """A fresh access token (asserts it was given)."""
    body, headers = partner_side.token_request(keys, now=now)
    answer = client.post(f"/{city}{partner_side.TOKEN_PATH}", content=body, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()["accessToken"]


def call(
    client: Any,
    keys: PartnerKeys,
    token: str,
    path: str,
    payload: Any,
    *,
    city: str = "malang",
    external_id: str | None = None,
) -> Any:
    """A signed transaction request to ``/<city><path>``."""
    full = f"/{city}{path}"
    body, headers = partner_side.transaction_request(
        keys, token, full, payload, external_id=external_id
    )
    return client.post(full, content=body, headers=headers)


def inquiry(customer: str, inquiry_id: str = "INQ-1") -> dict[str, str]:
    """An inquiry body."""
    return {"customerNo": customer, "inquiryRequestId": inquiry_id}


def payment(
    customer: str, amount: int, reference: str = "PAY-1", inquiry_id: str = "INQ-1"
) -> dict[str, Any]:
    """A payment body."""
    return {
        "customerNo": customer,
        "inquiryRequestId": inquiry_id,
        "paymentRequestId": reference,
        "paidAmount": {"value": f"{amount}.00", "currency": "IDR"},
    }


def code(answer: Any) -> str:
    """The SNAP response code of an answer."""
    return json.loads(answer.content)["responseCode"]


def counts(city_run: Any, city: str = "malang") -> dict[str, int]:
    """How many rows of each kind the partner cycle writes."""

    async def read() -> dict[str, int]:
        return {
            "inquiries": await PartnerInquiry.count(),
            "partner_payments": await PartnerPayment.count(),
            "payments": await Payment.count(),
            "events": await PaymentEvent.count(),
            "messages": await PartnerMessage.count(),
        }

    return city_run(city, read)
