"""Demo heritage sites for the cities of the demo instance."""

from __future__ import annotations

from balai import toolkit as tk

from balai_wisata_heritage.tables import Site

# name, description, district (kecamatan), opening hours ("" = the city's default)
DEMO_SITES: dict[str, list[tuple[str, str, str, str]]] = {
    "malang": [
        (
            "Kampung Heritage Kayutangan",
            "Kampung di balik Jalan Basuki Rahmat dengan rumah-rumah zaman Belanda, "
            "tangga kuno dan makam tua.",
            "Klojen",
            "Setiap hari 08.00–21.00",
        ),
        (
            "Balai Kota dan Alun-Alun Tugu",
            "Balai Kota Malang (1929) dan taman bundar dengan Tugu Kemerdekaan, "
            "jantung kota rancangan Thomas Karsten.",
            "Klojen",
            "Senin–Jumat 08.00–15.00",
        ),
        (
            "Gereja Hati Kudus Yesus Kayutangan",
            "Gereja neo-gotik tahun 1905 di simpang Kayutangan.",
            "Klojen",
            "",
        ),
        (
            "Museum Mpu Purwa",
            "Koleksi arca dan prasasti dari masa Kerajaan Kanjuruhan hingga Majapahit.",
            "Lowokwaru",
            "Selasa–Minggu 08.00–15.00",
        ),
        (
            "Kampung Warna-Warni Jodipan",
            "Kampung di tepi Sungai Brantas yang dicat warna-warni dengan jembatan kaca.",
            "Blimbing",
            "Setiap hari 07.00–17.00",
        ),
    ],
    "semarang": [
        (
            "Lawang Sewu",
            "Bekas kantor perusahaan kereta api Hindia Belanda (1907) dengan ratusan pintu.",
            "Semarang Tengah",
            "Setiap hari 07.00–21.00",
        ),
        (
            "Kota Lama Semarang",
            "Kawasan kota tua dengan Gereja Blenduk dan gedung-gedung abad ke-19.",
            "Semarang Utara",
            "",
        ),
    ],
    "yogyakarta": [
        (
            "Keraton Ngayogyakarta Hadiningrat",
            "Istana Kesultanan Yogyakarta sejak 1756, dengan museum dan pertunjukan seni.",
            "Kraton",
            "Selasa–Minggu 08.30–14.00",
        ),
        (
            "Taman Sari",
            "Bekas taman dan pemandian keraton dengan lorong dan masjid bawah tanah.",
            "Kraton",
            "Setiap hari 09.00–15.00",
        ),
        (
            "Benteng Vredeburg",
            "Benteng Belanda abad ke-18 di ujung Malioboro, kini museum perjuangan.",
            "Gondomanan",
            "",
        ),
    ],
}


async def seed(city: tk.City) -> tk.DemoReport:
    """Create the demo heritage sites of ``city`` (inside its scope), once."""
    report = tk.DemoReport()
    rows = DEMO_SITES.get(city.slug, [])
    if not rows or await Site.count() > 0:
        return report
    await Site.insert(
        *(
            Site(name=name, description=description, district=district, opening_hours=hours)
            for name, description, district, hours in rows
        )
    )
    report.summary.append(f"wisata_heritage: {len(rows)} heritage sites")
    return report
