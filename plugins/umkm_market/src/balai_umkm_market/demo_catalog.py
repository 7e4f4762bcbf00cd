"""What the demo market sells: kinds of local business per city, their products and prices.

Prices are whole rupiah, around what these goods cost in East and Central
Java in 2026; the demo varies them a little per shop.
"""

from __future__ import annotations

from dataclasses import dataclass

from balai_umkm_market.tables import Category

# (name, product category, price in rupiah, unit)
ProductSpec = tuple[str, str, int, str]

SEMBAKO: tuple[ProductSpec, ...] = (
    ("Beras Premium 5 kg", "sembako", 72_000, "pack"),
    ("Beras Medium 5 kg", "sembako", 62_000, "pack"),
    ("Minyak Goreng 1 L", "sembako", 18_500, "liter"),
    ("Minyak Goreng 2 L", "sembako", 36_000, "pack"),
    ("Telur Ayam Ras", "sembako", 28_000, "kg"),
    ("Gula Pasir 1 kg", "sembako", 17_500, "kg"),
    ("Tepung Terigu 1 kg", "sembako", 13_000, "kg"),
    ("Garam Beryodium 250 g", "sembako", 4_000, "pack"),
    ("Kecap Manis 520 ml", "sembako", 22_000, "pcs"),
    ("Mi Instan 1 dus", "sembako", 115_000, "karton"),
)
KOPI_DAMPIT: tuple[ProductSpec, ...] = (
    ("Kopi Dampit Robusta 250 g", "minuman", 45_000, "pack"),
    ("Kopi Dampit Arabika 200 g", "minuman", 65_000, "pack"),
    ("Kopi Bubuk Dampit 100 g", "minuman", 18_000, "pack"),
    ("Biji Kopi Dampit Sangrai 1 kg", "minuman", 160_000, "kg"),
)
KERIPIK_SANAN: tuple[ProductSpec, ...] = (
    ("Keripik Tempe Sanan Original 250 g", "makanan", 15_000, "pack"),
    ("Keripik Tempe Sanan Pedas 250 g", "makanan", 16_000, "pack"),
    ("Keripik Tempe Rumput Laut 250 g", "makanan", 17_000, "pack"),
    ("Tempe Sanan Papan", "makanan", 6_000, "pcs"),
    ("Keripik Apel Malang 100 g", "makanan", 25_000, "pack"),
)
OLEH_OLEH_MALANG: tuple[ProductSpec, ...] = (
    ("Bakpao Telo isi 10", "makanan", 25_000, "pack"),
    ("Brownies Telo", "makanan", 35_000, "pcs"),
    ("Pia Telo isi 10", "makanan", 20_000, "pack"),
    ("Strudel Apel Malang", "makanan", 45_000, "pcs"),
    ("Sari Apel Malang isi 12", "minuman", 25_000, "pack"),
)
BATIK_MALANGAN: tuple[ProductSpec, ...] = (
    ("Kain Batik Malangan Cap 2 m", "fashion", 150_000, "pcs"),
    ("Kain Batik Tulis Malangan 2 m", "fashion", 450_000, "pcs"),
    ("Kemeja Batik Malangan", "fashion", 185_000, "pcs"),
    ("Selendang Batik Motif Topeng", "fashion", 95_000, "pcs"),
)
TOPENG_GERABAH: tuple[ProductSpec, ...] = (
    ("Topeng Malangan Panji", "kerajinan", 250_000, "pcs"),
    ("Topeng Malangan Mini", "kerajinan", 45_000, "pcs"),
    ("Vas Gerabah Dinoyo", "kerajinan", 75_000, "pcs"),
    ("Celengan Gerabah Dinoyo", "kerajinan", 25_000, "pcs"),
)
HASIL_TANI: tuple[ProductSpec, ...] = (
    ("Apel Manalagi", "pertanian", 30_000, "kg"),
    ("Apel Rome Beauty", "pertanian", 28_000, "kg"),
    ("Jeruk Keprok Dau", "pertanian", 22_000, "kg"),
    ("Paket Sayur Sop", "pertanian", 12_000, "paket"),
    ("Cabai Rawit", "pertanian", 45_000, "kg"),
    ("Beras Organik 2 kg", "sembako", 42_000, "pack"),
)
JAMU_MADU: tuple[ProductSpec, ...] = (
    ("Jamu Kunyit Asam 1 L", "kesehatan", 20_000, "liter"),
    ("Jamu Beras Kencur 1 L", "kesehatan", 18_000, "liter"),
    ("Madu Randu 500 ml", "kesehatan", 85_000, "pcs"),
    ("Wedang Jahe Instan", "minuman", 18_000, "pack"),
    ("Susu Sapi Segar 1 L", "minuman", 15_000, "liter"),
)
BUSANA: tuple[ProductSpec, ...] = (
    ("Kaos Sablon Khas Malang", "fashion", 85_000, "pcs"),
    ("Tas Anyaman Pandan", "fashion", 120_000, "pcs"),
    ("Sandal Kulit Handmade", "fashion", 95_000, "pcs"),
)
JASA: tuple[ProductSpec, ...] = (
    ("Servis Sepeda", "jasa", 35_000, "paket"),
    ("Permak Celana", "jasa", 25_000, "pcs"),
    ("Laundry Kiloan", "jasa", 7_000, "kg"),
)
SEMARANG_FOOD: tuple[ProductSpec, ...] = (
    ("Lumpia Semarang Goreng isi 5", "makanan", 35_000, "pack"),
    ("Lumpia Basah isi 5", "makanan", 32_000, "pack"),
    ("Bandeng Presto isi 2", "makanan", 55_000, "pack"),
    ("Wingko Babat isi 10", "makanan", 30_000, "pack"),
    ("Tahu Bakso Ungaran isi 10", "makanan", 28_000, "pack"),
)
BATIK_SEMARANGAN: tuple[ProductSpec, ...] = (
    ("Kain Batik Semarangan Cap 2 m", "fashion", 140_000, "pcs"),
    ("Kemeja Batik Semarangan", "fashion", 175_000, "pcs"),
)
JOGJA_FOOD: tuple[ProductSpec, ...] = (
    ("Bakpia Kacang Hijau isi 20", "makanan", 40_000, "pack"),
    ("Bakpia Keju isi 20", "makanan", 45_000, "pack"),
    ("Gudeg Kaleng", "makanan", 38_000, "pcs"),
    ("Geplak Bantul", "makanan", 20_000, "pack"),
)
PERAK_BATIK_JOGJA: tuple[ProductSpec, ...] = (
    ("Cincin Perak Kotagede", "kerajinan", 175_000, "pcs"),
    ("Bros Perak Filigree", "kerajinan", 220_000, "pcs"),
    ("Kain Batik Tulis Jogja 2 m", "fashion", 400_000, "pcs"),
)


