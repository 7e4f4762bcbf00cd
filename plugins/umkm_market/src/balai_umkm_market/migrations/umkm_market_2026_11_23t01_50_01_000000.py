"""Merchant status from the old verified flag; unique and composite indexes per city.

SQLite cannot add table constraints later, so uniqueness per city is a unique
index. Raw steps run before column operations, hence their own migration,
after the one that adds the columns.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T01:50:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "Merchant status from is_verified; unique and lookup indexes of the market"

# name -> (table, columns, unique, condition)
INDEXES = {
    "umkm_market_merchant_city_status": ("umkm_market_merchant", "city, status", False, ""),
    "umkm_market_merchant_city_owner": ("umkm_market_merchant", "city, owner_user_id", False, ""),
    "umkm_market_order_city_number": ("umkm_market_order", "city, number", True, ""),
    "umkm_market_review_city_order_item": ("umkm_market_review", "city, order_item", True, ""),
    "umkm_market_asn_profile_city_user": ("umkm_market_asn_profile", "city, user_id", True, ""),
    "umkm_market_cart_city_user": ("umkm_market_cart", "city, user_id", True, ""),
    "umkm_market_cart_city_session": (
        "umkm_market_cart",
        "city, session_key",
        True,
        "session_key <> ''",
    ),
    "umkm_market_product_city_merchant": ("umkm_market_product", "city, merchant", False, ""),
    "umkm_market_product_city_category": ("umkm_market_product", "city, category", False, ""),
    "umkm_market_product_city_price": ("umkm_market_product", "city, price", False, ""),
    "umkm_market_product_photo_product": ("umkm_market_product_photo", "product", False, ""),
    "umkm_market_cart_item_cart": ("umkm_market_cart_item", "cart", False, ""),
    "umkm_market_order_city_merchant": ("umkm_market_order", "city, merchant", False, ""),
    "umkm_market_order_city_buyer": ("umkm_market_order", "city, buyer_id", False, ""),
    "umkm_market_order_item_order": ("umkm_market_order_item", '"order"', False, ""),
    "umkm_market_order_event_order": ("umkm_market_order_event", '"order"', False, ""),
    "umkm_market_review_city_product": ("umkm_market_review", "city, product", False, ""),
    "umkm_market_review_city_merchant": ("umkm_market_review", "city, merchant", False, ""),
}


class _Raw(Table, tablename="umkm_market_merchant"):
    """Only used to reach the engine for raw statements."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="umkm_market", description=DESCRIPTION)

    async def create() -> None:
        await _Raw.raw(
            "UPDATE umkm_market_merchant SET status = "
            "CASE WHEN is_verified THEN 'verified' ELSE 'pending' END"
        )
        for name, (table, columns, unique, condition) in INDEXES.items():
            kind = "UNIQUE INDEX" if unique else "INDEX"
            where = f" WHERE {condition}" if condition else ""
            await _Raw.raw(f"CREATE {kind} IF NOT EXISTS {name} ON {table} ({columns}){where}")

    async def drop() -> None:
        for name in INDEXES:
            await _Raw.raw(f"DROP INDEX IF EXISTS {name}")
        await _Raw.raw("UPDATE umkm_market_merchant SET is_verified = (status = 'verified')")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
