"""Officers import the existing premises registry (CSV or XLSX) through the core's importer.

Each row is checked exactly as the household's form checks it
(:class:`~balai_sipaldi.premises.forms.PremisesForm`); a row with the NOP of
a premises already registered updates it, any other row adds one (without
an owner until the household claims it).
"""

from __future__ import annotations

from balai import toolkit as tk

from balai_sipaldi.permissions import MANAGE
from balai_sipaldi.premises import registry
from balai_sipaldi.premises.forms import PremisesForm
from balai_sipaldi.tables import Premises, TankType

KEY = "sipaldi.premises"
# spreadsheet column -> form field
COLUMNS = {
    "alamat": "address",
    "kelurahan": "kelurahan",
    "nop": "nop",
    "jenis_tangki": "tank_type",
    "volume_m3": "tank_litres",
    "tahun_dibangun": "year_built",
    "panjang_selang_m": "hose_metres",
    "terakhir_disedot": "last_desludged",
}
TANK_WORDS = {
    "kedap": TankType.SEALED.value,
    "septik": TankType.SEALED.value,
    "cubluk": TankType.CESSPIT.value,
}


async def handle_row(row: dict[str, str], context: tk.ImportContext) -> None:
    """Check one row as the form does; add the premises or update the one with its NOP."""
    data = {field: row.get(column, "") for column, field in COLUMNS.items()}
    kind = data["tank_type"].lower()
    data["tank_type"] = TANK_WORDS.get(kind, kind)
    form = PremisesForm(data)
    if not await form.validate():
        by_column = {field: column for column, field in COLUMNS.items()}
        raise tk.RowError(errors={by_column[f]: message for f, message in form.errors.items()})
    nop = form.clean["nop"]
    existing = await Premises.select().where(Premises.nop == nop).first() if nop else None
    if existing:
        await registry.correct(existing, form.clean)
    else:
        await registry.register(form.clean, None)


IMPORTER = tk.Importer(
    key=KEY,
    title="Premises registry",
    description="Upload the existing registry of septic tanks as a CSV or Excel (XLSX) file, "
    "one premises per row. A row with the NOP of a registered premises updates it; any other "
    "row adds a premises.",
    columns=[
        tk.ImportColumn("alamat", "Street address", required=True, example="Jl. Semeru No. 9"),
        tk.ImportColumn(
            "kelurahan", "Kelurahan, as the city lists it", required=True, example="Kauman"
        ),
        tk.ImportColumn(
            "nop", "PBB tax object number (NOP), optional", example="357303000100100010"
        ),
        tk.ImportColumn(
            "jenis_tangki",
            "Tank type: sealed (kedap), biofilter or cesspit (cubluk)",
            required=True,
            example="kedap",
        ),
        tk.ImportColumn("volume_m3", "Tank volume in m³", required=True, example="2,5"),
        tk.ImportColumn("tahun_dibangun", "Year built", example="2012"),
        tk.ImportColumn(
            "panjang_selang_m", "Hose length needed in metres", required=True, example="15"
        ),
        tk.ImportColumn("terakhir_disedot", "Last emptied (YYYY-MM-DD)", example="2023-05-17"),
    ],
    handle_row=handle_row,
    permission=MANAGE,
    back_url="/kelola/sipaldi/",
)
