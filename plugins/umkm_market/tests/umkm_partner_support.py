"""Helpers of the delivery-partner tests (this module holds no tests).

A partner of a city with the ``catalogue`` service, signed requests as a
partner sends them (:mod:`balai.partners.partner_side`), and market rows:
a merchant publishing to partners, its products, a stored photo.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from balai.files.service import save_upload, set_visibility
from balai.partners import credentials, manage, partner_side
from balai.partners.partner_side import PartnerKeys
from balai_umkm_market.tables import Merchant, MerchantStatus, Product
from PIL import Image

_KEYS: dict[str, tuple[str, str]] = {}


def key_pair() -> tuple[str, str]:
    """An RSA key pair (PEM private, public), made once per run."""
    if "rsa" not in _KEYS:
        _KEYS["rsa"] = credentials.new_key_pair("rsa")
    return _KEYS["rsa"]


def add_partner(
    app: Any, city_run: Any, city: str = "malang", services: tuple[str, ...] = ("catalogue",)
) -> PartnerKeys:
    """A delivery partner of ``city``; returns what the partner holds."""
    private, public = key_pair()

    async def create() -> PartnerKeys:
        settings = manage.PartnerSettings("Antar Cepat", services, public)
        pid, secret = await manage.create_partner(
            settings, instance_secret=app.ui.config.secret_key
        )
        row = await manage.partner_by_id(pid)
        return PartnerKeys(row["client_id"], secret, private)

    return city_run(city, create)


def token(client: Any, keys: PartnerKeys, city: str = "malang") -> str:
    """A fresh access token."""
    body, headers = partner_side.token_request(keys)
    answer = client.post(f"/{city}{partner_side.TOKEN_PATH}", content=body, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()["accessToken"]


def feed(
    client: Any,
    keys: PartnerKeys,
    access: str,
    *,
    city: str = "malang",
    since: str | None = None,
    limit: int | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    """A signed GET of the catalogue feed."""
    query = {k: v for k, v in {"since": since, "limit": limit}.items() if v is not None}
    path = f"/{city}{partner_side.CATALOGUE_PATH}" + (f"?{urlencode(query)}" if query else "")
    _body, signed = partner_side.transaction_request(keys, access, path, None, method="GET")
    return client.get(path, headers={**signed, **(headers or {})})


def post(
    client: Any, keys: PartnerKeys, access: str, path: str, payload: Any, city: str = "malang"
):
    """A signed POST to ``/<city><path>``."""
    full = f"/{city}{path}"
    body, headers = partner_side.transaction_request(keys, access, full, payload)
    return client.post(full, content=body, headers=headers)


def code(answer: Any) -> str:
    """The SNAP response code of an answer."""
    return json.loads(answer.content)["responseCode"]


def add_shop(
    city_run: Any,
    name: str = "Warung Bu Sri",
    *,
    city: str = "malang",
    publishes: bool = True,
    owner_id: int | None = None,
) -> int:
    """A verified merchant of ``city``, publishing to partners or not; returns its id."""

    async def insert() -> int:
        now = datetime.now(UTC)
        row = Merchant(
            name=name,
            owner_name="Sri Wahyuni",
            owner_user_id=owner_id,
            nib="1234567890123",
            phone="081234567890",
            address="Jl. Kawi No. 5",
            district="Klojen",
            status=MerchantStatus.VERIFIED.value,
            created_at=now,
            partner_feed=publishes,
            opening_hours="Senin-Sabtu 08.00-20.00" if publishes else "",
            partner_feed_changed_at=now if publishes else None,
        )
        await row.save()
        return row.id

    return city_run(city, insert)


def add_product(
    city_run: Any,
    merchant_id: int,
    name: str = "Nasi Pecel",
    *,
    city: str = "malang",
    price: int = 15_000,
    stock: int = 10,
    photo: str = "",
) -> int:
    """A product on sale; returns its id."""

    async def insert() -> int:
        now = datetime.now(UTC)
        row = Product(
            merchant=merchant_id,
            name=name,
            description="",
            category="makanan",
            price=price,
            unit="porsi",
            stock=stock,
            is_active=True,
            photo=photo,
            created_at=now,
            updated_at=now,
        )
        await row.save()
        return row.id

    return city_run(city, insert)


class _Upload:
    def __init__(self, data: bytes) -> None:
        self.filename = "pecel.jpg"
        self.content_type = "image/jpeg"
        self._data = io.BytesIO(data)

    async def read(self, size: int = -1) -> bytes:
        return self._data.read(size)


def stored_photo(city_run: Any, *, visibility: str = "public", city: str = "malang") -> str:
    """A stored JPEG of ``city`` with ``visibility``; returns its file id."""
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 120, 40)).save(out, "JPEG")

    async def save() -> str:
        stored = await save_upload(_Upload(out.getvalue()), kind="image", owner_id=None)
        if visibility != "public":
            await set_visibility(stored.id, visibility)
        return stored.id

    return city_run(city, save)


def order_body(
    merchant: str, lines: list[tuple[str, int, int]], reference: str = "ORD-1"
) -> dict[str, Any]:
    """An order body: ``lines`` of (product id, quantity, price)."""
    return {
        "partnerReferenceNo": reference,
        "merchantId": merchant,
        "items": [{"productId": p, "quantity": q, "price": price} for p, q, price in lines],
        "customer": {"name": "Budi Santoso", "phone": "0812 3456 7890", "address": "Jl. Ijen 9"},
    }
