"""Demo heritage sites of the demo cities, with their legal data marked unverified.

Coordinates are approximate (read off a public map, to about 50 m). No
registration number or decree number below was checked against the national
register (Registrasi Nasional Cagar Budaya) or the city's decrees, so none is
written: each site says so in ``legal_source`` and shows "unverified".
Opening hours are as commonly announced, also unverified.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from balai_wisata_heritage.sites.tables import Site, SiteException

UNVERIFIED = (
    "Belum diverifikasi / unverified: status dari pemberitaan umum; "
    "nomor registrasi nasional dan SK penetapan belum dicek"
)


@dataclass(frozen=True)
class DemoSite:
    """One demo site."""

    name: str
    description: str
    district: str
    hours: str
    category: str
    protection: str
    lat: float
    lon: float
    address: str
    story_id: str
    story_en: str
    facilities: str = ""
    accessibility: str = ""


MALANG = [
    DemoSite(
        "Kampung Heritage Kayutangan",
        "Kampung di balik Jalan Basuki Rahmat dengan rumah-rumah zaman Belanda, "
        "tangga kuno dan makam tua.",
        "Klojen",
        "Setiap hari 08.00–21.00",
        "area",
        "suspected",
        -7.97770,
        112.63000,
        "Jl. Basuki Rahmat Gang VI, Kauman, Klojen",
        "## Kampung di balik etalase kota\n\nDi belakang toko-toko Kayutangan ada kampung "
        "yang tumbuh sejak **abad ke-19**: rumah-rumah *indische*, tangga batu, dan makam "
        "Mbah Honggo.\n\n- Rumah Namsin\n- Tangga Seribu\n- Pasar Krempyeng",
        "## The kampung behind the shop fronts\n\nBehind the shops of Kayutangan lies a "
        "kampung that grew from the **19th century**: *indische* houses, stone stairs and "
        "the tomb of Mbah Honggo.",
        "Toilet umum\nMusala\nPemandu warga (pesan di pos)",
        "Gang sempit dan banyak anak tangga: tidak bisa dilalui kursi roda.",
    ),
    DemoSite(
        "Koridor Kayutangan (Jalan Basuki Rahmat)",
        "Deretan toko tahun 1920-an dan simpang PLN yang menjadi wajah kota lama.",
        "Klojen",
        "Terbuka 24 jam",
        "area",
        "suspected",
        -7.97690,
        112.63050,
        "Jl. Basuki Rahmat, Klojen",
        "Koridor pertokoan yang ditata ulang pada 2021 dengan trotoar lebar dan lampu "
        "bergaya lama.",
        "A shopping street of the 1920s, redone in 2021 with wide pavements and old-style lamps.",
        "Trotoar lebar\nBangku",
        "Trotoar rata dengan ramp di persimpangan.",
    ),
    DemoSite(
        "Balai Kota dan Alun-Alun Tugu",
        "Balai Kota Malang (1929) dan taman bundar dengan Tugu Kemerdekaan, "
        "jantung kota rancangan Thomas Karsten.",
        "Klojen",
        "Senin–Jumat 08.00–15.00",
        "building",
        "city",
        -7.97700,
        112.63400,
        "Jl. Tugu No. 1, Kiduldalem, Klojen",
        "Balai Kota menghadap taman bundar **Alun-Alun Tugu**, bagian dari *Bouwplan* "
        "Karsten. Tugu di tengah kolam teratai diresmikan pada 1953.",
        "The city hall faces the round **Tugu square**, part of Karsten's *Bouwplan*. "
        "The monument in the lotus pond was inaugurated in 1953.",
        "Taman\nToilet di balai kota (jam kerja)",
        "Taman rata; pintu masuk balai kota berundak.",
    ),
    DemoSite(
        "Jalan Ijen (boulevard)",
        "Boulevard berpohon palem dengan rumah-rumah villa 1920-an dan Katedral Ijen.",
        "Klojen",
        "Terbuka 24 jam; Car Free Day Minggu pagi",
        "area",
        "suspected",
        -7.97150,
        112.62180,
        "Jl. Ijen, Oro-oro Dowo, Klojen",
        "Jalan Ijen dirancang sebagai *boulevard* kawasan elite pada **Bouwplan V**.",
        "Ijen street was laid out as a boulevard for villas in **Bouwplan V**.",
        "Trotoar\nCar Free Day (Minggu 06.00–10.00)",
        "Trotoar lebar, beberapa bagian rusak.",
    ),
    DemoSite(
        "Gereja Hati Kudus Yesus Kayutangan",
        "Gereja neo-gotik tahun 1905 di simpang Kayutangan.",
        "Klojen",
        "",
        "building",
        "city",
        -7.97810,
        112.63070,
        "Jl. Basuki Rahmat No. 32, Kauman, Klojen",
        "Gereja bergaya **neo-gotik** dengan dua menara, salah satu gereja tertua di kota.",
        "A **neo-Gothic** church with two towers, one of the oldest in the city.",
        "Parkir terbatas",
        "Pintu samping tanpa anak tangga.",
    ),
    DemoSite(
        "Gereja Katedral Ijen (Santa Maria Bunda Karmel)",
        "Katedral bergaya neo-gotik (1934) di Jalan Ijen.",
        "Klojen",
        "",
        "building",
        "city",
        -7.97180,
        112.62190,
        "Jl. Guntur No. 2, Oro-oro Dowo, Klojen",
        "Katedral di ujung Jalan Ijen, dibangun dengan bata merah ekspos.",
        "The cathedral at the end of Ijen street, built of exposed red brick.",
        "Parkir\nToilet",
        "Ramp di pintu utama.",
    ),
    DemoSite(
        "Museum Mpu Purwa",
        "Koleksi arca dan prasasti dari masa Kerajaan Kanjuruhan hingga Majapahit.",
        "Lowokwaru",
        "Selasa–Minggu 08.00–15.00",
        "building",
        "suspected",
        -7.93850,
        112.61890,
        "Jl. Soekarno-Hatta B-210, Mojolangu, Lowokwaru",
        "Museum arkeologi kota dengan arca **Ganesha**, lingga-yoni dan prasasti.",
        "The city's archaeology museum: a **Ganesha** statue, lingga-yoni and inscriptions.",
        "Toilet\nParkir\nPemandu",
        "Satu lantai, pintu lebar.",
    ),
    DemoSite(
        "Kampung Warna-Warni Jodipan",
        "Kampung di tepi Sungai Brantas yang dicat warna-warni dengan jembatan kaca.",
        "Blimbing",
        "Setiap hari 07.00–17.00",
        "area",
        "suspected",
        -7.98260,
        112.63740,
        "Jodipan, Blimbing",
        "Kampung yang dicat warga dan mahasiswa pada 2016.",
        "A kampung painted by its residents and students in 2016.",
        "Toilet\nWarung",
        "Banyak anak tangga curam.",
    ),
]

SEMARANG = [
    DemoSite(
        "Lawang Sewu",
        "Bekas kantor perusahaan kereta api Hindia Belanda (1907) dengan ratusan pintu.",
        "Semarang Tengah",
        "Setiap hari 07.00–21.00",
        "building",
        "national",
        -6.98390,
        110.41050,
        "Jl. Pemuda, Sekayu, Semarang Tengah",
        "Gedung kantor *Nederlandsch-Indische Spoorweg Maatschappij*.",
        "The head office of the *Nederlandsch-Indische Spoorweg Maatschappij*.",
    ),
    DemoSite(
        "Kota Lama Semarang",
        "Kawasan kota tua dengan Gereja Blenduk dan gedung-gedung abad ke-19.",
        "Semarang Utara",
        "",
        "area",
        "national",
        -6.96820,
        110.42760,
        "Kota Lama, Semarang Utara",
        "Kawasan dagang Belanda dengan **Gereja Blenduk** (1753).",
        "The Dutch trading quarter with **Gereja Blenduk** (1753).",
    ),
]

YOGYAKARTA = [
    DemoSite(
        "Keraton Ngayogyakarta Hadiningrat",
        "Istana Kesultanan Yogyakarta sejak 1756, dengan museum dan pertunjukan seni.",
        "Kraton",
        "Selasa–Minggu 08.30–14.00",
        "site",
        "national",
        -7.80530,
        110.36420,
        "Jl. Rotowijayan Blok No. 1, Kadipaten, Kraton",
        "Istana yang masih dihuni Sultan; pertunjukan gamelan dan wayang tiap hari.",
        "The palace where the Sultan still lives; gamelan and wayang every day.",
        "Toilet\nPemandu\nToko suvenir",
        "Halaman berpasir dan berundak.",
    ),
    DemoSite(
        "Taman Sari",
        "Bekas taman dan pemandian keraton dengan lorong dan masjid bawah tanah.",
        "Kraton",
        "Setiap hari 09.00–15.00",
        "site",
        "national",
        -7.81010,
        110.35940,
        "Jl. Taman, Patehan, Kraton",
        "Taman air kerajaan yang dibangun pada masa **Sultan Hamengkubuwono I**; "
        "*Sumur Gumuling* adalah masjid bawah tanahnya.",
        "The royal water garden built under **Sultan Hamengkubuwono I**; *Sumur Gumuling* "
        "is its underground mosque.",
        "Toilet\nPemandu",
        "Banyak anak tangga; kolam utama bisa dicapai dengan bantuan.",
    ),
    DemoSite(
        "Kotagede",
        "Kota lama Mataram Islam: pasar, makam raja, rumah kalang dan perak.",
        "Kotagede",
        "Makam: Minggu, Senin, Kamis, Jumat 10.00–13.00",
        "area",
        "national",
        -7.82850,
        110.39950,
        "Jagalan dan Prenggan, Kotagede",
        "Ibu kota pertama **Mataram Islam** (abad ke-16), dengan Masjid Gedhe dan makam "
        "Panembahan Senopati.",
        "The first capital of **Islamic Mataram** (16th century), with its great mosque and "
        "the tomb of Panembahan Senopati.",
        "Pengrajin perak\nWarung kipo",
        "Gang sempit berbatu.",
    ),
    DemoSite(
        "Benteng Vredeburg",
        "Benteng Belanda abad ke-18 di ujung Malioboro, kini museum perjuangan.",
        "Gondomanan",
        "",
        "structure",
        "national",
        -7.80030,
        110.36610,
        "Jl. Margo Mulyo No. 6, Ngupasan, Gondomanan",
        "Benteng yang kini menjadi museum **diorama** sejarah perjuangan.",
        "A fort, now a museum of history **dioramas**.",
        "Toilet\nParkir",
        "Ramp di pintu utama.",
    ),
]

DEMO_SITES: dict[str, list[DemoSite]] = {
    "malang": MALANG,
    "semarang": SEMARANG,
    "yogyakarta": YOGYAKARTA,
}


async def seed_sites(slug: str, today: date) -> dict[str, int]:
    """Insert the demo sites of the city ``slug`` (current scope); their ids by name.

    Also two upcoming exceptions (a closure, shorter hours) for Museum Mpu
    Purwa in Malang and for the first site elsewhere.
    """
    rows = DEMO_SITES.get(slug, [])
    if not rows:
        return {}
    inserted = await Site.insert(
        *(
            Site(
                name=s.name,
                description=s.description,
                district=s.district,
                opening_hours=s.hours,
                category=s.category,
                protection=s.protection,
                legal_verified=False,
                legal_source=UNVERIFIED,
                story_id=s.story_id,
                story_en=s.story_en,
                address=s.address,
                latitude=s.lat,
                longitude=s.lon,
                facilities=s.facilities,
                accessibility=s.accessibility,
                status="published",
            )
            for s in rows
        )
    ).returning(Site.id)
    ids = {s.name: row["id"] for s, row in zip(rows, inserted, strict=True)}
    first = ids["Museum Mpu Purwa"] if slug == "malang" else ids[rows[0].name]
    await SiteException.insert(
        SiteException(
            site=first,
            starts_on=today + timedelta(days=3),
            ends_on=today + timedelta(days=4),
            closed=True,
            note="Perawatan koleksi",
        ),
        SiteException(
            site=first,
            starts_on=today + timedelta(days=10),
            ends_on=today + timedelta(days=10),
            closed=False,
            hours="08.00–12.00",
            note="Jam pendek: acara kota",
        ),
    )
    return ids
