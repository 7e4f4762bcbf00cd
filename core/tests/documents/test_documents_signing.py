"""Signing: the queue, a fresh second factor, PAdES B-LT with a real RFC 3161 TSA, refusals."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from balai import toolkit as tk
from balai.audit.tables import AuditEntry
from balai.documents.signing import authority
from balai.documents.tables import Document, SigningCertificate
from balai.files.tables import FileRecord
from documents_support import LETTER
from pyhanko.pdf_utils.reader import PdfFileReader

QUEUE = "/malang/dokumen/tanda-tangan"
DATA = {"name": "Siti Aminah", "purpose": "Pendaftaran sekolah", "fee": 0}


def issue(city_run, city="malang", subject_id=None):
    return city_run(city, lambda: tk.issue_document(LETTER.key, data=DATA, subject_id=subject_id))


def document(city_run, number, city="malang"):
    async def read():
        return await Document.select().where(Document.number == number).first()

    return city_run(city, read)


def audit(city_run, action, city="malang"):
    async def read():
        return await AuditEntry.select().where(AuditEntry.action == action)

    return city_run(city, read)


def sign(post_form, numbers, code, path=QUEUE):
    return post_form(path, {"nomor": numbers, "kode": code})


def test_an_official_signs_one_document_pades_b_lt_with_a_timestamp(
    client, city_run, city_ca, official, post_form, login_as
):
    city_ca()
    citizen = login_as()
    issued = issue(city_run, subject_id=citizen["id"])
    head = official()
    queue = client.get(QUEUE)
    assert queue.status_code == 200 and issued.number in queue.text
    answer = sign(post_form, [issued.number], head.code())
    assert answer.status_code == 303, answer.text
    row = document(city_run, issued.number)
    assert row["status"] == "signed" and row["signed_by_id"] == head.id
    assert row["signer_name"] == "Budi Hartono" and row["signer_serial"] == head.serial
    assert row["file_token"] != row["unsigned_token"] and row["sha256"] != issued.sha256
    pdf = client.get(f"/malang/dokumen/unduh/{issued.number}").content
    reader = PdfFileReader(io.BytesIO(pdf))
    [sig] = reader.embedded_signatures
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    unsigned_attrs = [a["type"].native for a in sig.signer_info["unsigned_attrs"]]
    assert "signature_time_stamp_token" in unsigned_attrs  # the TSA's RFC 3161 token
    assert "/DSS" in reader.root  # validation data embedded (B-LT)
    assert sig.sig_field["/Rect"] is not None  # a visible block
    chain = {c.chosen.subject.native["common_name"] for c in sig.signed_data["certificates"]}
    assert {"Budi Hartono", "Kota Malang Root CA"} <= chain
    [entry] = audit(city_run, "documents.signed")
    assert entry["actor_id"] == head.id and entry["subject"] == f"document:{issued.number}"
    assert issued.number not in client.get(QUEUE).text  # left the queue


def test_a_batch_is_signed_with_one_code(client, city_run, city_ca, official, post_form):
    city_ca()
    numbers = [issue(city_run).number for _ in range(3)]
    head = official()
    assert sign(post_form, numbers, head.code()).status_code == 303
    assert {document(city_run, n)["status"] for n in numbers} == {"signed"}
    assert len(audit(city_run, "documents.signed")) == 3


def unsigned(city_run, number):
    return document(city_run, number)["status"] == "awaiting"


def files_count(city_run):
    async def count():
        return await FileRecord.count()

    return city_run("malang", count)


def test_without_a_second_factor_nothing_is_signed(client, city_run, city_ca, official, post_form):
    city_ca()
    issued = issue(city_run)
    official(totp=False)
    before = files_count(city_run)
    answer = sign(post_form, [issued.number], "123456")
    assert answer.status_code == 403 and "dua langkah" in answer.text.lower()
    assert unsigned(city_run, issued.number) and files_count(city_run) == before
    [refused] = audit(city_run, "documents.sign_refused")
    assert '"no_second_factor"' in refused["detail"]


def test_a_wrong_or_reused_code_signs_nothing(client, city_run, city_ca, official, post_form):
    city_ca()
    first, second = issue(city_run), issue(city_run)
    head = official()
    wrong = str((int(head.code()) + 1) % 1_000_000).zfill(6)
    answer = sign(post_form, [first.number], wrong)
    assert answer.status_code == 403 and "salah" in answer.text
    assert unsigned(city_run, first.number)
    assert sign(post_form, [], head.code()).status_code == 400  # nothing chosen
    code = head.code()
    assert sign(post_form, [first.number], code).status_code == 303
    assert sign(post_form, [second.number], code).status_code == 403  # a code works once
    assert unsigned(city_run, second.number)


def test_an_already_signed_document_is_not_signed_again(
    client, city_run, city_ca, official, post_form
):
    city_ca()
    issued = issue(city_run)
    head = official()
    assert sign(post_form, [issued.number], head.code()).status_code == 303
    signed_token = document(city_run, issued.number)["file_token"]
    head.totp = head.totp  # the next 30 s step gives a fresh code
    answer = sign(post_form, [issued.number], _next_code(head))
    assert answer.status_code == 409 and "sudah ditandatangani" in answer.text
    assert document(city_run, issued.number)["file_token"] == signed_token
    assert len(audit(city_run, "documents.signed")) == 1


def _next_code(head):
    return head.totp.at(datetime.now(UTC) + timedelta(seconds=30))


def test_another_citys_document_or_role_signs_nothing(
    client, city_run, city_ca, official, post_form
):
    city_ca()
    city_ca("semarang")
    theirs = issue(city_run, city="semarang")
    head = official()
    answer = sign(post_form, [theirs.number], head.code())
    assert answer.status_code == 409 and "Tidak ada dokumen" in answer.text
    assert unsigned_in(city_run, theirs.number, "semarang")


def unsigned_in(city_run, number, city):
    return document(city_run, number, city)["status"] == "awaiting"


def test_an_official_without_the_role_sees_nothing_and_signs_nothing(
    client, city_run, city_ca, official, post_form
):
    city_ca()
    issued = issue(city_run)
    clerk = official("documents.records")
    assert issued.number not in client.get(QUEUE).text
    answer = sign(post_form, [issued.number], clerk.code())
    assert answer.status_code == 409 and "peran" in answer.text.lower()
    assert unsigned(city_run, issued.number)


def test_a_citizen_cannot_open_the_queue(client, login_as):
    login_as()
    assert client.get(QUEUE).status_code == 403


def test_a_revoked_or_expired_certificate_cannot_sign(
    client, city_run, city_ca, official, post_form, balai_app
):
    city_ca()
    issued = issue(city_run)
    head = official()
    assert city_run("malang", lambda: authority.revoke(head.serial))
    answer = sign(post_form, [issued.number], head.code())
    assert answer.status_code == 403 and "sertifikat" in answer.text.lower()
    assert unsigned(city_run, issued.number)

    async def expire():
        await SigningCertificate.update({SigningCertificate.revoked_at: None}).where(
            SigningCertificate.serial == head.serial
        )
        await SigningCertificate.update(
            {SigningCertificate.not_after: datetime.now(UTC) - timedelta(days=1)}
        ).where(SigningCertificate.serial == head.serial)

    city_run("malang", expire)
    answer = sign(post_form, [issued.number], _next_code(head))
    assert answer.status_code == 403 and unsigned(city_run, issued.number)


def test_the_crl_lists_a_revoked_certificate(client, city_run, city_ca, official):
    from cryptography import x509

    city_ca()
    head = official()
    city_run("malang", lambda: authority.revoke(head.serial))
    answer = client.get("/malang/dokumen/ca/crl")
    assert answer.headers["content-type"] == "application/pkix-crl"
    crl = x509.load_der_x509_crl(answer.content)
    assert crl.get_revoked_certificate_by_serial_number(int(head.serial, 16)) is not None
    assert client.get("/malang/dokumen/ca/sertifikat").text.startswith("-----BEGIN CERTIFICATE")
    assert client.get("/semarang/dokumen/ca/crl").status_code == 404  # no CA there yet


def test_the_timestamp_authority_refuses_a_malformed_request(city_ca, tsa_server):
    import httpx
    from asn1crypto import tsp

    city_ca()
    answer = httpx.post(
        f"{tsa_server.url}/malang",
        content=b"not a request",
        headers={"Content-Type": "application/timestamp-query"},
    )
    assert answer.headers["content-type"] == "application/timestamp-reply"
    status = tsp.PKIStatusInfo.load(answer.content[2:])  # the one field of the answer
    assert status["status"].native == "rejection" and answer.content[0] == 0x30
    assert httpx.post(f"{tsa_server.url}/nowhere", content=b"x").status_code == 404
