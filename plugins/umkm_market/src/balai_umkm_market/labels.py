"""What the market's codes are called, in the visitor's language."""

from __future__ import annotations

from balai import toolkit as tk

from balai_umkm_market.tables import Category, MerchantStatus, ProductCategory

UNITS = ("pcs", "kg", "gram", "liter", "ml", "pack", "karton", "lusin", "ikat", "porsi", "paket")


def merchant_categories() -> dict[str, str]:
    """Each merchant category's name."""
    return {
        Category.FOOD.value: tk._("Food and drink"),
        Category.CRAFT.value: tk._("Crafts"),
        Category.FASHION.value: tk._("Fashion"),
        Category.FARM.value: tk._("Farm produce"),
        Category.SERVICES.value: tk._("Repairs and other services"),
    }


def product_categories() -> dict[str, str]:
    """Each product category's name."""
    return {
        ProductCategory.SEMBAKO.value: tk._("Staple foods (sembako)"),
        ProductCategory.MAKANAN.value: tk._("Food"),
        ProductCategory.MINUMAN.value: tk._("Drinks"),
        ProductCategory.KERAJINAN.value: tk._("Crafts"),
        ProductCategory.FASHION.value: tk._("Fashion"),
        ProductCategory.PERTANIAN.value: tk._("Farm produce"),
        ProductCategory.KESEHATAN.value: tk._("Health"),
        ProductCategory.JASA.value: tk.pgettext("product category", "Services"),
    }


def merchant_statuses() -> dict[str, str]:
    """Each application status's name."""
    return {
        MerchantStatus.PENDING.value: tk._("Waiting for verification"),
        MerchantStatus.VERIFIED.value: tk._("Verified"),
        MerchantStatus.REJECTED.value: tk._("Rejected"),
        MerchantStatus.SUSPENDED.value: tk._("Suspended"),
    }


STATUS_TONES = {
    MerchantStatus.PENDING.value: "warning",
    MerchantStatus.VERIFIED.value: "success",
    MerchantStatus.REJECTED.value: "danger",
    MerchantStatus.SUSPENDED.value: "neutral",
}


def options(labels: dict[str, str]) -> list[tuple[str, str]]:
    """``(code, label)`` pairs for a select, in the labels' order."""
    return list(labels.items())
