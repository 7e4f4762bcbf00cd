"""Demo tax objects for the cities of the demo instance."""

from __future__ import annotations

from balai import toolkit as tk

from balai_pajak.tables import TaxObject

# nop digits, address, district (kecamatan), village (kelurahan), land m², building m²
DEMO_OBJECTS: dict[str, list[tuple[str, str, str, str, int, int]]] = {
    "malang": [
        ("357301000100100010", "Jl. Ki Ageng Gribig No. 45", "Kedungkandang", "Kotalama", 180, 96),
        ("357301000500200070", "Jl. Danau Toba E5 No. 12", "Kedungkandang", "Sawojajar", 120, 110),
        ("357302000300400120", "Jl. Kol. Sugiono No. 88", "Sukun", "Gadang", 250, 140),
        ("357302000800100030", "Jl. Raya Bandulan No. 21", "Sukun", "Bandulan", 96, 72),
        ("357303000200100050", "Jl. Basuki Rahmat No. 7", "Klojen", "Kauman", 310, 420),
        ("357303000700300020", "Jl. Ijen No. 30", "Klojen", "Oro-oro Dowo", 600, 380),
        ("357304000100200110", "Jl. Letjen S. Parman No. 54", "Blimbing", "Purwantoro", 200, 150),
        ("357304000400100090", "Jl. Ahmad Yani No. 102", "Blimbing", "Arjosari", 140, 90),
        ("357305000300200040", "Jl. MT Haryono No. 16", "Lowokwaru", "Dinoyo", 160, 210),
        ("357305000900500010", "Jl. Soekarno Hatta No. 9", "Lowokwaru", "Jatimulyo", 400, 260),
    ],
    "semarang": [
        ("337413000100200030", "Jl. Pemuda No. 118", "Semarang Tengah", "Sekayu", 350, 500),
        ("337406000300100080", "Jl. Sisingamangaraja No. 4", "Candisari", "Kaliwiru", 220, 160),
        ("337403000200400050", "Jl. Setiabudi No. 27", "Banyumanik", "Srondol Kulon", 150, 100),
        ("337407000500100060", "Jl. Bulusan Raya No. 3", "Tembalang", "Bulusan", 130, 84),
    ],
    "yogyakarta": [
        ("347102000100100020", "Jl. Rotowijayan No. 5", "Kraton", "Kadipaten", 210, 180),
        ("347106000300200070", "Jl. Sagan No. 14", "Gondokusuman", "Terban", 190, 150),
        ("347104000200300010", "Jl. Kusumanegara No. 88", "Umbulharjo", "Muja Muju", 280, 200),
        ("347113000100400030", "Jl. AM Sangaji No. 41", "Jetis", "Cokrodiningratan", 160, 120),
    ],
}


async def seed(city: tk.City) -> tk.DemoReport:
    """Create the demo tax objects of ``city`` (inside its scope), once."""
    report = tk.DemoReport()
    rows = DEMO_OBJECTS.get(city.slug, [])
    if not rows or await TaxObject.count() > 0:
        return report
    await TaxObject.insert(
        *(
            TaxObject(
                nop=nop,
                address=address,
                district=district,
                village=village,
                land_area=land,
                building_area=building,
            )
            for nop, address, district, village, land, building in rows
        )
    )
    report.summary.append(f"pajak: {len(rows)} tax objects")
    return report
