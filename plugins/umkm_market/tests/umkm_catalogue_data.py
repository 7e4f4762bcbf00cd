"""A small catalogue for the search, catalogue and review tests (run inside a city scope).

Malang gets four merchants (two verified, one pending, one suspended) and
nine products with names chosen to exercise the word rule: accents, upper
case, hyphens, numbers with commas, a merchant's name. Products are created
in id order with increasing ``created_at``, so "newest" is the highest id.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from balai_umkm_market.tables import Merchant, Product

START = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)

MERCHANTS = [
    # name, district, status
    ("Toko Sembako Bu Sri", "Klojen", "verified"),
    ("Kopi Dampit Tlogomas", "Lowokwaru", "verified"),
    ("Warung Belum Terverifikasi", "Sukun", "pending"),
    ("Batik Celaket", "Klojen", "suspended"),
]

# name, merchant index, category, price, stock, description, sold, rating sum/count, active
PRODUCTS = [
    ("Beras Premium 5 kg", 0, "sembako", 75000, 10, "Beras pulen dari Malang.", 50, (9, 2), True),
    ("Minyak Goreng 2 Liter", 0, "sembako", 36000, 0, "Minyak kelapa sawit.", 80, (0, 0), True),
    (
        "Kopi Bubuk Dampit",
        1,
        "minuman",
        45000,
        5,
        "Kopi robusta, sangrai medium. Cocok dengan gula aren.",
        30,
        (5, 1),
        True,
    ),
    ("Gula Aren Cair", 1, "sembako", 25000, 3, "Manis alami untuk kopi.", 10, (4, 1), True),
    ("Crème Brûlée Café", 1, "makanan", 30000, 2, "Dessert à la française.", 0, (0, 0), True),
    (
        "Keripik-Tempe SANAN 250gr",
        0,
        "makanan",
        15000,
        20,
        "Keripik tempe renyah; 1,5kg juga ada.",
        5,
        (8, 2),
        True,
    ),
    ("Beras Merah Organik", 0, "sembako", 60000, 4, "Beras merah.", 0, (0, 0), False),
    ("Beras Lokal Sukun", 2, "sembako", 50000, 9, "Beras dari Sukun.", 0, (0, 0), True),
    ("Kain Batik Tulis", 3, "fashion", 250000, 1, "Batik tulis beras kencur.", 0, (0, 0), True),
]


def product_names() -> list[str]:
    """The products' names; product id n is ``product_names()[n - 1]`` on a fresh database."""
    return [row[0] for row in PRODUCTS]


async def seed_catalogue() -> dict[str, list[int]]:
    """Insert the merchants and products; returns their ids in list order."""
    merchant_ids = []
    for number, (name, district, status) in enumerate(MERCHANTS):
        rows = await Merchant.insert(
            Merchant(
                name=name,
                owner_name=f"Pemilik {number}",
                district=district,
                status=status,
                created_at=START,
            )
        )
        merchant_ids.append(rows[0]["id"])
    product_ids = []
    for number, row in enumerate(PRODUCTS):
        name, merchant, category, price, stock, description, sold, rating, active = row
        rows = await Product.insert(
            Product(
                merchant=merchant_ids[merchant],
                name=name,
                description=description,
                category=category,
                price=price,
                unit="pcs",
                stock=stock,
                is_active=active,
                sold_count=sold,
                rating_sum=rating[0],
                rating_count=rating[1],
                created_at=START + timedelta(days=number),
                updated_at=START + timedelta(days=number),
            )
        )
        product_ids.append(rows[0]["id"])
    return {"merchants": merchant_ids, "products": product_ids}


async def seed_other_city() -> None:
    """A verified merchant with a rice product (for Semarang)."""
    rows = await Merchant.insert(
        Merchant(name="Toko Semarang", district="Tembalang", status="verified", created_at=START)
    )
    await Product.insert(
        Product(
            merchant=rows[0]["id"],
            name="Beras Semarang",
            description="Beras dari Semarang.",
            category="sembako",
            price=70000,
            stock=5,
            is_active=True,
            created_at=START,
            updated_at=START,
        )
    )
