"""Import of the existing member roll (CSV or XLSX, ~250,000 rows for Malang) via the core importer.

One row per person already registered by the city at BPJS: NIK, KK, name,
birth date, sex, district, card number, start date and class. Rows are
grouped by KK into imported applications (status active, no applicant
account, no number). A row is checked like the form (NIK and KK structure,
sex and birth date against the NIK, the district in the city's list) and
refused with the column and the reason; a person already on the roll is
left as they are (uploading the same file twice adds nothing); a person
with an application still open is refused.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from balai import toolkit as tk

from balai_e_jkn.identity import CARD_PURPOSE, KK_PURPOSE, NIK_PURPOSE, kk_index, nik_index
from balai_e_jkn.settings import EnrolmentSettings
from balai_e_jkn.tables import Enrolment, Member, MemberState, Status
from balai_e_jkn.workflow import MANAGE

SLUG = "e_jkn"
SEXES = {"l": False, "laki-laki": False, "m": False, "p": True, "perempuan": True, "f": True}


def _day(text: str, column: str) -> date:
    field = tk.DateField("date")
    try:
        return field.parse(text)
    except tk.FieldError as exc:
        raise tk.RowError(str(exc), column=column) from None


def _checked(row: dict[str, str]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    found: dict[str, Any] = {}
    for column, parse in (("nik", tk.parse_nik), ("kk", tk.parse_kk)):
        try:
            found[column] = parse(row[column])
        except tk.FieldError as exc:
            errors[column] = str(exc)
    sex = SEXES.get(row["jenis_kelamin"].strip().lower())
    if sex is None:
        errors["jenis_kelamin"] = tk._("Write L (male) or P (female).")
    try:
        found["born"] = _day(row["tanggal_lahir"], "tanggal_lahir")
        found["start"] = _day(row["mulai"], "mulai") if row["mulai"] else None
    except tk.RowError as exc:
        errors.update(exc.errors)
    card = row["nomor_kartu"].replace(" ", "")
    if not (card.isascii() and card.isdigit() and len(card) == 13):
        errors["nomor_kartu"] = tk._("A JKN card number has 13 digits.")
    settings = tk.current_city().settings_for(SLUG) or EnrolmentSettings()
    if row["kecamatan"] and row["kecamatan"] not in settings.kecamatan:
        errors["kecamatan"] = tk._("Not a district (kecamatan) of this city.")
    if not errors and sex is not None and "nik" in found:
        try:
            tk.check_nik_person(found["nik"], female=sex, born=found["born"])
        except tk.FieldError as exc:
            errors["nik"] = str(exc)
    if errors:
        raise tk.RowError(errors=errors)
    return {**found, "female": sex, "card": card, "name": " ".join(row["nama"].split())}


async def _roll_application(kk: str, name: str, kecamatan: str, start: date) -> int:
    index = kk_index(kk)
    found = (
        await Enrolment.select(Enrolment.id)
        .where(
            (Enrolment.kk_index == index)
            & (Enrolment.status == Status.APPROVED.value)
            & Enrolment.number.is_null()
        )
        .first()
    )
    if found:
        return found["id"]
    moment = datetime.combine(start, time(), tk.current_city().tz).astimezone(UTC)
    [row] = await Enrolment.insert(
        Enrolment(
            applicant_name=name,
            status=Status.APPROVED.value,
            created_at=moment,
            active_at=moment,
            kk_sealed=tk.seal(kk, KK_PURPOSE),
            kk_index=index,
            kecamatan=kecamatan,
        )
    )
    return row["id"]


async def import_member(row: dict[str, str], context: tk.ImportContext) -> None:
    """Add one person of the roll (see the module)."""
    person = _checked(row)
    index = nik_index(person["nik"])
    existing = await Member.select(Member.state).where(Member.open_nik_index == index).first()
    if existing is not None:
        if existing["state"] == MemberState.REGISTERED.value:
            return  # already on the roll
        raise tk.RowError(tk._("This person has an application still open."), column="nik")
    start = person["start"] or datetime.now(tk.current_city().tz).date()
    enrolment = await _roll_application(person["kk"], person["name"], row["kecamatan"], start)
    care_class = int(row["kelas"]) if row["kelas"] in ("1", "2", "3") else 3
    await Member.insert(
        Member(
            enrolment=enrolment,
            position=await Member.count().where(Member.enrolment == enrolment),
            name=person["name"],
            nik_sealed=tk.seal(person["nik"], NIK_PURPOSE),
            nik_index=index,
            open_nik_index=index,
            born=person["born"],
            female=person["female"],
            state=MemberState.REGISTERED.value,
            card_sealed=tk.seal(person["card"], CARD_PURPOSE),
            care_class=care_class,
            start_date=start,
        )
    )


ROLL_IMPORTER = tk.Importer(
    key="e_jkn.roll",
    title=tk.N_("Member roll"),
    description=tk.N_(
        "People the city already registered at BPJS (PBPU Pemda), one per row, from the roll"
        " BPJS or Dinkes keeps. Format NIK, KK and card numbers as Text in Excel. A person"
        " already on the roll is left as they are."
    ),
    columns=[
        tk.ImportColumn("nik", tk.N_("NIK, 16 digits"), required=True, example="3573051203850101"),
        tk.ImportColumn(
            "kk", tk.N_("Family card number"), required=True, example="3573052003150101"
        ),
        tk.ImportColumn("nama", tk.N_("Full name"), required=True, example="Budi Santoso"),
        tk.ImportColumn(
            "tanggal_lahir", tk.N_("Date of birth"), required=True, example="1985-03-12"
        ),
        tk.ImportColumn("jenis_kelamin", tk.N_("L or P"), required=True, example="L"),
        tk.ImportColumn("kecamatan", tk.N_("District"), example="Lowokwaru"),
        tk.ImportColumn(
            "nomor_kartu",
            tk.N_("JKN card number, 13 digits"),
            required=True,
            example="0002000000001",
        ),
        tk.ImportColumn("mulai", tk.N_("Cover active from"), example="2020-05-01"),
        tk.ImportColumn("kelas", tk.N_("Care class (1 to 3)"), example="3"),
    ],
    handle_row=import_member,
    permission=MANAGE,
    batch_size=500,
    max_rows=100_000,
    max_bytes=10 * 1024 * 1024,
    back_url="/kelola/e-jkn/",
)
