"""What a product must look like: one check shared by the product form and the spreadsheet import.

:func:`check_product` takes the typed text of each field and returns the
values to store, or the reasons per field; :func:`apply_import_row` is the
importer's row handler body: it creates the merchant's product, or updates
the one with the same name, so that importing a price list twice changes
nothing the second time.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from balai import toolkit as tk

from balai_umkm_market.identifiers import InvalidValue, check_count, check_rupiah
from balai_umkm_market.labels import UNITS, product_categories
from balai_umkm_market.tables import Product

MAX_NAME = 120
MAX_DESCRIPTION = 2000
MAX_STOCK = 1_000_000
YES = {"1", "ya", "y", "yes", "true", "aktif", "active"}
NO = {"0", "tidak", "t", "no", "n", "false", "nonaktif", "inactive"}

# The spreadsheet's columns (Indonesian headers) -> the form's field names.
IMPORT_COLUMNS = {
    "nama": "name",
    "deskripsi": "description",
    "kategori": "category",
    "harga": "price",
    "satuan": "unit",
    "stok": "stock",
    "aktif": "is_active",
}


class ProductRowError(ValueError):
    """A product's fields are not acceptable: ``errors`` maps field -> translated reason."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = dict(errors)


def _flag(value: str, default: bool) -> bool:
    text = (value or "").strip().casefold()
    if not text:
        return default
    if text in YES:
        return True
    if text in NO:
        return False
    raise InvalidValue(tk._("Write ya or tidak."))


def check_product(values: Mapping[str, Any]) -> dict[str, Any]:
    """The product to store from the typed ``values`` (text per field; ``is_active`` text or bool).

    Raises:
        ProductRowError: with every field's reason.
    """
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    name = " ".join(str(values.get("name", "") or "").split())
    if not name:
        errors["name"] = tk._("Enter the product name.")
    elif len(name) > MAX_NAME:
        errors["name"] = tk._("The name is at most %(n)s characters.", n=MAX_NAME)
    clean["name"] = name
    description = str(values.get("description", "") or "").strip()
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = tk._(
            "The description is at most %(n)s characters.", n=MAX_DESCRIPTION
        )
    clean["description"] = description
    category = str(values.get("category", "") or "").strip().casefold()
    if category not in product_categories():
        errors["category"] = tk._(
            "Choose a category: %(list)s.", list=", ".join(product_categories())
        )
    clean["category"] = category
    unit = str(values.get("unit", "") or "").strip().casefold()
    if unit not in UNITS:
        errors["unit"] = tk._("Choose a unit: %(list)s.", list=", ".join(UNITS))
    clean["unit"] = unit
    try:
        clean["price"] = check_rupiah(str(values.get("price", "") or ""), allow_zero=False)
    except InvalidValue as exc:
        errors["price"] = str(exc)
    try:
        clean["stock"] = check_count(str(values.get("stock", "") or ""), maximum=MAX_STOCK)
    except InvalidValue as exc:
        errors["stock"] = str(exc)
    active = values.get("is_active", "")
    if isinstance(active, bool):
        clean["is_active"] = active
    else:
        try:
            clean["is_active"] = _flag(str(active), default=True)
        except InvalidValue as exc:
            errors["is_active"] = str(exc)
    if errors:
        raise ProductRowError(errors)
    return clean


async def apply_import_row(row: Mapping[str, str], merchant_id: int) -> str:
    """Create or update one product of ``merchant_id`` from a spreadsheet row.

    ``row`` maps the Indonesian column names (:data:`IMPORT_COLUMNS`) to cell
    text. Returns ``"created"`` or ``"updated"``.

    Raises:
        ProductRowError: the row's reasons, keyed by the spreadsheet's column names.
    """
    fields = {field: row.get(column, "") for column, field in IMPORT_COLUMNS.items()}
    try:
        clean = check_product(fields)
    except ProductRowError as exc:
        columns = {field: column for column, field in IMPORT_COLUMNS.items()}
        raise ProductRowError({columns[f]: m for f, m in exc.errors.items()}) from None
    now = datetime.now(UTC)
    existing = await (
        Product.select(Product.id)
        .where((Product.merchant == merchant_id) & (Product.name == clean["name"]))
        .first()
    )
    if existing:
        await Product.update({**clean, "updated_at": now}).where(Product.id == existing["id"])
        return "updated"
    await Product.insert(Product(merchant=merchant_id, created_at=now, updated_at=now, **clean))
    return "created"
