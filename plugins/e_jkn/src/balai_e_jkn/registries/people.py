"""The people the sandboxes know: a few named families for tests and the demo, more generated.

Deterministic, so that the demo, the tests and the browser journey agree on
who exists. Kota Malang is region 35.73; its districts (kecamatan) 01
Kedungkandang, 02 Sukun, 03 Klojen, 04 Blimbing, 05 Lowokwaru (Kemendagri
codes; belum diverifikasi / unverified). Names are invented.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from balai_e_jkn.registries.types import Segment

KECAMATAN = {
    "01": "Kedungkandang",
    "02": "Sukun",
    "03": "Klojen",
    "04": "Blimbing",
    "05": "Lowokwaru",
}


@dataclass(frozen=True)
class Resident:
    """One person in the population registry (and perhaps at BPJS)."""

    nik: str
    kk: str
    name: str
    born: date
    female: bool
    domicile: str = "35.73"  # region code of the current domicile
    alive: bool = True
    segment: Segment | None = None  # an active JKN segment, if any
    active: bool = False
    decile: int | None = None  # welfare decile in DTKS/DTSEN (1 poorest), when listed
    welfare_active: bool = True  # the welfare listing is current


def make_nik(region: str, born: date, female: bool, serial: int) -> str:
    """A NIK for a person of ``region`` (``357305``), born ``born``."""
    day = born.day + (40 if female else 0)
    return f"{region}{day:02d}{born:%m%y}{serial:04d}"


def make_kk(region: str, recorded: date, serial: int) -> str:
    """A family card number of ``region`` recorded on ``recorded``."""
    return f"{region}{recorded:%d%m%y}{serial:04d}"


def _family(region: str, recorded: date, serial: int, members, **facts) -> list[Resident]:
    kk = make_kk(region, recorded, serial)
    return [
        Resident(make_nik(region, born, female, serial + n), kk, name, born, female, **facts)
        for n, (name, born, female) in enumerate(members)
    ]


# The families tests and the journey use, by what they show.
SANTOSO = _family(  # a family of three in Lowokwaru, none covered: the journey's family
    "357305",
    date(2015, 3, 20),
    101,
    [
        ("Budi Santoso", date(1985, 3, 12), False),
        ("Sri Wahyuni", date(1987, 7, 21), True),
        ("Rina Santoso", date(2012, 5, 2), True),
    ],
)
HIDAYAT = _family(  # a family of four in Klojen, listed in the welfare registry (decile 3)
    "357303",
    date(2018, 5, 11),
    201,
    [
        ("Agus Hidayat", date(1979, 11, 30), False),
        ("Dewi Lestari", date(1982, 1, 15), True),
        ("Fajar Hidayat", date(2010, 9, 9), False),
        ("Putri Hidayat", date(2015, 12, 24), True),
    ],
    decile=3,
)
AMINAH = _family(  # a widow in Kedungkandang, once self-paying, welfare decile 1
    "357301",
    date(2010, 2, 1),
    301,
    [("Siti Aminah", date(1960, 2, 2), True)],
    segment=Segment.PBPU_MANDIRI,
    decile=1,
)
SUSILO = _family(  # a factory worker whose employer pays: not eligible; welfare listing lapsed
    "357302",
    date(2016, 8, 17),
    401,
    [("Joko Susilo", date(1975, 6, 6), False)],
    segment=Segment.PPU,
    active=True,
    decile=6,
    welfare_active=False,
)
KARTO = _family(  # recorded as deceased
    "357304",
    date(2001, 4, 4),
    501,
    [("Karto Wiryo", date(1940, 1, 1), False)],
    alive=False,
)
PINDAH = _family(  # a Malang NIK, moved to Surabaya (35.78); listed there (decile 2)
    "357305",
    date(2019, 9, 1),
    601,
    [("Wahyu Pratama", date(1990, 10, 10), False)],
    domicile="35.78",
    decile=2,
)
SEMARANG = _family(  # a Semarang NIK and domicile
    "337401",
    date(2017, 7, 7),
    701,
    [("Ningsih Rahayu", date(1992, 4, 14), True)],
    domicile="33.74",
)
NAMED = [*SANTOSO, *HIDAYAT, *AMINAH, *SUSILO, *KARTO, *PINDAH, *SEMARANG]

_GIVEN = ["Ahmad", "Bambang", "Dwi", "Eko", "Hadi", "Imam", "Rudi", "Slamet", "Teguh", "Yusuf"]
_GIVEN_F = ["Ani", "Endang", "Indah", "Lina", "Nur", "Ratna", "Sari", "Tutik", "Wati", "Yuni"]
_FAMILY = ["Prasetyo", "Wibowo", "Saputra", "Kurniawan", "Setiawan", "Nugroho", "Utomo"]


def generated(count: int = 60, seed: int = 3573) -> list[Resident]:
    """``count`` more families of Kota Malang (1 to 5 people each), always the same ones."""
    rng = random.Random(seed)  # noqa: S311 (made-up people, the same every run)
    people: list[Resident] = []
    for n in range(count):
        district = rng.choice(sorted(KECAMATAN))
        head_born = date(rng.randint(1955, 1998), rng.randint(1, 12), rng.randint(1, 28))
        surname = rng.choice(_FAMILY)
        members = [(f"{rng.choice(_GIVEN)} {surname}", head_born, False)]
        if rng.random() < 0.8:
            members.append((f"{rng.choice(_GIVEN_F)} {surname}", head_born.replace(day=1), True))
        for _child in range(rng.randint(0, 3)):
            born = date(rng.randint(2000, 2024), rng.randint(1, 12), rng.randint(1, 28))
            female = rng.random() < 0.5
            members.append(
                (f"{rng.choice(_GIVEN_F if female else _GIVEN)} {surname}", born, female)
            )
        recorded = date(rng.randint(2005, 2024), rng.randint(1, 12), rng.randint(1, 28))
        people += _family(f"3573{district}", recorded, 1000 + n * 10, members)
    return people


def population() -> list[Resident]:
    """Everyone the sandboxes know."""
    return [*NAMED, *generated()]
