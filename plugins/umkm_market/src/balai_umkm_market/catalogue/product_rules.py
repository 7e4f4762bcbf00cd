"""What a product must look like: one form shared by the merchant's page and the spreadsheet import.

:class:`ProductForm` declares the fields on the toolkit's ``tk.Form`` and
:func:`check_product` returns the values to store, or the reasons per field;
:func:`apply_import_row` is the importer's row handler body: it creates the
merchant's product, or updates the one with the same name, so that importing
a price list twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from balai import toolkit as tk

from balai_umkm_market.labels import UNITS, product_categories
from balai_umkm_market.tables import Product

MAX_NAME = 120
MAX_DESCRIPTION = 2000
MAX_PRICE = 1_000_000_000
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


class YesNoField(tk.Field):
    """On sale or not: ``ya``/``tidak`` (and their English and 1/0 forms); empty is yes.

    The merchant's page sends its checkbox as ``1`` or ``0``.
    """

    empty = True
    max_input = 20

    def __init__(self, label: str, **options: Any) -> None:
        super().__init__(label, required=False, **options)

    def parse(self, text: str) -> bool:
        """True for a yes, False for a no."""
        folded = text.casefold()
        if folded in YES:
            return True
        if folded in NO:
            return False
        raise tk.FieldError(tk._("Write ya or tidak."))

    def too_long(self) -> tk.FieldError:
        """Longer than any yes or no."""
        return tk.FieldError(tk._("Write ya or tidak."))

    def show(self, value: Any) -> str:
        """A stored flag as ``1`` or ``0``."""
        return "1" if value in (True, "1") else "0"


def _category_choice() -> str:
    return tk._("Choose a category: %(list)s.", list=", ".join(product_categories()))


def _unit_choice() -> str:
    return tk._("Choose a unit: %(list)s.", list=", ".join(UNITS))


class ProductForm(tk.Form):
    """A product as the merchant types it, or as a spreadsheet row gives it."""

    name = tk.TextField(
        "Product name",
        max_length=MAX_NAME,
        missing=tk.N_("Enter the product name."),
        invalid=tk.N_("The name is at most %(n)s characters."),
    )
    description = tk.TextField(
        "Description",
        max_length=MAX_DESCRIPTION,
        multiline=True,
        required=False,
        invalid=tk.N_("The description is at most %(n)s characters."),
    )
    category = tk.ChoiceField(
        "Category",
        choices=lambda: list(product_categories().items()),
        translate=False,
        ignore_case=True,
        missing=_category_choice,
        invalid=_category_choice,
    )
    price = tk.RupiahField(
        "Price (Rp)",
        min_value=1,
        max_value=MAX_PRICE,
        missing=tk.N_("Enter an amount in rupiah."),
    )
    unit = tk.ChoiceField(
        "Unit",
        choices=[(unit, unit) for unit in UNITS],
        translate=False,
        ignore_case=True,
        missing=_unit_choice,
        invalid=_unit_choice,
    )
    stock = tk.IntegerField(
        "Stock", min_value=0, max_value=MAX_STOCK, missing=tk.N_("Enter a number.")
    )
    is_active = YesNoField(tk.N_("On sale in the market"))


class ProductPageForm(ProductForm):
    """The merchant's product page: the same fields, "on sale" as a checkbox (unticked: no)."""

    is_active = tk.CheckboxField("On sale in the market")


async def check_product(values: Mapping[str, Any]) -> dict[str, Any]:
    """The product to store from the typed ``values`` (text per field).

    Raises:
        ProductRowError: with every field's reason.
    """
    form = ProductForm(values)
    if not await form.validate():
        raise ProductRowError(form.errors)
    return form.clean


async def apply_import_row(row: Mapping[str, str], merchant_id: int) -> str:
    """Create or update one product of ``merchant_id`` from a spreadsheet row.

    ``row`` maps the Indonesian column names (:data:`IMPORT_COLUMNS`) to cell
    text. Returns ``"created"`` or ``"updated"``.

    Raises:
        ProductRowError: the row's reasons, keyed by the spreadsheet's column names.
    """
    fields = {field: row.get(column, "") for column, field in IMPORT_COLUMNS.items()}
    try:
        clean = await check_product(fields)
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
