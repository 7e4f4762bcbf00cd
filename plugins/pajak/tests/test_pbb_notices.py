"""SPPT notices through the core documents service: declared by the plugin, issued by a job."""

from __future__ import annotations

from datetime import UTC, date, datetime

from balai import toolkit as tk
from balai_pajak.pbb import notices
from balai_pajak.tables import NopLink
from pbb_seed import add_bill, add_object, add_taxpayer, bills

NOP = "357301000100100010"


def seed(city_run, owner_id=None):
    async def make():
        taxpayer = await add_taxpayer("Hj. Siti Rahayu")
        first = await add_object(NOP, taxpayer)
        second = await add_object("357301000100100020", taxpayer)
        await add_bill(first, NOP, 2026, 1_250_000, date(2026, 8, 31))
        await add_bill(second, "357301000100100020", 2026, 300_000, date(2026, 8, 31))
        await add_bill(first, NOP, 2025, 1_100_000, date(2025, 8, 31))
        if owner_id is not None:
            await NopLink.insert(
                NopLink(user_id=owner_id, tax_object=first, nop=NOP, created_at=datetime.now(UTC))
            )

    city_run("malang", make)


def test_the_plugin_declares_the_notice_with_its_signer_role(balai_app):
    from balai.documents.service import active

    declared = active().catalog.types["pajak.sppt"]
    assert declared.signer_role == "pajak.head"
    assert "pajak.head" in balai_app.ui.access.roles


def test_the_job_issues_the_years_notices_once_for_their_citizen(client, city_run, login_as):
    citizen = login_as(name="Siti Rahayu")
    seed(city_run, citizen["id"])
    issued = city_run("malang", lambda: notices.issue_notices(None, year=2026))
    assert issued == 2
    assert city_run("malang", lambda: notices.issue_notices(None, year=2026)) == 0  # idempotent
    rows = {b["nop"]: b for b in city_run("malang", lambda: bills(2026))}
    assert all(b["notice_number"].startswith("SPPT-") for b in rows.values())
    assert city_run("malang", lambda: bills(2025))[0]["notice_number"] == ""
    documents = {d.number: d for d in city_run("malang", lambda: tk.issued_documents("pajak.sppt"))}
    mine = documents[rows[NOP]["notice_number"]]
    assert mine.status is tk.DocumentStatus.AWAITING and mine.subject_id == citizen["id"]
    assert documents[rows["357301000100100020"]["notice_number"]].subject_id is None
    page = client.get("/malang/dokumen/")
    assert mine.number in page.text and "SPPT" in page.text
    pdf = client.get(f"/malang/dokumen/unduh/{mine.number}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


def test_the_notice_body_shows_the_bill_in_rupiah(balai_app, city_run):
    from balai.documents.service import active

    seed(city_run)
    [bill] = [b for b in city_run("malang", lambda: bills(2026)) if b["nop"] == NOP]
    data = notices.notice_data({**bill, "address": "Jl. Ijen 1"})
    html = (
        active()
        .themes.get("default")
        .get_template(notices.SPPT_NOTICE.template)
        .render(data=data, number="SPPT-X", city=None)
    )
    assert "Rp1.250.000" in html and "35.73.010.001.001-0001.0" in html
    assert "31-08-2026" in html