@dataclass(frozen=True)
class ShopKind:
    """A kind of local business: its name pattern, category and what it sells."""

    pattern: str
    category: Category
    products: tuple[ProductSpec, ...]
    description: str


MALANG_KINDS = (
    ShopKind("Toko Sembako {owner}", Category.FOOD, SEMBAKO, "Sembako harian, harga pasar."),
    ShopKind("Toko Sembako {owner}", Category.FOOD, SEMBAKO, "Beras, minyak, telur, gula."),
    ShopKind("Kopi Dampit {owner}", Category.FOOD, KOPI_DAMPIT, "Kopi petani Dampit."),
    ShopKind("Keripik Tempe Sanan {owner}", Category.FOOD, KERIPIK_SANAN, "Dari sentra Sanan."),
    ShopKind("Oleh-oleh {owner}", Category.FOOD, OLEH_OLEH_MALANG, "Bakpao telo dan olahan apel."),
    ShopKind("Batik Malangan {owner}", Category.FASHION, BATIK_MALANGAN, "Batik motif Malangan."),
    ShopKind("Sanggar Topeng {owner}", Category.CRAFT, TOPENG_GERABAH, "Topeng dan gerabah."),
    ShopKind("Tani Segar {owner}", Category.FARM, HASIL_TANI, "Hasil kebun Batu dan Poncokusumo."),
    ShopKind("Jamu {owner}", Category.FOOD, JAMU_MADU, "Jamu segar tiap pagi."),
    ShopKind("Busana {owner}", Category.FASHION, BUSANA, "Busana dan tas buatan tangan."),
    ShopKind("Jasa {owner}", Category.SERVICES, JASA, "Servis dan perbaikan di tempat."),
)
SEMARANG_KINDS = (
    ShopKind("Toko Sembako {owner}", Category.FOOD, SEMBAKO, "Sembako harian."),
    ShopKind("Oleh-oleh {owner}", Category.FOOD, SEMARANG_FOOD, "Lumpia, bandeng, wingko."),
    ShopKind("Batik Semarangan {owner}", Category.FASHION, BATIK_SEMARANGAN, "Batik khas."),
)
YOGYAKARTA_KINDS = (
    ShopKind("Toko Sembako {owner}", Category.FOOD, SEMBAKO, "Sembako harian."),
    ShopKind("Bakpia {owner}", Category.FOOD, JOGJA_FOOD, "Bakpia dan gudeg kaleng."),
    ShopKind("Kerajinan {owner}", Category.CRAFT, PERAK_BATIK_JOGJA, "Perak dan batik tulis."),
)

