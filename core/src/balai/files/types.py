"""What ``toolkit.save_upload`` returns, and the rules it applies."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

import msgspec


class FileKind(enum.StrEnum):
    """What an upload is meant to be; each kind accepts its own content types."""

    IMAGE = "image"
    DOCUMENT = "document"


class Visibility(enum.StrEnum):
    """Who may download a stored file.

    ``public``: anyone visiting the city's site. ``owner``: the account that
    uploaded it (``owner_id``), and officers holding ``files.manage``.
    ``officer``: the owner, and every officer of the city, whatever their
    department (anyone holding any role there, not only your plugin's): use
    it for files any officer may need, ``owner`` for personal documents.
    Others, logged in, get a 404 (the file's existence is not revealed);
    visitors not logged in are sent to log in. When someone other than the
    owner downloads an owned file, the view is audited as a view of the
    owner's personal data.
    """

    PUBLIC = "public"
    OWNER = "owner"
    OFFICER = "officer"


ACCEPTED: dict[FileKind, tuple[str, ...]] = {
    FileKind.IMAGE: ("image/jpeg", "image/png", "image/webp"),
    FileKind.DOCUMENT: ("application/pdf",),
}
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
}
THUMBNAIL_SIZES = (320, 960)


class FilesSettings(msgspec.Struct, forbid_unknown_fields=True):
    """Limits of uploads in a city (defaults apply where a city sets none).

    Attributes:
        max_image_bytes: Largest accepted image upload.
        max_document_bytes: Largest accepted document upload.
        max_image_pixels: Largest accepted image area (width x height), a
            guard against decompression bombs.
    """

    max_image_bytes: int = 5 * 1024 * 1024
    max_document_bytes: int = 10 * 1024 * 1024
    max_image_pixels: int = 40_000_000

    def max_bytes(self, kind: FileKind) -> int:
        """The size limit of ``kind``."""
        return self.max_image_bytes if kind is FileKind.IMAGE else self.max_document_bytes


@dataclass(frozen=True)
class StoredFile:
    """A stored upload, as plugins see it.

    Attributes:
        id: The public, unguessable token naming the file in URLs
            (``/berkas/<id>``); store it in your own rows.
        kind: ``image`` or ``document``.
        content_type: The checked type (``image/jpeg`` ...).
        size: Bytes stored (images: after re-encoding without metadata).
        sha256: Hex digest of the stored bytes.
        original_name: The uploader's file name, cleaned; for display only.
        visibility: Who may download it.
        owner_id: The uploading account, if any.
        created_at: When it was stored (UTC).
        width: Image width in pixels (``None`` for documents).
        height: Image height in pixels.
        thumbnails: The thumbnail sizes available (images).
    """

    id: str
    kind: FileKind
    content_type: str
    size: int
    sha256: str
    original_name: str
    visibility: Visibility
    owner_id: int | None
    created_at: datetime
    width: int | None = None
    height: int | None = None
    thumbnails: tuple[int, ...] = ()
