"""Citizen and public pages at ``/dokumen/``: my documents, downloads, verification."""

from __future__ import annotations

import logging
from typing import Any

from cryptography.hazmat.primitives import serialization
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery

from balai.audit.log import record as audit_record
from balai.auth.access import PUBLIC, CurrentUser, current_user, require_login
from balai.documents import service, verification
from balai.documents.signing import authority
from balai.documents.signing.authority import KeystoreError
from balai.files import service as files
from balai.files.errors import UploadRejected
from balai.files.names import content_disposition
from balai.files.serving import PRIVATE_CACHE
from balai.web.rendering import render

log = logging.getLogger("balai.documents")
VIEW = "documents.view"
MAX_NUMBER = 64


def may_open(document: dict[str, Any], user: CurrentUser | None) -> bool:
    """Whether ``user`` may download ``document``: its citizen, a documents officer, its signers."""
    if user is None:
        return False
    if document["subject_id"] is not None and document["subject_id"] == user.id:
        return True
    return user.can(VIEW) or bool(document["signer_role"] and document["signer_role"] in user.roles)


def _number(raw: str) -> str:
    found = service.active().catalog.parse_number(raw[:MAX_NUMBER])
    if found is None:
        raise NotFoundException()
    return found[1]


@get("/", guards=[require_login], name="documents-mine")
async def my_documents(request: Request) -> Response:
    """The documents that concern the logged-in citizen."""
    user = await current_user(request)
    assert user is not None  # require_login
    rows = await service.documents_of(user.id)
    return await render(request, "documents/mine.html", {"documents": rows})


@get("/unduh/{name:str}", guards=[require_login], name="documents-download")
async def download(request: Request, name: FromPath[str]) -> Response:
    """The document's current PDF (signed once signed), for those who may open it."""
    document = await service.find(_number(name))
    user = await current_user(request)
    if document is None or not may_open(document, user):
        raise NotFoundException()
    assert user is not None
    data = await files.read_bytes(document["file_token"])
    if data is None:
        raise NotFoundException()
    if document["subject_id"] is not None and document["subject_id"] != user.id:
        await audit_record(
            "documents.viewed",
            actor_id=user.id,
            request=request,
            subject=f"document:{document['number']}",
            personal_data_of=document["subject_id"],
        )
    headers = {
        "Content-Disposition": content_disposition(f"{document['number']}.pdf", inline=False),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": PRIVATE_CACHE,
    }
    return Response(content=data, media_type="application/pdf", headers=headers)


@get("/verifikasi", opt=PUBLIC, name="documents-verify-form")
async def verify_form(request: Request, nomor: FromQuery[str] = "") -> Response:
    """The public verification page: type a number or upload a PDF."""
    if nomor.strip():
        return await _by_number(request, nomor)
    return await render(request, "documents/verify.html", {"result": None})


@get("/verifikasi/{number:str}", opt=PUBLIC, name="documents-verify")
async def verify_number(request: Request, number: FromPath[str]) -> Response:
    """What the QR code leads to: the document's public facts."""
    return await _by_number(request, number)


async def _by_number(request: Request, typed: str) -> Response:
    result = await verification.by_number(typed[:MAX_NUMBER])
    status = 200 if result.found else 404
    return await render(request, "documents/verify.html", {"result": result}, status_code=status)


@post("/verifikasi", opt=PUBLIC, name="documents-verify-upload")
async def verify_upload(request: Request) -> Response:
    """Check an uploaded PDF: whose, intact or altered. Nothing is stored."""
    form = await request.form()
    try:
        data = await files.read_limited(form.get("berkas"), verification.MAX_UPLOAD)
        result = await verification.by_upload(data)
    except UploadRejected as exc:
        return await render(
            request,
            "documents/verify.html",
            {"result": None, "upload_error": exc.message},
            status_code=exc.status if exc.status < 500 else 400,
        )
    await audit_record(
        "documents.verified_upload",
        actor_id=None,
        request=request,
        subject=f"document:{result.number or '-'}",
        detail={"verdict": result.verdict},
    )
    return await render(request, "documents/verify.html", {"result": result})


@get("/ca/crl", opt=PUBLIC, name="documents-crl")
async def revocation_list(request: Request) -> Response:
    """The city CA's current certificate revocation list (DER), as its certificates name it."""
    try:
        crl = await authority.current_crl(request.app.state.ui.config.secret_key)
    except KeystoreError as exc:
        raise NotFoundException() from exc
    return Response(
        content=crl.public_bytes(serialization.Encoding.DER),
        media_type="application/pkix-crl",
        headers={"Cache-Control": "public, max-age=300"},
    )


@get("/ca/sertifikat", opt=PUBLIC, name="documents-ca-certificate")
async def ca_certificate(request: Request) -> Response:
    """The city CA's certificate (PEM): the trust root to verify documents offline."""
    cert = await authority.ca_certificate()
    if cert is None:
        raise NotFoundException()
    return Response(
        content=cert.public_bytes(serialization.Encoding.PEM),
        media_type="application/x-pem-file",
        headers={"Content-Disposition": content_disposition("ca.pem", inline=False)},
    )


ROUTES = [
    my_documents,
    download,
    verify_form,
    verify_number,
    verify_upload,
    revocation_list,
    ca_certificate,
]