# (full name, how buyers call the owner)
OWNERS = (
    ("Sri Wahyuni", "Bu Sri"),
    ("Slamet Riyadi", "Pak Slamet"),
    ("Siti Aminah", "Bu Siti"),
    ("Bambang Sutrisno", "Pak Bambang"),
    ("Dewi Lestari", "Mbak Dewi"),
    ("Agus Santoso", "Pak Agus"),
    ("Rini Astuti", "Mbak Rini"),
    ("Hendra Wijaya", "Mas Hendra"),
    ("Endang Susilowati", "Bu Endang"),
    ("Joko Prasetyo", "Cak Joko"),
    ("Yuli Kurniawati", "Bu Yuli"),
    ("Budi Hartono", "Pak Budi"),
    ("Ninik Suryani", "Bu Ninik"),
    ("Teguh Santosa", "Pak Teguh"),
    ("Wahyu Hidayat", "Mas Wahyu"),
    ("Lilik Mardiana", "Bu Lilik"),
    ("Eko Purnomo", "Cak Eko"),
    ("Sulastri", "Bu Lastri"),
    ("Didik Setiawan", "Pak Didik"),
    ("Tri Wulandari", "Mbak Tri"),
    ("Heru Cahyono", "Pak Heru"),
    ("Anik Rahayu", "Bu Anik"),
    ("Sugeng Riyanto", "Pak Sugeng"),
    ("Fitri Handayani", "Mbak Fitri"),
    ("Rudi Hermawan", "Mas Rudi"),
    ("Umi Kulsum", "Bu Umi"),
    ("Imam Syafii", "Pak Imam"),
    ("Nur Hasanah", "Bu Nur"),
    ("Retno Palupi", "Mbak Retno"),
    ("Gatot Wibisono", "Pak Gatot"),
)
BUYERS = (
    "Ahmad Fauzi",
    "Ratna Sari",
    "Dimas Prasetyo",
    "Intan Permatasari",
    "Yusuf Maulana",
    "Putri Anggraini",
    "Rizky Ramadhan",
    "Lina Marlina",
    "Fajar Nugroho",
    "Wulan Safitri",
    "Arif Rahman",
    "Maya Kusuma",
)
STREETS = (
    "Jl. Ijen",
    "Jl. Soekarno-Hatta",
    "Jl. Veteran",
    "Jl. Kawi",
    "Jl. Borobudur",
    "Jl. Sulfat",
    "Jl. Gajayana",
    "Jl. Mayjen Panjaitan",
    "Jl. Ciliwung",
    "Jl. Kolonel Sugiono",
)
FALLBACK_DEPARTMENTS = ("Dinas Pendidikan", "Dinas Kesehatan", "Sekretariat Daerah")
REVIEWS = {
    5: ("Mantap, sesuai pesanan dan cepat sampai.", "Kualitas bagus, pasti pesan lagi."),
    4: ("Barang bagus, pengiriman agak lama.", "Enak, harga bersahabat."),
    3: ("Lumayan, kemasan bisa lebih rapi.",),
    2: ("Kurang segar dari yang saya harapkan.",),
    1: ("Pesanan tidak sesuai foto.",),
}
