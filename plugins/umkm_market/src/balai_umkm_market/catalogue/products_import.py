"""The merchant's product import: a CSV or XLSX price list through the core's import service.

The core serves the pages under ``/impor/umkm_market.products/`` (upload,
template, progress, row errors); the owner of a verified merchant gets in
(:func:`merchant_context`) and sees only their own shop's runs. Each row is
checked like the product form and creates the product, or updates the
merchant's product of the same name (see
:func:`balai_umkm_market.catalogue.product_rules.apply_import_row`).
"""

from __future__ import annotations

from typing import Any

from balai import toolkit as tk

from balai_umkm_market.catalogue.product_rules import ProductRowError, apply_import_row
from balai_umkm_market.merchants.application import owned_merchant
from balai_umkm_market.tables import Merchant, MerchantStatus

KEY = "umkm_market.products"


async def merchant_context(request: Any, user: Any) -> dict[str, int] | None:
    """``{"merchant_id": ...}`` for the owner of a verified merchant; ``None`` (403) otherwise."""
    if user is None:
        return None
    merchant = await owned_merchant(user.id)
    if merchant is None or merchant["status"] != MerchantStatus.VERIFIED.value:
        return None
    return {"merchant_id": merchant["id"]}


async def handle_row(row: dict[str, str], context: tk.ImportContext) -> None:
    """Apply one row to the uploader's merchant; a bad row is reported with its reasons."""
    merchant_id = int(context.data["merchant_id"])
    verified = await Merchant.exists().where(
        (Merchant.id == merchant_id) & (Merchant.status == MerchantStatus.VERIFIED.value)
    )
    if not verified:
        raise tk.RowError(tk._("The business is no longer verified; no product was changed."))
    try:
        await apply_import_row(row, merchant_id)
    except ProductRowError as exc:
        raise tk.RowError(errors=exc.errors) from None


IMPORTER = tk.Importer(
    key=KEY,
    title="Products",
    description="Upload your price list as a CSV or Excel (XLSX) file, one product per row. "
    "A row with the name of one of your products updates it; any other row adds a product.",
    columns=[
        tk.ImportColumn("nama", "Product name", required=True, example="Keripik Tempe 250 g"),
        tk.ImportColumn(
            "kategori",
            "Category: sembako, makanan, minuman, kerajinan, fashion, pertanian, kesehatan or jasa",
            required=True,
            example="makanan",
        ),
        tk.ImportColumn("harga", "Price per unit in whole rupiah", required=True, example="15000"),
        tk.ImportColumn(
            "satuan",
            "Unit: pcs, kg, gram, liter, ml, pack, karton, lusin, ikat, porsi or paket",
            required=True,
            example="pack",
        ),
        tk.ImportColumn("stok", "Units in stock", required=True, example="40"),
        tk.ImportColumn("deskripsi", "Description", example="Renyah, tanpa pengawet."),
        tk.ImportColumn("aktif", "On sale: ya or tidak (default ya)", example="ya"),
    ],
    handle_row=handle_row,
    access=merchant_context,
    back_url="/umkm-market/toko-saya/produk/",
)
