"""Demo events over the next two months, at the demo sites (times in the city's zone)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from balai_wisata_heritage.events.tables import Event

# title, kind, site name, first day (days from today), start, end (local), repeat every n days
# (0: once), times, status, summary
DemoEvent = tuple[str, str, str, int, time, time, int, int, str, str]

DEMO_EVENTS: dict[str, list[DemoEvent]] = {
    "malang": [
        (
            "Jelajah Kampung Kayutangan",
            "guided_walk",
            "Kampung Heritage Kayutangan",
            2,
            time(7, 0),
            time(9, 30),
            7,
            9,
            "published",
            "Jalan kaki berpemandu warga kampung, mulai di pos Gang VI.",
        ),
        (
            "Pameran Arca Kanjuruhan",
            "exhibition",
            "Museum Mpu Purwa",
            5,
            time(8, 0),
            time(15, 0),
            0,
            1,
            "published",
            "Koleksi arca dari masa Kanjuruhan, dipamerkan sebulan.",
        ),
        (
            "Festival Kayutangan Heritage",
            "festival",
            "Koridor Kayutangan (Jalan Basuki Rahmat)",
            12,
            time(16, 0),
            time(22, 0),
            1,
            2,
            "published",
            "Musik keroncong, kuliner lama dan pasar barang antik di sepanjang koridor.",
        ),
        (
            "Konser Gamelan di Balai Kota",
            "performance",
            "Balai Kota dan Alun-Alun Tugu",
            20,
            time(19, 0),
            time(21, 0),
            0,
            1,
            "published",
            "Gamelan dan tari topeng Malangan.",
        ),
        (
            "Malang Tempo Doeloe",
            "festival",
            "Jalan Ijen (boulevard)",
            38,
            time(9, 0),
            time(21, 0),
            1,
            3,
            "published",
            "Jalan Ijen kembali ke masa lalu: busana, kuliner dan permainan tempo doeloe.",
        ),
        (
            "Lokakarya Batik Kayutangan",
            "workshop",
            "Kampung Heritage Kayutangan",
            9,
            time(9, 0),
            time(12, 0),
            0,
            1,
            "cancelled",
            "Dibatalkan: pemandu berhalangan.",
        ),
        (
            "Festival Kampung Warna-Warni",
            "festival",
            "Kampung Warna-Warni Jodipan",
            50,
            time(8, 0),
            time(17, 0),
            0,
            1,
            "draft",
            "Masih dirancang bersama warga.",
        ),
    ],
    "yogyakarta": [
        (
            "Jelajah Kotagede",
            "guided_walk",
            "Kotagede",
            3,
            time(7, 0),
            time(10, 0),
            7,
            9,
            "published",
            "Dari Pasar Kotagede ke Masjid Gedhe dan rumah-rumah kalang.",
        ),
        (
            "Pameran Batik di Taman Sari",
            "exhibition",
            "Taman Sari",
            8,
            time(9, 0),
            time(15, 0),
            0,
            1,
            "published",
            "Batik motif keraton, dua pekan.",
        ),
        (
            "Pertunjukan Wayang Kulit",
            "performance",
            "Keraton Ngayogyakarta Hadiningrat",
            15,
            time(20, 0),
            time(23, 30),
            14,
            4,
            "published",
            "Wayang kulit semalam di Bangsal.",
        ),
    ],
    "semarang": [
        (
            "Lawang Sewu Malam Hari",
            "guided_walk",
            "Lawang Sewu",
            4,
            time(19, 0),
            time(21, 0),
            7,
            8,
            "published",
            "Tur malam berpemandu.",
        ),
    ],
}
LONG_RUNNING_DAYS = {"Pameran Arca Kanjuruhan": 30, "Pameran Batik di Taman Sari": 14}


def _at(day: date, moment: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, moment, tzinfo=tz).astimezone(UTC)


async def seed_events(slug: str, tz: ZoneInfo, today: date, site_ids: dict[str, int]) -> int:
    """Insert the demo events of city ``slug`` (current scope); how many."""
    rows: list[Event] = []
    for title, kind, site, first, start, end, every, times, status, summary in DEMO_EVENTS.get(
        slug, []
    ):
        for n in range(times):
            day = today + timedelta(days=first + n * (every or 1))
            last = day + timedelta(days=LONG_RUNNING_DAYS.get(title, 0))
            rows.append(
                Event(
                    title=title,
                    kind=kind,
                    site=site_ids.get(site),
                    venue="" if site in site_ids else site,
                    starts_at=_at(day, start, tz),
                    ends_at=_at(last, end, tz),
                    summary=summary,
                    description_id=f"**{title}** — {summary}\n\n*Data demo.*",
                    description_en="",
                    status=status,
                    updated_at=datetime.now(UTC),
                )
            )
    if rows:
        await Event.insert(*rows)
    return len(rows)
