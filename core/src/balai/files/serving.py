"""Serving stored files: ``/berkas/<id>`` and ``/berkas/<id>/thumb/<size>``.

Headers: the exact checked ``Content-Type``; ``inline`` for images and
``attachment`` for documents, with a cleaned file name; ``nosniff``;
``Cross-Origin-Resource-Policy: same-origin``; an ``ETag`` from the content
hash. Public files are cached for a year (a token's bytes never change);
others are ``private, no-store``. A file the visitor may not see answers 404
as if it did not exist (401 when logging in could help).
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.params import FromPath

from balai.audit.log import record as audit_record
from balai.auth.access import PUBLIC, current_user
from balai.files import service
from balai.files.names import content_disposition
from balai.files.storage import thumbnail_key
from balai.files.types import THUMBNAIL_SIZES, Visibility

MANAGE = "files.manage"
PUBLIC_CACHE = "public, max-age=31536000, immutable"
PRIVATE_CACHE = "private, no-store"


async def _visible_row(request: Request, token: str) -> dict[str, Any]:
    row = await service.find(token)
    if row is None:
        raise NotFoundException()
    visibility = Visibility(row["visibility"])
    if visibility is Visibility.PUBLIC:
        return row
    user = await current_user(request)
    if user is None:
        raise NotAuthorizedException("login required")
    is_owner = row["owner_id"] is not None and row["owner_id"] == user.id
    if visibility is Visibility.OWNER:
        allowed = is_owner or user.can(MANAGE)
    else:  # Visibility.OFFICER
        allowed = is_owner or user.is_officer
    if not allowed:
        raise NotFoundException()
    if not is_owner and row["owner_id"] is not None:
        await audit_record(
            "files.viewed",
            actor_id=user.id,
            request=request,
            subject=f"file:{token}",
            detail={"visibility": visibility.value, "kind": row["kind"]},
            personal_data_of=row["owner_id"],
        )
    return row


def _answer(
    request: Request,
    row: dict[str, Any],
    data: bytes,
    *,
    content_type: str,
    etag: str,
    inline: bool,
    name: str,
) -> Response:
    public = row["visibility"] == Visibility.PUBLIC.value
    headers = {
        "Content-Disposition": content_disposition(name, inline=inline),
        "X-Content-Type-Options": "nosniff",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Cache-Control": PUBLIC_CACHE if public else PRIVATE_CACHE,
        "ETag": f'"{etag}"',
    }
    if f'"{etag}"' in request.headers.get("if-none-match", ""):
        return Response(content=b"", status_code=304, headers=headers, media_type=content_type)
    return Response(content=data, headers=headers, media_type=content_type)


@get("/{token:str}", opt=PUBLIC, name="files-download", include_in_schema=False)
async def download(request: Request, token: FromPath[str]) -> Response:
    """The stored file: shown inline (images) or downloaded (documents)."""
    row = await _visible_row(request, token)
    try:
        data = await service.storage().load(row["storage_key"])
    except FileNotFoundError as exc:
        raise NotFoundException() from exc
    return _answer(
        request,
        row,
        data,
        content_type=row["content_type"],
        etag=row["sha256"],
        inline=row["kind"] == "image",
        name=row["original_name"],
    )


@get("/{token:str}/thumb/{size:int}", opt=PUBLIC, name="files-thumbnail", include_in_schema=False)
async def thumbnail(request: Request, token: FromPath[str], size: FromPath[int]) -> Response:
    """A WebP thumbnail of a stored image (sizes 320 and 960)."""
    if size not in THUMBNAIL_SIZES:
        raise NotFoundException()
    row = await _visible_row(request, token)
    if str(size) not in (row["thumbnails"] or "").split(","):
        raise NotFoundException()
    try:
        data = await service.storage().load(thumbnail_key(row["storage_key"], size))
    except FileNotFoundError as exc:
        raise NotFoundException() from exc
    stem = row["original_name"].rsplit(".", 1)[0]
    return _answer(
        request,
        row,
        data,
        content_type="image/webp",
        etag=f"{row['sha256'][:32]}-t{size}",
        inline=True,
        name=f"{stem}-{size}.webp",
    )


async def serve_file(request: Request, token: str, *, reason: str = "") -> Response:
    """Answer with the stored file ``token`` for a plugin route that vetted the visitor.

    For documents the plugin's own officers must see (a KTP photo under a
    permission the files service does not know): the plugin's route holds
    its guard and checks that the file belongs to a record the officer may
    open; this only serves it, ``private, no-store``, and records the view
    as one of the owner's personal data (``files.viewed``, with ``reason``).

    Raises:
        NotFoundException: no such file in this city, or its content is gone.
    """
    row = await service.find(token)
    if row is None:
        raise NotFoundException()
    user = await current_user(request)
    if row["owner_id"] is not None and (user is None or user.id != row["owner_id"]):
        await audit_record(
            "files.viewed",
            actor_id=user.id if user else None,
            request=request,
            subject=f"file:{token}",
            detail={"visibility": row["visibility"], "kind": row["kind"], "reason": reason},
            personal_data_of=row["owner_id"],
        )
    try:
        data = await service.storage().load(row["storage_key"])
    except FileNotFoundError as exc:
        raise NotFoundException() from exc
    return _answer(
        request,
        {**row, "visibility": Visibility.OWNER.value},
        data,
        content_type=row["content_type"],
        etag=row["sha256"],
        inline=row["kind"] == "image",
        name=row["original_name"],
    )


ROUTES = [download, thumbnail]
