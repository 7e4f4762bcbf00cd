"""Saving uploads and finding stored files: what ``toolkit.save_upload`` does.

Every step runs inside the current city (``CityTable`` scoping): a file of
one city can neither be stored for nor served by another.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from balai.files import checks, images
from balai.files.errors import UploadRejected
from balai.files.names import display_name
from balai.files.storage import LocalStorage, Storage, new_key, thumbnail_key
from balai.files.tables import FileRecord
from balai.files.types import (
    EXTENSIONS,
    THUMBNAIL_SIZES,
    FileKind,
    FilesSettings,
    StoredFile,
    Visibility,
)
from balai.i18n import gettext as _
from balai.tenants import current_city

log = logging.getLogger("balai.files")
SLUG = "files"
URL_PATH = "berkas"
_CHUNK = 64 * 1024
ORPHAN_AGE = timedelta(days=1)

_storage: Storage | None = None
_from_instance = False  # the storage in use is the instance file's, not a plugin's


def use_storage(storage: Storage) -> None:
    """Make ``storage`` the place files are saved to and served from (the adapter point)."""
    global _storage
    _storage = storage


def configure(data_dir: Path, chosen: Storage | None = None) -> None:
    """Use ``chosen`` (the instance's object storage), else local disk under ``<data_dir>/files``.

    Local disk is used unless a plugin chose another storage earlier.
    """
    global _from_instance
    if chosen is not None:
        use_storage(chosen)
    elif _storage is None or _from_instance or isinstance(_storage, LocalStorage):
        use_storage(LocalStorage(Path(data_dir) / "files"))
    _from_instance = chosen is not None


def storage() -> Storage:
    """The storage in use.

    Raises:
        RuntimeError: no application configured one.
    """
    if _storage is None:
        raise RuntimeError("no file storage is configured (build the application first)")
    return _storage


def settings() -> FilesSettings:
    """The current city's upload limits."""
    found = current_city().settings_for(SLUG)
    return found if isinstance(found, FilesSettings) else FilesSettings()


async def read_limited(upload: Any, limit: int) -> bytes:
    """Read at most ``limit`` bytes of ``upload``.

    Raises:
        UploadRejected: the upload is larger (413), or missing (400).
    """
    if upload is None or not hasattr(upload, "read"):
        raise UploadRejected(_("Choose a file to upload."), status=400, reason="missing")
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = await upload.read(_CHUNK)
        if not chunk:
            break
        total += len(chunk)
        if total > limit:
            raise UploadRejected(
                _("The file is larger than %(limit)s MB.", limit=_megabytes(limit)),
                status=413,
                reason="too_large",
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _megabytes(limit: int) -> str:
    value = limit / (1024 * 1024)
    return f"{value:g}" if value >= 1 else f"{value:.1f}"


async def save_upload(
    upload: Any,
    *,
    kind: FileKind | str,
    owner_id: int | None,
    visibility: Visibility | str = Visibility.PUBLIC,
) -> StoredFile:
    """Check and store an uploaded file for the current city.

    Args:
        upload: A litestar ``UploadFile`` (anything with ``filename``,
            ``content_type`` and an async ``read(size)``).
        kind: ``"image"`` (JPEG, PNG, WebP) or ``"document"`` (PDF).
        owner_id: The uploading account (``None`` for the city's own files).
        visibility: ``"public"``, ``"owner"`` or ``"officer"``.

    Returns:
        The stored file; keep its ``id`` and link with ``toolkit.file_url``.

    Raises:
        UploadRejected: too large, empty, of another type than declared, not
            of ``kind``, damaged or unsafe. Its ``message`` is translated and
            its ``status`` fits the HTTP answer. Nothing is stored.
    """
    kind = FileKind(kind)
    visibility = Visibility(visibility)
    city = current_city()
    limits = settings()
    data = await read_limited(upload, limits.max_bytes(kind))
    content_type = checks.check_content(
        data,
        kind=kind,
        declared=str(getattr(upload, "content_type", "") or ""),
        max_pixels=limits.max_image_pixels,
    )
    now = datetime.now(UTC)
    width = height = None
    thumbs: dict[int, bytes] = {}
    if kind is FileKind.IMAGE:
        cleaned = images.clean(data, content_type)
        data, width, height = cleaned.data, cleaned.width, cleaned.height
        thumbs = {size: images.thumbnail(data, size) for size in THUMBNAIL_SIZES}
    key = new_key(city.slug, now, EXTENSIONS[content_type])
    store = storage()
    await store.save(key, data)
    for size, thumb in thumbs.items():
        await store.save(thumbnail_key(key, size), thumb)
    record = FileRecord(
        token=secrets.token_urlsafe(24),
        storage_key=key,
        kind=kind.value,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        original_name=display_name(getattr(upload, "filename", ""), content_type),
        visibility=visibility.value,
        owner_id=owner_id,
        width=width,
        height=height,
        thumbnails=",".join(str(s) for s in thumbs),
        created_at=now,
    )
    try:
        await record.save()
    except BaseException:
        for stale in (key, *(thumbnail_key(key, s) for s in thumbs)):
            await store.delete(stale)
        raise
    log.info("stored %s %s (%s bytes) for %s", kind.value, record.token, len(data), city.slug)
    return to_stored(record)


async def save_generated(
    data: bytes,
    *,
    name: str,
    owner_id: int | None,
    visibility: Visibility | str = Visibility.OWNER,
) -> StoredFile:
    """Store a PDF the platform made itself (a rendered or signed document) for the current city.

    The bytes pass the same document checks as an upload; the SHA-256 is kept.

    Raises:
        UploadRejected: the bytes are not a sound PDF (a bug in the maker).
    """
    visibility = Visibility(visibility)
    city = current_city()
    content_type = checks.check_content(
        data, kind=FileKind.DOCUMENT, declared="application/pdf", max_pixels=0
    )
    key = new_key(city.slug, datetime.now(UTC), EXTENSIONS[content_type])
    await storage().save(key, data)
    record = FileRecord(
        token=secrets.token_urlsafe(24),
        storage_key=key,
        kind=FileKind.DOCUMENT.value,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        original_name=display_name(name, content_type),
        visibility=visibility.value,
        owner_id=owner_id,
        created_at=datetime.now(UTC),
    )
    try:
        await record.save()
    except BaseException:
        await storage().delete(key)
        raise
    return to_stored(record)


async def read_bytes(file_id: str) -> bytes | None:
    """The stored bytes of the current city's file ``file_id`` (``None`` if unknown)."""
    row = await find(file_id)
    if row is None:
        return None
    return await storage().load(row["storage_key"])


def to_stored(record: FileRecord | dict[str, Any]) -> StoredFile:
    """The plugin-facing view of a row."""
    row = record if isinstance(record, dict) else record.to_dict()
    return StoredFile(
        id=row["token"],
        kind=FileKind(row["kind"]),
        content_type=row["content_type"],
        size=row["size"],
        sha256=row["sha256"],
        original_name=row["original_name"],
        visibility=Visibility(row["visibility"]),
        owner_id=row["owner_id"],
        created_at=row["created_at"],
        width=row["width"],
        height=row["height"],
        thumbnails=tuple(int(s) for s in (row["thumbnails"] or "").split(",") if s),
    )


async def find(file_id: str) -> dict[str, Any] | None:
    """The current city's row for the token ``file_id`` (``None`` if unknown)."""
    if not isinstance(file_id, str) or not 16 <= len(file_id) <= 43:
        return None
    return await FileRecord.select().where(FileRecord.token == file_id).first()


async def get_file(file_id: str) -> StoredFile | None:
    """The stored file ``file_id`` of the current city, if any."""
    row = await find(file_id)
    return to_stored(row) if row else None


async def set_visibility(file_id: str, visibility: Visibility | str) -> bool:
    """Change who may download a stored file of the current city; whether it exists.

    For files shown to the public only once an officer looked at them (a
    complaint's photo is stored ``officer`` and made ``public`` when cleared).
    """
    wanted = Visibility(visibility)
    if await find(file_id) is None:
        return False
    await FileRecord.update({FileRecord.visibility: wanted.value}).where(
        FileRecord.token == file_id
    )
    return True


async def delete_file(file_id: str) -> bool:
    """Delete a stored file of the current city with its thumbnails; whether it existed."""
    row = await find(file_id)
    if row is None:
        return False
    await FileRecord.delete().where(FileRecord.id == row["id"])
    store = storage()
    await store.delete(row["storage_key"])
    for size in to_stored(row).thumbnails:
        await store.delete(thumbnail_key(row["storage_key"], size))
    return True


def file_url(file_id: str | StoredFile, *, thumb: int | None = None, request: Any = None) -> str:
    """The URL of a stored file (or of one of its thumbnails).

    Args:
        file_id: A ``StoredFile`` or its ``id``.
        thumb: A thumbnail size (320 or 960) instead of the original.
        request: Give the request to get the full path with the city prefix;
            without it the path is inside the city (``/berkas/<id>``), as
            ``NavItem.href`` takes it.

    Raises:
        ValueError: ``thumb`` is not a thumbnail size.
    """
    token = file_id.id if isinstance(file_id, StoredFile) else str(file_id)
    path = f"/{URL_PATH}/{token}"
    if thumb is not None:
        if thumb not in THUMBNAIL_SIZES:
            raise ValueError(f"thumbnail sizes are {THUMBNAIL_SIZES}, not {thumb}")
        path += f"/thumb/{thumb}"
    if request is not None:
        from balai.web.rendering import city_url

        return city_url(request, path)
    return path


async def sweep_orphans(city: Any, *, older_than: timedelta = ORPHAN_AGE, **_: Any) -> int:
    """Delete the city's stored bytes that no row names; return how many were removed.

    An upload saved inside a transaction that was then rolled back leaves
    its bytes behind. Only objects older than ``older_than`` go, so an
    upload whose row is not committed yet is never touched.
    """
    rows = await FileRecord.select(FileRecord.storage_key, FileRecord.thumbnails)
    wanted: set[str] = set()
    for row in rows:
        wanted.add(row["storage_key"])
        for size in (row["thumbnails"] or "").split(","):
            if size:
                wanted.add(thumbnail_key(row["storage_key"], int(size)))
    cutoff = datetime.now(UTC) - older_than
    store = storage()
    removed = 0
    for item in await store.list(city.slug):
        if item.key not in wanted and item.modified < cutoff:
            await store.delete(item.key)
            removed += 1
    if removed:
        log.info("removed %s orphaned stored objects of %s", removed, city.slug)
    return removed
