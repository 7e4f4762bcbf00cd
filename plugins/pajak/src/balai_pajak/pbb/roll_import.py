"""Importing the tax object roll (CSV/XLSX) through the core's spreadsheet imports.

One row per tax object. :func:`check_row` reads and validates a row without
touching the database (all problems of a row at once, by column);
:func:`upsert_row` writes it: the object is found by its NOP and updated, or
created; its taxpayer is found by NIK when the row has one, otherwise by the
same name and address, or created. Uploading the same file twice changes
nothing the second time.

The core serves the pages (``/kelola`` officers with ``pajak.manage``):
upload at ``/impor/pajak.objects/``, progress and the row-by-row error report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from balai import toolkit as tk

from balai_pajak.tables import TaxObject, Taxpayer

KEY = "pajak.objects"
MAX_AREA = 100_000_000  # m²
MAX_NJOP_PER_M2 = 1_000_000_000  # Rp per m²
YES = {"", "ya", "y", "yes", "1", "aktif", "true"}
NO = {"tidak", "t", "no", "n", "0", "nonaktif", "false"}

COLUMNS = [
    tk.ImportColumn(
        "nop", "The 18-digit NOP, with or without dots", True, "35.73.030.002.001-0005.0"
    ),
    tk.ImportColumn("alamat", "Address of the object", True, "Jl. Basuki Rahmat No. 7"),
    tk.ImportColumn("kecamatan", "District", True, "Klojen"),
    tk.ImportColumn("kelurahan", "Village", True, "Kauman"),
    tk.ImportColumn("luas_bumi", "Land area in m²", True, "310"),
    tk.ImportColumn("luas_bangunan", "Building area in m² (0 or empty: none)", False, "420"),
    tk.ImportColumn("kelas_bumi", "Land NJOP class", False, "A12"),
    tk.ImportColumn("kelas_bangunan", "Building NJOP class", False, "B3"),
    tk.ImportColumn("njop_bumi_per_m2", "Land NJOP per m² in rupiah", True, "4500000"),
    tk.ImportColumn("njop_bangunan_per_m2", "Building NJOP per m² in rupiah", False, "2500000"),
    tk.ImportColumn("nama_wp", "Taxpayer's name", True, "Budi Santoso"),
    tk.ImportColumn("nik_wp", "Taxpayer's NIK (16 digits), if known", False, "3573010101800001"),
    tk.ImportColumn("alamat_wp", "Taxpayer's address", False, "Jl. Ijen No. 30, Malang"),
    tk.ImportColumn("aktif", "ya or tidak (empty: ya)", False, "ya"),
]


@dataclass(frozen=True)
class RollRow:
    """One valid row of the roll."""

    nop: str
    address: str
    district: str
    village: str
    land_area: int
    building_area: int
    land_class: str
    building_class: str
    land_njop_per_m2: int
    building_njop_per_m2: int
    taxpayer_name: str
    taxpayer_nik: str
    taxpayer_address: str
    is_active: bool


def _whole(text: str, limit: int) -> int | None:
    cleaned = text.replace(".", "").replace(" ", "")
    if not cleaned:
        return 0
    if not (cleaned.isascii() and cleaned.isdigit()) or int(cleaned) > limit:
        return None
    return int(cleaned)


def check_row(row: dict[str, str], city: tk.City) -> tuple[RollRow | None, dict[str, str]]:
    """The row as a :class:`RollRow`, or ``None`` and the problems by column."""
    errors: dict[str, str] = {}
    nop = ""
    try:
        nop = tk.read_nop(row.get("nop", ""), city)
    except tk.NopError as exc:
        errors["nop"] = str(exc)
    texts = {}
    for column, limit in (
        ("alamat", 200),
        ("kecamatan", 60),
        ("kelurahan", 60),
        ("nama_wp", 200),
        ("alamat_wp", 300),
    ):
        value = " ".join(row.get(column, "").split())
        if len(value) > limit:
            errors[column] = tk._("At most %(max)s characters.", max=limit)
        texts[column] = value
    numbers = {}
    for column, limit in (
        ("luas_bumi", MAX_AREA),
        ("luas_bangunan", MAX_AREA),
        ("njop_bumi_per_m2", MAX_NJOP_PER_M2),
        ("njop_bangunan_per_m2", MAX_NJOP_PER_M2),
    ):
        value = _whole(row.get(column, ""), limit)
        if value is None:
            errors[column] = tk._(
                "Enter a whole number from 0 to %(max)s.", max=f"{limit:,}".replace(",", ".")
            )
        numbers[column] = value or 0
    classes = {}
    for column in ("kelas_bumi", "kelas_bangunan"):
        value = row.get(column, "").strip().upper()
        if len(value) > 4 or (value and not value.replace("-", "").isalnum()):
            errors[column] = tk._("A class has at most 4 letters or digits, for example A12.")
        classes[column] = value
    nik = row.get("nik_wp", "").strip()
    if nik and not (len(nik) == 16 and nik.isascii() and nik.isdigit()):
        errors["nik_wp"] = tk._("A NIK has exactly 16 digits; leave it empty when unknown.")
    active_text = row.get("aktif", "").strip().lower()
    if active_text not in YES | NO:
        errors["aktif"] = tk._("Write ya or tidak.")
    if numbers["luas_bangunan"] and not numbers["njop_bangunan_per_m2"]:
        errors["njop_bangunan_per_m2"] = tk._("A building needs its NJOP per m².")
    if errors:
        return None, errors
    return (
        RollRow(
            nop=nop,
            address=texts["alamat"],
            district=texts["kecamatan"],
            village=texts["kelurahan"],
            land_area=numbers["luas_bumi"],
            building_area=numbers["luas_bangunan"],
            land_class=classes["kelas_bumi"],
            building_class=classes["kelas_bangunan"],
            land_njop_per_m2=numbers["njop_bumi_per_m2"],
            building_njop_per_m2=numbers["njop_bangunan_per_m2"],
            taxpayer_name=texts["nama_wp"],
            taxpayer_nik=nik,
            taxpayer_address=texts["alamat_wp"],
            is_active=active_text in YES,
        ),
        {},
    )


async def _taxpayer_id(roll: RollRow, now: datetime) -> int:
    """The taxpayer of a row: by NIK, else by the same name and address, else a new one."""
    if roll.taxpayer_nik:
        found = await Taxpayer.select(Taxpayer.id).where(Taxpayer.nik == roll.taxpayer_nik).first()
    else:
        found = (
            await Taxpayer.select(Taxpayer.id)
            .where(
                (Taxpayer.nik == "")
                & (Taxpayer.name == roll.taxpayer_name)
                & (Taxpayer.address == roll.taxpayer_address)
            )
            .first()
        )
    if found is not None:
        return found["id"]
    new = Taxpayer(
        name=roll.taxpayer_name,
        nik=roll.taxpayer_nik,
        address=roll.taxpayer_address,
        created_at=now,
    )
    return (await Taxpayer.insert(new))[0]["id"]


async def upsert_row(roll: RollRow) -> bool:
    """Write one valid row; ``True`` when the object is new."""
    now = datetime.now(UTC)
    values = {
        "address": roll.address,
        "district": roll.district,
        "village": roll.village,
        "land_area": roll.land_area,
        "building_area": roll.building_area,
        "land_class": roll.land_class,
        "building_class": roll.building_class,
        "land_njop_per_m2": roll.land_njop_per_m2,
        "building_njop_per_m2": roll.building_njop_per_m2,
        "taxpayer": await _taxpayer_id(roll, now),
        "is_active": roll.is_active,
    }
    existing = (
        await TaxObject.select(*(TaxObject._meta.get_column_by_name(k) for k in values))
        .where(TaxObject.nop == roll.nop)
        .first()
    )
    if existing is None:
        await TaxObject.insert(TaxObject(nop=roll.nop, updated_at=now, **values))
        return True
    if any(existing[k] != v for k, v in values.items()):
        await TaxObject.update({**values, "updated_at": now}).where(TaxObject.nop == roll.nop)
    return False


async def handle_row(row: dict[str, str], context: tk.ImportContext) -> None:
    """The importer's row handler: check, then write, or reject with the problems."""
    roll, errors = check_row(row, tk.current_city())
    if roll is None:
        raise tk.RowError(errors=errors)
    await upsert_row(roll)


IMPORTER = tk.Importer(
    key=KEY,
    title="Tax objects",
    columns=COLUMNS,
    handle_row=handle_row,
    permission="pajak.manage",
    description=(
        "One row per tax object. A NOP already registered is updated, a new one is added; "
        "the taxpayer is matched by NIK, or by the same name and address."
    ),
    batch_size=500,
    max_rows=100_000,
    back_url="/kelola/pajak/",
)
