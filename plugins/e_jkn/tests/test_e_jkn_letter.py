"""The letter of JKN membership: issued through the core documents service when BPJS registers.

Issue (one per registered person, never twice) -> render (a PDF with the
number in its title, NIK masked in its data) -> the citizen's documents, the
records office's list, the head of Dinkes's signing queue -> public
verification by number (the QR's target) and by upload of the PDF.
"""

from __future__ import annotations

import json

from balai import toolkit as tk
from balai.documents.tables import Document
from balai_e_jkn.membership.document import HEAD, MEMBERSHIP_LETTER
from balai_e_jkn.registration import register_batch
from balai_e_jkn.registries.people import SANTOSO
from e_jkn_support import documents, family_data

APPLY = "/malang/e-jkn/daftar"


def letters(city_run):
    return city_run("malang", lambda: tk.issued_documents(MEMBERSHIP_LETTER.key))


def registered_family(client, login_as, post_form, city_run, balai_app):
    citizen = login_as(name="Budi Santoso")
    response = post_form(APPLY, family_data(SANTOSO), files=documents())
    assert response.status_code == 303, response.text
    number = response.headers["location"].rsplit("/", 1)[1]
    assert letters(city_run) == []  # not before the person is active
    login_as("e_jkn.officer")
    step = f"/malang/kelola/e-jkn/pengajuan/{number}/langkah"
    assert post_form(step, {"step": "verify"}).status_code == 303
    city = balai_app.ui.config.cities["malang"]
    result = city_run("malang", register_batch, city)
    assert result.registered == 3
    return citizen, number


def test_each_registered_person_gets_one_letter_with_the_nik_masked(
    client, login_as, post_form, city_run, balai_app
):
    citizen, number = registered_family(client, login_as, post_form, city_run, balai_app)
    issued = letters(city_run)
    assert len(issued) == 3
    assert {d.subject_id for d in issued} == {citizen["id"]}
    assert {d.status for d in issued} == {tk.DocumentStatus.AWAITING}  # for the head of Dinkes

    async def stored():
        return await Document.select(Document.data, Document.reference, Document.retain_until)

    rows = city_run("malang", stored)
    assert sorted(r["reference"] for r in rows) == [f"{number}/{n}" for n in range(3)]
    for row, person in zip(sorted(rows, key=lambda r: r["reference"]), SANTOSO, strict=True):
        data = json.loads(row["data"])
        assert person.nik not in row["data"]
        assert data["nik_masked"].startswith("3573") and "*" in data["nik_masked"]
        assert data["name"] == person.name and data["card_number"].startswith("0002")
    # the batch running again issues nothing twice
    city_run("malang", register_batch, balai_app.ui.config.cities["malang"])
    assert len(letters(city_run)) == 3


def test_the_letter_reaches_the_citizen_the_office_the_signer_and_verifies(
    client, login_as, post_form, city_run, balai_app
):
    citizen, _ = registered_family(client, login_as, post_form, city_run, balai_app)
    numbers = sorted(d.number for d in letters(city_run))
    assert all(n.startswith("SKJKN-") for n in numbers)

    login_as(HEAD)  # the head of Dinkes sees them waiting for a signature
    queue = client.get("/malang/dokumen/tanda-tangan")
    assert all(n in queue.text for n in numbers)
    login_as("documents.records")  # and the records office lists them
    assert all(n in client.get("/malang/kelola/dokumen/").text for n in numbers)

    client.cookies.clear()
    post_form("/malang/masuk", {"login": citizen["login"], "password": citizen["password"]})
    mine = client.get("/malang/dokumen/")
    assert all(n in mine.text for n in numbers)
    assert "Surat keterangan kepesertaan JKN" in mine.text
    pdf = client.get(f"/malang/dokumen/unduh/{numbers[0]}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    client.cookies.clear()  # anyone: the QR's page, then the PDF uploaded
    page = client.get(f"/malang/dokumen/verifikasi/{numbers[0]}")
    assert page.status_code == 200 and numbers[0] in page.text
    assert "Surat keterangan kepesertaan JKN" in page.text and "Budi Santoso" not in page.text
    uploaded = post_form(
        "/malang/dokumen/verifikasi",
        {},
        files={"berkas": ("surat.pdf", pdf.content, "application/pdf")},
    )
    assert uploaded.status_code == 200 and "Utuh" in uploaded.text and numbers[0] in uploaded.text
