"""Region codes of the provinces and their regencies and cities, for NIK and KK checks.

Kemendagri numbers the regencies (kabupaten) of a province from 01 and its
cities (kota) from 71, each in order; this table keeps, per province code, how
many of each there are, so ``35.73`` (Kota Malang: Jawa Timur, the third
kota) is a real code and ``35.99`` is not.

Source: Permendagri 72/2019 and Kepmendagri 100.1.1-6117/2022 on the codes
and data of administrative areas (counts as of 2022, including the Papua
provinces created that year, 93-96, while the NIKs issued earlier keep their
91/92 codes). Belum diverifikasi / unverified against the current
Kepmendagri list: check before relying on a refusal at the edge of a range.
"""

from __future__ import annotations

# Province code: (number of kabupaten, number of kota).
REGENCY_COUNTS: dict[int, tuple[int, int]] = {
    11: (18, 5),  # Aceh
    12: (25, 8),  # Sumatera Utara
    13: (12, 7),  # Sumatera Barat
    14: (10, 2),  # Riau
    15: (9, 2),  # Jambi
    16: (13, 4),  # Sumatera Selatan
    17: (9, 1),  # Bengkulu
    18: (13, 2),  # Lampung
    19: (6, 1),  # Kepulauan Bangka Belitung
    21: (5, 2),  # Kepulauan Riau
    31: (1, 5),  # DKI Jakarta
    32: (18, 9),  # Jawa Barat
    33: (29, 6),  # Jawa Tengah
    34: (4, 1),  # DI Yogyakarta
    35: (29, 9),  # Jawa Timur
    36: (4, 4),  # Banten
    51: (8, 1),  # Bali
    52: (8, 2),  # Nusa Tenggara Barat
    53: (21, 1),  # Nusa Tenggara Timur
    61: (12, 2),  # Kalimantan Barat
    62: (13, 1),  # Kalimantan Tengah
    63: (11, 2),  # Kalimantan Selatan
    64: (7, 3),  # Kalimantan Timur
    65: (4, 1),  # Kalimantan Utara
    71: (11, 4),  # Sulawesi Utara
    72: (12, 1),  # Sulawesi Tengah
    73: (21, 3),  # Sulawesi Selatan
    74: (15, 2),  # Sulawesi Tenggara
    75: (5, 1),  # Gorontalo
    76: (6, 0),  # Sulawesi Barat
    81: (9, 2),  # Maluku
    82: (8, 2),  # Maluku Utara
    91: (28, 1),  # Papua (codes issued before the 2022 split)
    92: (12, 1),  # Papua Barat (before Papua Barat Daya)
    93: (4, 0),  # Papua Selatan
    94: (8, 0),  # Papua Tengah
    95: (8, 0),  # Papua Pegunungan
    96: (5, 1),  # Papua Barat Daya
}
KOTA_FROM = 71


def is_province(code: int) -> bool:
    """Whether ``code`` (two digits) is a province's."""
    return code in REGENCY_COUNTS


def is_regency(province: int, regency: int) -> bool:
    """Whether ``province.regency`` (``35``, ``73``) names a kabupaten or kota."""
    counts = REGENCY_COUNTS.get(province)
    if counts is None:
        return False
    kabupaten, kota = counts
    return 1 <= regency <= kabupaten or KOTA_FROM <= regency < KOTA_FROM + kota


def regency_codes() -> list[str]:
    """Every ``PPRR`` code, sorted (for tests and generators)."""
    return sorted(
        f"{p:02d}{r:02d}"
        for p, (kab, kota) in REGENCY_COUNTS.items()
        for r in [*range(1, kab + 1), *range(KOTA_FROM, KOTA_FROM + kota)]
    )
