"""Issuing documents: the hook, the PDF (PDF/A, letterhead, number, QR), storage, who sees it."""

from __future__ import annotations

import hashlib

import pytest
from balai import toolkit as tk
from balai.audit.tables import AuditEntry
from balai.documents import service, verification
from balai.documents.catalog import DocumentCatalog, UnknownDocumentTypeError
from balai.documents.tables import Document
from balai.files.tables import FileRecord
from balai.plugins import PluginError
from documents_support import LETTER

DATA = {"name": "Siti Aminah", "purpose": "Pendaftaran sekolah", "fee": 1250000}


def issue(city_run, subject_id=None, city="malang", data=DATA):
    return city_run(city, lambda: tk.issue_document(LETTER.key, data=data, subject_id=subject_id))


def rows(city_run, table, city="malang"):
    async def read():
        return await table.select()

    return city_run(city, read)


def test_a_document_is_rendered_as_pdfa_stored_with_its_hash_and_queued(client, city_run):
    issued = issue(city_run)
    assert issued.status is tk.DocumentStatus.AWAITING
    assert LETTER.numbering.parse(issued.number) == issued.number
    [doc] = rows(city_run, Document)
    [stored] = rows(city_run, FileRecord)
    assert stored["token"] == doc["file_token"] == doc["unsigned_token"]
    assert stored["sha256"] == doc["sha256"] == issued.sha256
    data = city_run("malang", lambda: service.files.read_bytes(doc["file_token"]))
    assert hashlib.sha256(data).hexdigest() == issued.sha256
    assert data.startswith(b"%PDF-")
    assert b"pdfaid:part" in data and b"GTS_PDFA1" in data  # PDF/A-2b metadata and intent
    assert b"/FontFile2" in data  # the font is embedded
    assert city_run("malang", lambda: _number_in(data)) == issued.number  # in the title
    assert doc["signer_role"] == "surat.head" and doc["sig_box"].count(",") == 3
    assert doc["retain_until"].year == doc["issued_at"].year + LETTER.retention_years
    [entry] = [e for e in rows(city_run, AuditEntry) if e["action"] == "documents.issued"]
    assert entry["subject"] == f"document:{issued.number}"


async def _number_in(data):
    return verification.number_in(data)


def test_the_body_comes_from_the_theme_chain_with_rupiah(balai_app):
    env = service.active().themes.get("default")
    html = env.get_template(LETTER.template).render(data=DATA, number="X", city=None)
    assert "Rp1.250.000" in html and "Siti Aminah" in html


def test_the_place_and_date_line_names_the_city_without_its_kind():
    from balai.tenants import City

    assert service.place_name(City(slug="malang", name="Kota Malang")) == "Malang"
    assert service.place_name(City(slug="x", name="Kabupaten Sleman")) == "Sleman"


def test_missing_data_or_an_unknown_type_stores_nothing(city_run):
    with pytest.raises(ValueError, match="lacks fee"):
        issue(city_run, data={"name": "A", "purpose": "B"})
    with pytest.raises(UnknownDocumentTypeError):
        city_run("malang", lambda: tk.issue_document("surat.lain", data=DATA))
    assert rows(city_run, Document) == [] and rows(city_run, FileRecord) == []


def test_a_city_without_the_plugin_cannot_issue_its_documents(balai_app, city_run):
    from dataclasses import replace

    from balai.tenants import city_scope

    other = replace(balai_app.ui.config.cities["semarang"], plugins=())

    async def attempt():
        with city_scope(other):
            return await tk.issue_document(LETTER.key, data=DATA)

    with pytest.raises(UnknownDocumentTypeError):
        city_run("semarang", attempt)


def test_declarations_are_checked():
    with pytest.raises(ValueError):
        tk.DocumentType(key="nodot", title="x", template="a/b.html", numbering=LETTER.numbering)
    with pytest.raises(ValueError):
        tk.DocumentType(key="a.b", title="x", template="../b.html", numbering=LETTER.numbering)
    with pytest.raises(PluginError):
        DocumentCatalog([LETTER, LETTER])


def test_the_citizen_sees_and_downloads_their_document_others_do_not(client, city_run, login_as):
    citizen = login_as(name="Siti Aminah")
    issued = issue(city_run, subject_id=citizen["id"])
    page = client.get("/malang/dokumen/")
    assert page.status_code == 200 and issued.number in page.text
    assert "Certificate letter" in page.text or "Surat" in page.text
    account = client.get("/malang/akun")
    assert "/malang/dokumen/" in account.text
    pdf = client.get(f"/malang/dokumen/unduh/{issued.number}")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == issued.sha256
    assert pdf.headers["cache-control"] == "private, no-store"
    login_as()  # another citizen
    assert client.get(f"/malang/dokumen/unduh/{issued.number}").status_code == 404
    assert issued.number not in client.get("/malang/dokumen/").text
    assert client.get("/malang/dokumen/unduh/SKET-2026-0000-0000-0").status_code == 404


def test_officers_see_the_list_and_their_download_is_audited(client, city_run, login_as):
    citizen = login_as()
    issued = issue(city_run, subject_id=citizen["id"])
    login_as()
    assert client.get("/malang/kelola/dokumen/").status_code == 403
    records = login_as("documents.records")
    page = client.get("/malang/kelola/dokumen/")
    assert page.status_code == 200 and issued.number in page.text
    assert client.get(f"/malang/dokumen/unduh/{issued.number}").status_code == 200
    viewed = [e for e in rows(city_run, AuditEntry) if e["action"] == "documents.viewed"]
    assert [(e["actor_id"], e["personal_data_of"]) for e in viewed] == [
        (records["id"], citizen["id"])
    ]


def test_a_document_is_not_reachable_from_another_city(client, city_run, login_as):
    login_as("documents.records", "semarang")
    issued = issue(city_run)
    assert client.get(f"/semarang/dokumen/unduh/{issued.number}").status_code == 404
    assert client.get(f"/semarang/dokumen/verifikasi/{issued.number}").status_code == 404
