"""The office list (``/kelola/dokumen/``) and the signing queue (``/dokumen/tanda-tangan``).

The queue sits beside the citizen pages because the right to sign comes from
the document type's signer role (any plugin's role), not from one of this
service's permissions; its guard asks for an officer and the queue holds
only documents of roles the official has.
"""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response, get, post
from litestar.response import Redirect

from balai.auth.access import current_user, require_officer, require_permission
from balai.documents.pages import VIEW
from balai.documents.signing import authority, queue
from balai.documents.signing.authority import KeystoreError
from balai.documents.signing.keystore import Keystore, LocalKeystore
from balai.documents.signing.remote import RemoteKeystore, RemoteSigningClient
from balai.documents.signing.tsa import asn1_cert
from balai.documents.tables import Document
from balai.i18n import gettext as _
from balai.web.rendering import city_url, flash, render

log = logging.getLogger("balai.documents")
PAGE_SIZE = 100


async def keystore_for(request: Request) -> Keystore:
    """The keystore the city signs with (its ``keystore`` setting)."""
    chosen = queue.settings()
    if chosen.keystore == "remote":
        ca = await authority.ca_certificate()
        chain = [asn1_cert(ca)] if ca is not None else []
        return RemoteKeystore(RemoteSigningClient(chosen.remote_url), chain)
    return LocalKeystore(request.app.state.ui.config.secret_key)


@get("/", guards=[require_permission(VIEW)], name="documents-office")
async def office_list(request: Request) -> Response:
    """The city's documents, newest first."""
    rows = await Document.select().order_by(Document.issued_at, ascending=False).limit(PAGE_SIZE)
    return await render(request, "documents/office_list.html", {"documents": rows})


async def _queue_page(request: Request, status_code: int = 200, **extra: Any) -> Response:
    user = await current_user(request)
    assert user is not None  # require_officer
    rows = await queue.awaiting(user)
    context = {
        "documents": rows,
        "outcomes": [],
        "error": "",
        "remote": queue.settings().keystore == "remote",
        **extra,
    }
    return await render(request, "documents/queue.html", context, status_code=status_code)


@get("/tanda-tangan", guards=[require_officer], name="documents-queue")
async def signing_queue(request: Request) -> Response:
    """The documents waiting for the official's signature (any role they hold)."""
    return await _queue_page(request)


@post("/tanda-tangan", guards=[require_officer], name="documents-sign")
async def sign(request: Request) -> Response:
    """Sign the chosen documents after a fresh second factor."""
    user = await current_user(request)
    assert user is not None
    form = await request.form()
    numbers = [str(n) for n in form.getall("nomor", [])]
    code = str(form.get("kode") or "")
    credentials = str(form.get("sandi_layanan") or "")
    try:
        outcomes = await queue.sign_documents(
            user=user,
            numbers=numbers,
            code=code,
            keystore=await keystore_for(request),
            secret_key=request.app.state.ui.config.secret_key,
            credentials=credentials,
            request=request,
        )
    except queue.SigningRefused as refused:
        status = 400 if refused.reason in ("no_documents", "no_code") else 403
        return await _queue_page(request, status_code=status, error=refused.message)
    except KeystoreError as exc:
        log.error("signing keystore: %s", exc)
        return await _queue_page(
            request,
            status_code=409,
            error=_("The city's signing authority is not set up yet."),
        )
    signed = sum(1 for o in outcomes if o.signed)
    if signed == len(outcomes):
        flash(request, _("%(count)s document(s) signed.", count=signed), "success")
        return Redirect(city_url(request, "/dokumen/tanda-tangan"), status_code=303)
    return await _queue_page(request, status_code=200 if signed else 409, outcomes=outcomes)


ROUTES = [office_list]
QUEUE_ROUTES = [signing_queue, sign]
