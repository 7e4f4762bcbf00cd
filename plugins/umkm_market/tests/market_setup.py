"""Shared set-up of the merchant, product and ASN tests: a configured instance and rows."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from balai.testing import write_config
from balai_umkm_market.tables import Merchant, MerchantStatus, Product
from PIL import Image

MALANG_DISTRICTS = ["Klojen", "Blimbing", "Kedungkandang", "Lowokwaru", "Sukun"]
MALANG_DEPARTMENTS = ["Dinas Kesehatan", "Dinas Koperasi, Perindustrian dan Perdagangan"]
VALID_NIB = "9120001234567"
VALID_NIP = "198503122010011001"


def market_config(tmp_path):
    """Malang and Semarang both run the market; Malang lists its districts and OPDs."""
    return write_config(
        tmp_path / "instance",
        {"malang": ["umkm_market"], "semarang": ["umkm_market"]},
        city_options={
            "malang": {
                "settings": {
                    "umkm_market": {
                        "districts": MALANG_DISTRICTS,
                        "asn_departments": MALANG_DEPARTMENTS,
                    }
                }
            }
        },
    )


def application(**changes) -> dict[str, str]:
    """A valid merchant application form, with ``changes``."""
    form = {
        "name": "Keripik Tempe Sanan Bu Sri",
        "owner_name": "Sri Wahyuni",
        "nib": VALID_NIB,
        "phone": "0812-3456-7890",
        "address": "Jl. Sanan No. 12",
        "district": "Blimbing",
        "category": "food",
        "description": "Keripik tempe renyah khas Sanan.",
        "delivery_fee": "10.000",
        "offers_delivery": "1",
        "offers_pickup": "1",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def add_merchant(
    name: str = "Batik Celaket",
    *,
    owner_user_id: int | None = None,
    status: str = MerchantStatus.VERIFIED.value,
    district: str = "Klojen",
):
    """An async function inserting a merchant; returns its id."""

    async def insert() -> int:
        merchant = Merchant(
            name=name,
            owner_name="Pemilik " + name,
            owner_user_id=owner_user_id,
            nib=VALID_NIB,
            phone="081234567890",
            address="Jl. Ijen 1",
            district=district,
            category="craft",
            status=status,
            created_at=datetime.now(UTC),
        )
        await merchant.save()
        return merchant.id

    return insert


def add_product(merchant_id: int, name: str = "Beras Premium 5 kg", price: int = 72_000):
    """An async function inserting a product of ``merchant_id``; returns its id."""

    async def insert() -> int:
        now = datetime.now(UTC)
        product = Product(
            merchant=merchant_id,
            name=name,
            category="sembako",
            price=price,
            unit="pack",
            stock=10,
            is_active=True,
            created_at=now,
            updated_at=now,
        )
        await product.save()
        return product.id

    return insert


def csrf_token(client, url: str) -> str:
    """The CSRF token of the client's session (opening ``url`` first)."""
    client.get(url)
    for cookie in client.cookies.jar:
        if cookie.name == "balai_csrf":
            return cookie.value
    raise AssertionError("no CSRF cookie")


def jpeg_bytes(size=(16, 16)) -> bytes:
    """A small valid JPEG image."""
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()
