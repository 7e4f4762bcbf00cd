"""Demo walks: through Kayutangan in Malang, Kotagede and the palace quarter in Yogyakarta."""

from __future__ import annotations

from datetime import UTC, datetime

from balai_wisata_heritage.walks.tables import Walk, WalkStop

# A stop: a demo site's name, or (name, latitude, longitude); then minutes there and a note.
Stop = tuple[str | tuple[str, float, float], int, str]
DemoWalk = tuple[str, str, str, list[Stop]]

DEMO_WALKS: dict[str, list[DemoWalk]] = {
    "malang": [
        (
            "Jelajah Kayutangan",
            "Dari Balai Kota ke kampung di balik Kayutangan, sekitar dua jam.",
            "Rute pagi hari; bawa air minum. Kampung mempunyai banyak anak tangga.",
            [
                ("Balai Kota dan Alun-Alun Tugu", 15, "Mulai di depan Tugu."),
                ("Koridor Kayutangan (Jalan Basuki Rahmat)", 20, "Fasad toko tahun 1920-an."),
                ("Gereja Hati Kudus Yesus Kayutangan", 15, "Lihat dari halaman."),
                ("Kampung Heritage Kayutangan", 40, "Masuk lewat Gang VI."),
                (("Rumah Namsin", -7.97725, 112.62960), 10, "Rumah tua di dalam kampung."),
            ],
        ),
        (
            "Boulevard Ijen",
            "Villa 1920-an dan katedral di sepanjang Jalan Ijen.",
            "",
            [
                ("Gereja Katedral Ijen (Santa Maria Bunda Karmel)", 20, ""),
                ("Jalan Ijen (boulevard)", 30, "Berjalan ke utara di trotoar barat."),
            ],
        ),
    ],
    "yogyakarta": [
        (
            "Kotagede, kota lama Mataram",
            "Pasar, masjid, makam raja dan rumah kalang dalam satu pagi.",
            "",
            [
                (("Pasar Kotagede", -7.82640, 110.39820), 15, "Pasar tertua Mataram."),
                (("Masjid Gedhe Mataram", -7.82970, 110.39830), 20, "Berbusana sopan."),
                ("Kotagede", 30, "Makam Panembahan Senopati (jam terbatas)."),
                (("Rumah Kalang", -7.82710, 110.40090), 15, "Rumah saudagar abad ke-20."),
            ],
        ),
        (
            "Keraton dan Taman Sari",
            "Dari istana ke taman air kerajaan.",
            "",
            [
                ("Keraton Ngayogyakarta Hadiningrat", 60, ""),
                ("Taman Sari", 45, "Sumur Gumuling di sisi barat."),
            ],
        ),
    ],
}


async def seed_walks(slug: str, site_ids: dict[str, int]) -> int:
    """Insert the demo walks of city ``slug`` (current scope); how many."""
    made = 0
    for name, summary, description, stops in DEMO_WALKS.get(slug, []):
        done = await Walk.insert(
            Walk(
                name=name,
                summary=summary,
                description_id=description,
                status="published",
                updated_at=datetime.now(UTC),
            )
        ).returning(Walk.id)
        walk_id = done[0]["id"]
        rows = []
        for position, (place, minutes, note) in enumerate(stops, 1):
            if isinstance(place, tuple):
                stop = WalkStop(name=place[0], latitude=place[1], longitude=place[2])
            else:
                stop = WalkStop(site=site_ids[place])
            stop.walk = walk_id
            stop.position = position
            stop.minutes = minutes
            stop.note = note
            rows.append(stop)
        await WalkStop.insert(*rows)
        made += 1
    return made
