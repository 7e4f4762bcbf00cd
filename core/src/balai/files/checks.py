"""Recognising an upload by its content: magic bytes, then a real parse.

The declared content type and the file name are never trusted: the bytes
decide. Images must open and decode fully in Pillow as the format their
signature names; PDFs must have the ``%PDF-`` header, a cross-reference
pointer and an end marker, and no active content (scripts, launch actions,
embedded files). Anything that a browser could take for HTML is refused.
"""

from __future__ import annotations

import re
from io import BytesIO

from PIL import Image, UnidentifiedImageError

from balai.files.errors import UploadRejected
from balai.files.types import ACCEPTED, FileKind
from balai.i18n import gettext as _

_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"%PDF-", 0, "application/pdf"),
)
_PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
# What makes a browser (or a sniffing proxy) treat bytes as markup.
_MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|object|embed|meta)\b", re.I
)
_PDF_VERSION = re.compile(rb"^%PDF-[12]\.\d")
_PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)\b")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
SNIFF_WINDOW = 1024


def sniff(data: bytes) -> str | None:
    """The content type the leading bytes announce, or ``None``."""
    for magic, offset, content_type in _SIGNATURES:
        if data[offset : offset + len(magic)] == magic:
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def check_content(data: bytes, *, kind: FileKind, declared: str, max_pixels: int) -> str:
    """Check ``data`` as an upload of ``kind`` declared as ``declared``.

    Returns:
        The content type the bytes are.

    Raises:
        UploadRejected: empty, unrecognised, not of ``kind``, not what was
            declared, broken, or unsafe.
    """
    if not data:
        raise UploadRejected(_("The file is empty."), status=400, reason="empty")
    detected = sniff(data)
    if detected is None or detected not in ACCEPTED[kind]:
        raise UploadRejected(_unsupported(kind), status=415, reason="unsupported_type")
    declared = declared.split(";", 1)[0].strip().lower()
    if declared == "image/jpg":  # an old alias some phones still send
        declared = "image/jpeg"
    if declared != detected:
        raise UploadRejected(
            _(
                "The file's content does not match its declared type (%(declared)s).",
                declared=declared or "-",
            ),
            status=415,
            reason="type_mismatch",
        )
    if _MARKUP.search(data[:SNIFF_WINDOW]):
        raise UploadRejected(_unsupported(kind), status=415, reason="markup")
    if detected == "application/pdf":
        _check_pdf(data)
    else:
        _check_image(data, detected, max_pixels)
    return detected


def _unsupported(kind: FileKind) -> str:
    if kind is FileKind.IMAGE:
        return _("This file is not a JPEG, PNG or WebP image.")
    return _("This file is not a PDF document.")


def _check_image(data: bytes, content_type: str, max_pixels: int) -> None:
    broken = UploadRejected(
        _("The image is damaged or incomplete."), status=415, reason="broken_image"
    )
    try:
        with Image.open(BytesIO(data)) as probe:
            if probe.format != _PILLOW_FORMATS[content_type]:
                raise broken
            width, height = probe.size
            if width * height > max_pixels:
                raise UploadRejected(
                    _("The image is too large (%(w)s x %(h)s pixels).", w=width, h=height),
                    status=413,
                    reason="too_many_pixels",
                )
            probe.verify()
        with Image.open(BytesIO(data)) as full:  # verify() does not decode pixels; load() does
            full.load()
    except UploadRejected:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as exc:
        raise broken from exc


def _check_pdf(data: bytes) -> None:
    broken = UploadRejected(
        _("The PDF document is damaged or incomplete."), status=415, reason="broken_pdf"
    )
    if not _PDF_VERSION.match(data):
        raise broken
    tail = data[-2048:]
    if b"%%EOF" not in tail or b"startxref" not in tail:
        raise broken
    if b"obj" not in data or b"/Type" not in data:
        raise broken
    names = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)
    if _PDF_ACTIVE.search(names):
        raise UploadRejected(
            _("PDF documents with scripts, actions or attachments are not accepted."),
            status=415,
            reason="active_pdf",
        )
