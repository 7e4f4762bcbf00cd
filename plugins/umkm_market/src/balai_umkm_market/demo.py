"""Demo merchants for the cities of the demo instance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from balai import toolkit as tk

from balai_umkm_market.tables import Category, Merchant, MerchantStatus

FIRST_REGISTERED = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)

# name, owner, district (kecamatan), category, verified
DEMO_MERCHANTS: dict[str, list[tuple[str, str, str, Category, bool]]] = {
    "malang": [
        ("Keripik Tempe Sanan Bu Sri", "Sri Wahyuni", "Blimbing", Category.FOOD, True),
        ("Batik Celaket", "Anita Rahmawati", "Klojen", Category.FASHION, True),
        ("Topeng Malangan Pak Handoyo", "Handoyo", "Kedungkandang", Category.CRAFT, True),
        ("Kopi Dampit Tlogomas", "Dimas Prasetyo", "Lowokwaru", Category.FOOD, False),
        ("Apel Segar Mbak Rini", "Rini Astuti", "Sukun", Category.FARM, True),
        ("Servis Sepeda Cak Mat", "Slamet Riyadi", "Sukun", Category.SERVICES, False),
    ],
    "semarang": [
        ("Lumpia Gang Lombok Mbak Ning", "Ningsih", "Semarang Tengah", Category.FOOD, True),
        ("Bandeng Presto Bu Yati", "Suryati", "Pedurungan", Category.FOOD, True),
        ("Batik Semarangan Tembalang", "Dewi Kartika", "Tembalang", Category.FASHION, False),
    ],
    "yogyakarta": [
        ("Bakpia Pathuk Pak Darmo", "Sudarmo", "Ngampilan", Category.FOOD, True),
        ("Perak Kotagede Sumarno", "Sumarno", "Kotagede", Category.CRAFT, True),
        ("Gudeg Wijilan Bu Lies", "Sulistyowati", "Kraton", Category.FOOD, False),
    ],
}


async def seed(city: tk.City) -> tk.DemoReport:
    """Create the demo merchants of ``city`` (inside its scope), once."""
    report = tk.DemoReport()
    rows = DEMO_MERCHANTS.get(city.slug, [])
    if not rows or await Merchant.count() > 0:
        return report
    await Merchant.insert(
        *(
            Merchant(
                name=name,
                owner_name=owner,
                district=district,
                category=category.value,
                status=(MerchantStatus.VERIFIED if verified else MerchantStatus.PENDING).value,
                created_at=FIRST_REGISTERED + timedelta(days=9 * number),
            )
            for number, (name, owner, district, category, verified) in enumerate(rows)
        )
    )
    report.summary.append(f"umkm_market: {len(rows)} merchants")
    return report
