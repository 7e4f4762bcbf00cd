"""SPPT notices: each year's PBB-P2 bill as an official document signed by the head of Bapenda.

The documents service (``tk.DocumentType``, ``tk.issue_document``) renders the
notice from ``templates/pajak/documents/sppt.html``, stores it and queues it
for the signature of the role ``pajak.head``; the citizen who linked the NOP
sees it among their documents. The job ``pajak.issue_notices`` issues the
notices of one year in NOP order, skipping bills that have one already
(``Sppt.notice_number``), so it can run again after an interruption.
"""

from __future__ import annotations

from datetime import timedelta

from balai import toolkit as tk

from balai_pajak.tables import NopLink, Sppt

JOB_NAME = "pajak.issue_notices"
HEAD = "pajak.head"
SPPT_NOTICE = tk.DocumentType(
    key="pajak.sppt",
    title=tk.N_("PBB-P2 tax assessment notice (SPPT)"),
    template="pajak/documents/sppt.html",
    numbering=tk.ReferenceFormat("SPPT"),
    required_data=("nop", "year", "tax_due"),
    signer_role=HEAD,
    signer_position="Kepala Badan Pendapatan Daerah",
    department="Badan Pendapatan Daerah",
    retention_years=10,
)


def notice_data(bill: dict) -> dict:
    """What the notice shows: the bill as it was assessed (integer rupiah)."""
    keys = (
        "nop",
        "year",
        "taxpayer_name",
        "land_area",
        "building_area",
        "njop_land",
        "njop_building",
        "njoptkp",
        "taxable_base",
        "tax_due",
        "regulation",
    )
    data = {key: bill[key] for key in keys}
    data["nop_display"] = tk.format_nop(bill["nop"])
    data["address"] = bill.get("address", "")
    data["due_date_text"] = bill["due_date"].strftime("%d-%m-%Y")
    return data


async def owners(nops: list[str]) -> dict[str, int]:
    """The first linked account of each NOP (the citizen the notice concerns)."""
    found: dict[str, int] = {}
    rows = await NopLink.select(NopLink.nop, NopLink.user_id).where(NopLink.nop.is_in(nops))
    for row in sorted(rows, key=lambda r: r["user_id"]):
        found.setdefault(row["nop"], row["user_id"])
    return found


async def issue_notices(
    city: tk.City,
    *,
    year: int,
    limit: int | None = None,
    nops: list[str] | None = None,
    **_: object,
) -> int:
    """Issue the notices of ``year`` that are missing (of ``nops`` only, when given).

    Returns how many were issued.
    """
    where = (Sppt.year == year) & (Sppt.notice_number == "")
    if nops is not None:
        where &= Sppt.nop.is_in(nops or [""])
    query = (
        Sppt.select(Sppt.all_columns(), Sppt.tax_object.address.as_alias("address"))
        .where(where)
        .order_by(Sppt.nop)
    )
    if limit is not None:
        query = query.limit(limit)
    bills = await query
    linked = await owners([b["nop"] for b in bills]) if bills else {}
    for bill in bills:
        issued = await tk.issue_document(
            SPPT_NOTICE.key, data=notice_data(bill), subject_id=linked.get(bill["nop"])
        )
        await Sppt.update({Sppt.notice_number: issued.number}).where(Sppt.id == bill["id"])
    return len(bills)


async def _run(city: tk.City, *, year: int, **_: object) -> None:
    await issue_notices(city, year=year)


def job() -> tk.Job:
    """The job declaration (for the ``scheduled_jobs`` hook)."""
    return tk.Job(
        name=JOB_NAME,
        run=_run,
        description="Issue the year's SPPT notices (documents to be signed by the head of Bapenda)",
        timeout=timedelta(hours=4),
    )
