"""Public verification: by number (QR) and by upload; intact, altered, untrusted; the CLI."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from balai import toolkit as tk
from balai.documents.signing import authority, pades
from balai.documents.signing.keystore import LocalKeystore
from balai.documents.tables import Document
from balai.files.tables import FileRecord
from documents_support import LETTER, secret_key

VERIFY = "/malang/dokumen/verifikasi"
DATA = {"name": "Siti Aminah", "purpose": "Pendaftaran sekolah", "fee": 15000}


def issue(city_run, city="malang"):
    return city_run(city, lambda: tk.issue_document(LETTER.key, data=DATA))


def signed_pdf(client, city_run, city_ca, official, post_form, login_as) -> tuple[str, bytes]:
    city_ca()
    issued = issue(city_run)
    head = official()
    answer = post_form(
        "/malang/dokumen/tanda-tangan", {"nomor": [issued.number], "kode": head.code()}
    )
    assert answer.status_code == 303
    login_as("documents.records")
    return issued.number, client.get(f"/malang/dokumen/unduh/{issued.number}").content


def upload(post_form, data: bytes, name="surat.pdf", content_type="application/pdf"):
    return post_form(VERIFY, {}, files={"berkas": (name, data, content_type)})


def file_rows(city_run):
    async def count():
        return await FileRecord.count()

    return city_run("malang", count)


def test_the_qr_page_shows_the_public_facts_of_a_signed_document(
    client, city_run, city_ca, official, post_form, login_as
):
    number, _ = signed_pdf(client, city_run, city_ca, official, post_form, login_as)
    client.cookies.clear()  # anyone, not logged in
    page = client.get(f"{VERIFY}/{number}")
    assert page.status_code == 200
    for text in (number, "Budi Hartono", "Kepala Dinas Uji", "Ditandatangani"):
        assert text in page.text
    assert "Siti Aminah" not in page.text  # the content stays private
    typed = client.get(VERIFY, params={"nomor": number.lower().replace("-", " ")})
    assert typed.status_code == 200 and number in typed.text
    assert client.get(f"{VERIFY}/SKET-2026-0000-0000-0").status_code == 404
    assert client.get(VERIFY, params={"nomor": "bukan nomor"}).status_code == 404


def test_the_qr_code_holds_the_absolute_verification_url(balai_app, city_run):
    from balai.documents import service
    from balai.tenants import current_city

    issued = issue(city_run)

    async def url():
        return service.verification_url(current_city(), issued.number)

    assert city_run("malang", url) == f"https://malang.localhost/dokumen/verifikasi/{issued.number}"


def test_an_uploaded_signed_pdf_is_intact_and_one_changed_byte_is_altered(
    client, city_run, city_ca, official, post_form, login_as
):
    number, pdf = signed_pdf(client, city_run, city_ca, official, post_form, login_as)
    before = file_rows(city_run)
    intact = upload(post_form, pdf)
    assert intact.status_code == 200 and "Utuh" in intact.text and number in intact.text
    at = pdf.index(b"595.28")  # the page width, inside the signed bytes
    changed = pdf[:at] + b"595.29" + pdf[at + 6 :]
    assert sum(a != b for a, b in zip(pdf, changed, strict=True)) == 1
    altered = upload(post_form, changed)
    assert altered.status_code == 200 and "Diubah" in altered.text
    assert "Utuh" not in altered.text
    assert file_rows(city_run) == before  # nothing stored


def test_an_unsigned_copy_is_recognised_and_an_unknown_pdf_is_not(client, city_run, post_form):
    issued = issue(city_run)

    async def read():
        row = await Document.select().where(Document.number == issued.number).first()
        from balai.files import service as files

        return await files.read_bytes(row["file_token"])

    original = city_run("malang", read)
    assert "Utuh" in upload(post_form, original).text
    from files_samples import pdf_bytes

    unknown = upload(post_form, pdf_bytes())
    assert unknown.status_code == 200 and "Tidak dikenali" in unknown.text


def test_a_signature_from_outside_the_citys_ca_is_not_trusted(
    client, city_run, city_ca, official, post_form, balai_app
):
    city_ca()
    city_ca("semarang")
    issued = issue(city_run)
    outsider = official(city="semarang", name="Orang Luar")

    async def original():
        row = await Document.select().where(Document.number == issued.number).first()
        from balai.files import service as files

        return row, await files.read_bytes(row["file_token"])

    row, pdf = city_run("malang", original)

    async def forge():
        from balai.documents.signing.tsa import TimestampServer

        del TimestampServer
        cert = await authority.valid_certificate(outsider.id)
        opened = await authority.open_authority(secret_key(balai_app))
        crl = await authority.current_crl(secret_key(balai_app))
        signer = await LocalKeystore(secret_key(balai_app)).signer_for(cert, "")
        request = pades.SignatureRequest(
            pdf=pdf,
            page=row["sig_page"],
            box=tuple(int(v) for v in row["sig_box"].split(",")),
            stamp_text="Orang Luar",
            reason="palsu",
            location="Semarang",
        )
        return await pades.sign_pdf(
            request,
            signer,
            context=pades.validation_context(opened.ca_cert, crl, [opened.tsa_cert]),
            stamper=pades.timestamper(
                f"{balai_app.ui.config.cities['semarang'].settings_for('documents').timestamp_url}/semarang"
            ),
        )

    forged = city_run("semarang", forge)
    answer = upload(post_form, forged)
    assert answer.status_code == 200 and "Tidak tepercaya" in answer.text
    assert "Utuh" not in answer.text


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (b"hello, this is text", "surat.pdf", "application/pdf"),
        (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "rusak.pdf", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "foto.png", "image/png"),
        (b"", "kosong.pdf", "application/pdf"),
    ],
)
def test_a_non_pdf_or_corrupted_upload_gets_a_clear_answer_and_nothing_is_stored(
    client, city_run, post_form, data, name, content_type
):
    before = file_rows(city_run)
    answer = upload(post_form, data, name, content_type)
    assert 400 <= answer.status_code < 500
    assert 'class="field-error"' in answer.text
    assert file_rows(city_run) == before


def test_the_upload_form_needs_its_csrf_token(client):
    answer = client.post(VERIFY, files={"berkas": ("a.pdf", b"%PDF-1.7", "application/pdf")})
    assert answer.status_code == 403


@pytest.mark.skipif(
    shutil.which("pyhanko", path=str(Path(sys.executable).parent)) is None, reason="no pyhanko CLI"
)
def test_pyhankos_own_cli_validates_a_signed_document(
    client, city_run, city_ca, official, post_form, login_as, tmp_path
):
    _, pdf = signed_pdf(client, city_run, city_ca, official, post_form, login_as)
    (tmp_path / "surat.pdf").write_bytes(pdf)
    (tmp_path / "ca.pem").write_bytes(client.get("/malang/dokumen/ca/sertifikat").content)
    cli = str(Path(sys.executable).parent / "pyhanko")

    def validate(*extra):
        return subprocess.run(
            [
                cli,
                "sign",
                "validate",
                "--trust",
                str(tmp_path / "ca.pem"),
                "--trust-replace",
                "--executive-summary",
                *extra,
                str(tmp_path / "surat.pdf"),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    result = validate("--no-revocation-check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith(":VALID")
    # Revocation checked where the CRL's address answers (the test city's host does not).
    checked = validate("--soft-revocation-check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    (tmp_path / "surat.pdf").write_bytes(pdf.replace(b"595.28", b"595.29", 1))
    assert validate("--no-revocation-check").returncode != 0


del asyncio
