"""A market of many products for the catalogue bench (SQLite).

``seed(instance, products)`` fills a migrated instance's Malang market:
300 verified merchants (and 20 pending ones, whose products must never show)
over the five districts, ``products`` products with names, descriptions,
prices, stock, ratings and sales drawn from Indonesian word lists by a fixed
random generator, and one *bench product* with two photos and 25 reviews
(from one completed order), half of them answered by the merchant.

Products go in through ``sqlite3`` ``executemany`` in batches of 20,000 rows,
in one transaction. For speed the product table's indexes and the search
index's triggers are dropped for the load and created again from their own
DDL (read back from ``sqlite_master``), and the FTS5 index is filled with one
``INSERT … SELECT`` (per-row triggers made the load 6× slower). Two words
have a fixed number of products whatever the size: :data:`RARE_WORD` (40
products, the selective search) and every product name holds one of
:data:`COMMON_WORDS` (the common search, whose matches grow with the
catalogue).
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import time
from datetime import UTC, datetime, timedelta

from bench.instance import CITIZEN_EMAIL, CITY, Instance

BATCH = 20_000
MERCHANTS = 300
PENDING_MERCHANTS = 20
DISTRICTS = ("Klojen", "Blimbing", "Kedungkandang", "Lowokwaru", "Sukun")
RARE_WORD = "rengginang"
RARE_COUNT = 40
COMMON_WORDS = ("beras", "kopi", "keripik", "batik", "madu", "sambal", "gula", "teh")
KINDS = ("premium", "organik", "asli", "super", "spesial", "murni", "pedas", "manis")
PLACES = ("Malang", "Dampit", "Batu", "Sanan", "Tumpang", "Poncokusumo", "Singosari", "Kepanjen")
PACKS = ("250 gr", "500 gr", "1 kg", "5 kg", "1 liter", "pack isi 10", "toples", "botol")
CATEGORIES = ("sembako", "makanan", "minuman", "kerajinan", "fashion", "pertanian")
OWNERS = ("Sri", "Budi", "Wahyuni", "Slamet", "Rini", "Agus", "Dewi", "Hadi", "Lestari", "Joko")
SHOPS = ("Toko", "Warung", "Kios", "UD", "CV", "Griya")
SENTENCES = (
    "Produk lokal {place} berkualitas.",
    "Dikemas rapi dan higienis.",
    "Cocok untuk oleh-oleh keluarga.",
    "Tanpa bahan pengawet.",
    "Dibuat oleh UMKM binaan Diskopindag.",
    "Tahan lama bila disimpan di tempat kering.",
    "Bisa dikirim ke seluruh kota.",
)
START = datetime(2025, 1, 1, tzinfo=UTC)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(sep=" ")


def _merchant_rows(rng: random.Random) -> list[tuple]:
    rows = []
    for n in range(MERCHANTS + PENDING_MERCHANTS):
        owner = rng.choice(OWNERS)
        name = f"{rng.choice(SHOPS)} {rng.choice(COMMON_WORDS).title()} {owner} {n}"
        status = "verified" if n < MERCHANTS else "pending"
        rows.append(
            (
                CITY,
                name,
                f"{owner} {rng.choice(OWNERS)}",
                f"35730{n:08d}",
                DISTRICTS[n % len(DISTRICTS)],
                status,
                rng.randint(5, 50) * 1000,
                _stamp(START),
            )
        )
    return rows


def _descriptions(rng: random.Random) -> list[str]:
    """A pool of product descriptions (three sentences each)."""
    return [
        " ".join(s.format(place=rng.choice(PLACES)) for s in rng.sample(SENTENCES, 3))
        for _ in range(500)
    ]


def _product_rows(
    rng: random.Random, first: int, last: int, total: int, merchant_ids: list[int]
) -> list:
    rows = []
    span = 700 * 86400
    descriptions = _descriptions(rng)
    for n in range(first, last):
        word = COMMON_WORDS[n % len(COMMON_WORDS)]
        rare = f" {RARE_WORD.title()}" if n % max(1, total // RARE_COUNT) == 1 else ""
        name = f"{word.title()} {rng.choice(KINDS).title()} {rng.choice(PLACES)}{rare}"
        name += f" {rng.choice(PACKS)}"
        description = descriptions[n % len(descriptions)]
        count = rng.choice((0, 0, 1, 2, 5, 12))
        created = START + timedelta(seconds=n * span // max(total, 1))
        rows.append(
            (
                CITY,
                merchant_ids[n % len(merchant_ids)],
                name,
                description,
                CATEGORIES[n % len(CATEGORIES)],
                rng.randint(2, 400) * 500,
                rng.choice(("pcs", "kg", "pack", "botol")),
                0 if n % 10 == 0 else rng.randint(1, 200),
                0 if n % 20 == 0 else 1,
                "",
                sum(rng.randint(3, 5) for _ in range(count)),
                count,
                rng.randint(0, 500),
                _stamp(created),
                _stamp(created),
            )
        )
    return rows


def _insert(path: str, products: int) -> int:
    """Insert merchants and products; returns the bench product's id."""
    rng = random.Random(20261123)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA synchronous = OFF")
    connection.execute("PRAGMA cache_size = -262144")  # 256 MiB for the index pages
    try:
        with connection:
            connection.executemany(
                "INSERT INTO umkm_market_merchant (city, name, owner_name, nib, district, "
                "status, delivery_fee, created_at, owner_user_id, phone, address, category, "
                "description, rejection_reason, offers_delivery, offers_pickup, photo, "
                "rating_sum, rating_count) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, '', '', 'food', '', '', 1, 1, '', 0, 0)",
                _merchant_rows(rng),
            )
            merchant_ids = [
                r[0]
                for r in connection.execute(
                    "SELECT id FROM umkm_market_merchant WHERE city = ? AND status = 'verified' "
                    "ORDER BY id",
                    (CITY,),
                )
            ]
            pending = connection.execute(
                "SELECT id FROM umkm_market_merchant WHERE status = 'pending' ORDER BY id"
            ).fetchall()
            # every 50th product belongs to a pending merchant and must never show
            owners = [
                pending[n % len(pending)][0] if n % 50 == 7 else merchant_ids[n % len(merchant_ids)]
                for n in range(len(merchant_ids) * 50)
            ]
            # Bulk load: the product indexes and the search-index triggers are set
            # aside (their own DDL, read back from sqlite_master) and rebuilt once.
            aside = connection.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND "
                "((type = 'index' AND tbl_name = 'umkm_market_product') OR "
                "(type = 'trigger' AND tbl_name = 'umkm_market_product'))"
            ).fetchall()
            for kind, name, _ in aside:
                connection.execute(f"DROP {kind.upper()} {name}")
            for first in range(0, products, BATCH):
                connection.executemany(
                    "INSERT INTO umkm_market_product (city, merchant, name, description, "
                    "category, price, unit, stock, is_active, photo, rating_sum, rating_count, "
                    "sold_count, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    _product_rows(rng, first, min(first + BATCH, products), products, owners),
                )
            connection.execute(
                "INSERT INTO umkm_market_product_fts (rowid, name, description, merchant) "
                "SELECT p.id, p.name, p.description, m.name FROM umkm_market_product p "
                "JOIN umkm_market_merchant m ON m.id = p.merchant"
            )
            for _, _, sql in aside:
                connection.execute(sql)
            (bench_id,) = connection.execute(
                "SELECT id FROM umkm_market_product WHERE is_active = 1 AND stock > 0 "
                "AND merchant IN (SELECT id FROM umkm_market_merchant WHERE status = 'verified') "
                "ORDER BY id LIMIT 1"
            ).fetchone()
    finally:
        connection.close()
    return bench_id


