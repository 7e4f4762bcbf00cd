"""The office page ``/kelola/berkas/``: upload a file, list and delete the city's files.

It serves the city's own files (photos for the site, documents to publish)
and lets officers try the upload checks; plugins store their own uploads
through ``toolkit.save_upload`` in their forms.
"""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from balai.audit.log import record as audit_record
from balai.auth.access import current_user, require_permission
from balai.files import service
from balai.files.errors import UploadRejected
from balai.files.serving import MANAGE
from balai.files.tables import FileRecord
from balai.files.types import FileKind, Visibility
from balai.i18n import gettext as _
from balai.web.rendering import city_url, flash, render

log = logging.getLogger("balai.files")
PAGE_SIZE = 50


async def _context(values: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    rows = (
        await FileRecord.select()
        .order_by(FileRecord.created_at, ascending=False)
        .order_by(FileRecord.id, ascending=False)
        .limit(PAGE_SIZE)
    )
    return {
        "files": [service.to_stored(r) for r in rows],
        "kinds": [("image", _("Image")), ("document", _("Document"))],
        "visibilities": [
            ("public", _("Public")),
            ("officer", _("Officers only")),
            ("owner", _("Only me and file managers")),
        ],
        "values": values,
        "errors": errors,
    }


@get("/", guards=[require_permission(MANAGE)], name="files-office")
async def files_page(request: Request) -> Response:
    """The city's stored files and the upload form."""
    context = await _context({"kind": "image", "visibility": "public"}, {})
    return await render(request, "files/office.html", context)


@post("/", guards=[require_permission(MANAGE)], name="files-upload")
async def files_upload(request: Request) -> Response:
    """Store one uploaded file; a refused one re-shows the form with the reason and status."""
    form = await request.form()
    values = {
        "kind": str(form.get("kind", "")),
        "visibility": str(form.get("visibility", "")),
    }
    errors: dict[str, str] = {}
    if values["kind"] not in {k.value for k in FileKind}:
        errors["kind"] = _("Choose image or document.")
    if values["visibility"] not in {v.value for v in Visibility}:
        errors["visibility"] = _("Choose who may see the file.")
    status = 400
    stored = None
    user = await current_user(request)
    if not errors:
        upload = form.get("file")
        if isinstance(upload, str):  # a text field named "file", not an upload
            upload = None
        try:
            stored = await service.save_upload(
                upload,
                kind=values["kind"],
                owner_id=user.id if user else None,
                visibility=values["visibility"],
            )
        except UploadRejected as exc:
            log.info("upload refused (%s): %s", exc.reason, exc.message)
            errors["file"] = exc.message
            status = exc.status
    if stored is None:
        context = await _context(values, errors)
        return await render(request, "files/office.html", context, status_code=status)
    await audit_record(
        "files.uploaded",
        actor_id=user.id if user else None,
        request=request,
        subject=f"file:{stored.id}",
        detail={
            "kind": stored.kind.value,
            "size": stored.size,
            "visibility": stored.visibility.value,
        },
    )
    flash(request, _("Stored %(name)s.", name=stored.original_name), "success")
    return Redirect(city_url(request, "/kelola/berkas/"), status_code=303)


@post("/{token:str}/hapus", guards=[require_permission(MANAGE)], name="files-delete")
async def files_delete(request: Request, token: FromPath[str]) -> Response:
    """Delete a stored file and its thumbnails."""
    if not await service.delete_file(token):
        raise NotFoundException()
    user = await current_user(request)
    await audit_record(
        "files.deleted",
        actor_id=user.id if user else None,
        request=request,
        subject=f"file:{token}",
    )
    flash(request, _("The file was deleted."), "success")
    return Redirect(city_url(request, "/kelola/berkas/"), status_code=303)


ROUTES = [files_page, files_upload, files_delete]
