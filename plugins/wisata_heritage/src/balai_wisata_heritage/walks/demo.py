"""Demo walks: through Kayutangan in Malang, Kotagede and the palace quarter in Yogyakarta."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from balai import toolkit as tk

from balai_wisata_heritage.figures.content import walk_views
from balai_wisata_heritage.walks.tables import Walk, WalkStop

#: Days of past page views seeded for each demo walk (the mayor's "top routes").
VIEW_DAYS = 60

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


async def seed_walks(slug: str, site_ids: dict[str, int], today: date) -> int:
    """Insert the demo walks of city ``slug`` (current scope) with past page views; how many."""
    made = 0
    for index, (name, summary, description, stops) in enumerate(DEMO_WALKS.get(slug, [])):
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
        for back in range(1, VIEW_DAYS + 1):  # a steady, made-up interest, first walk most
            views = (back * 7 + index * 5) % 11 + (6 if index == 0 else 1)
            await tk.bump_metric(walk_views(walk_id), views, day=today - timedelta(days=back))
        made += 1
    return made