async def _reviews(instance: Instance, product_id: int) -> None:
    """Two photos and 25 reviews (one completed order) of the bench product, via the tables."""
    from balai.config import load_config
    from balai.tables import User
    from balai.tenants import city_scope
    from balai.web.app import create_app
    from balai_umkm_market.tables import (
        Order,
        OrderItem,
        Product,
        ProductPhoto,
        Review,
    )

    config = load_config(instance.config_path, environ=instance.environ())
    app = create_app(config, plugins=instance.plugins)
    await app.ui.database.open()
    try:
        with city_scope(app.ui.config.cities[CITY]):
            buyer = await User.select(User.id).where(User.email == CITIZEN_EMAIL).first()
            product = (
                await Product.select(Product.merchant, Product.name)
                .where(Product.id == product_id)
                .first()
            )
            await ProductPhoto.insert(
                ProductPhoto(product=product_id, file_key="benchphoto1", position=0),
                ProductPhoto(product=product_id, file_key="benchphoto2", position=1),
            )
            orders = await Order.insert(
                Order(
                    number="BENCH-0001",
                    checkout_ref="bench",
                    buyer_id=buyer["id"],
                    buyer_name="Warga Bench",
                    merchant=product["merchant"],
                    status="completed",
                    created_at=START,
                    updated_at=START,
                )
            )
            items = await OrderItem.insert(
                *(
                    OrderItem(order=orders[0]["id"], product=product_id, product_name="x")
                    for _ in range(25)
                )
            )
            await Review.insert(
                *(
                    Review(
                        order_item=item["id"],
                        order=orders[0]["id"],
                        product=product_id,
                        merchant=product["merchant"],
                        buyer_id=buyer["id"],
                        buyer_name=f"Pembeli Nomor {n}",
                        rating=3 + n % 3,
                        text="Barangnya sesuai, pengiriman cepat. " * (1 + n % 3),
                        reply="Terima kasih sudah berbelanja!" if n % 2 else "",
                        replied_at=START + timedelta(days=n + 1) if n % 2 else None,
                        created_at=START + timedelta(days=n),
                    )
                    for n, item in enumerate(items)
                )
            )
            await Product.update(
                {Product.rating_sum: sum(3 + n % 3 for n in range(25)), Product.rating_count: 25}
            ).where(Product.id == product_id)
    finally:
        await app.ui.database.close()


def seed(instance: Instance, products: int) -> tuple[int, float]:
    """Fill the market; returns the bench product's id and the seconds it took."""
    if not instance.database_url.startswith("sqlite:///"):
        raise SystemExit("the catalogue bench seeds SQLite only")
    started = time.perf_counter()
    product_id = _insert(instance.database_url[len("sqlite:///") :], products)
    asyncio.run(_reviews(instance, product_id))
    return product_id, time.perf_counter() - started
