"""Public verification: what a document number or an uploaded PDF proves.

A number shows the document's public facts (never its content or its
citizen). An upload is checked as a PDF (the files service's checks, nothing
stored), then: a PDF with signatures is validated with pyHanko against the
city's CA (:mod:`balai.documents.signing.validate`), and its bytes are
compared with what the city issued; one byte changed is ``altered``.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from balai.documents import service
from balai.documents.tables import Document
from balai.files import checks
from balai.files.errors import UploadRejected
from balai.files.types import FileKind
from balai.i18n import gettext as _
from balai.i18n import translate

MAX_UPLOAD = 10 * 1024 * 1024
INTACT = "intact"
ALTERED = "altered"
UNTRUSTED = "untrusted"
UNKNOWN = "unknown"
_NUMBER_IN_TITLE = re.compile(r"([A-Z][A-Z0-9]{0,7}-[0-9A-Z-]{6,40})\s*$")


@dataclass(frozen=True)
class Verification:
    """What the verification page shows.

    Attributes:
        found: A document of this city was identified.
        verdict: ``intact``, ``altered``, ``untrusted`` (signed by a
            certificate outside the city's CA) or ``unknown`` (not one of
            ours); empty for a lookup by number.
        reason: A sentence for the verdict (translated).
    """

    found: bool
    number: str = ""
    type_title: str = ""
    status: str = ""
    issued_at: datetime | None = None
    signer_name: str = ""
    signer_position: str = ""
    signed_at: datetime | None = None
    verdict: str = ""
    reason: str = ""


def _facts(row: dict[str, Any], **extra: Any) -> Verification:
    return Verification(
        found=True,
        number=row["number"],
        type_title=translate(row["title"]),
        status=row["status"],
        issued_at=row["issued_at"],
        signer_name=row["signer_name"],
        signer_position=row["signer_position"],
        signed_at=row["signed_at"],
        **extra,
    )


async def by_number(typed: str) -> Verification:
    """The public facts of the current city's document ``typed`` (not found: ``found`` False)."""
    parsed = service.active().catalog.parse_number(typed)
    if parsed is None:
        return Verification(found=False)
    row = await service.find(parsed[1])
    return _facts(row) if row else Verification(found=False)


def number_in(data: bytes) -> str | None:
    """The document number the PDF names in its title (metadata), if it is readable."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        title = PdfFileReader(io.BytesIO(data), strict=False).document_meta_view.title
        title = str(getattr(title, "value", title) or "")
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError):
        return None
    match = _NUMBER_IN_TITLE.search(title)
    if match is None:
        return None
    parsed = service.active().catalog.parse_number(match.group(1))
    return parsed[1] if parsed else None


def check_pdf(data: bytes) -> None:
    """Refuse what is not a sound PDF (the files service's checks; nothing is stored).

    Raises:
        UploadRejected: not a PDF, damaged, or with active content.
    """
    checks.check_content(data, kind=FileKind.DOCUMENT, declared="application/pdf", max_pixels=0)


async def by_upload(data: bytes) -> Verification:
    """Check an uploaded PDF against what the current city issued.

    Raises:
        UploadRejected: not a PDF, damaged, or unreadable.
    """
    check_pdf(data)
    from balai.documents.signing import validate

    digest = hashlib.sha256(data).hexdigest()
    number = number_in(data)
    row = await Document.select().where(Document.sha256 == digest).first()
    if row is None and number:
        row = await service.find(number)
    signatures = validate.signatures_in(data)
    if signatures is None:
        raise UploadRejected(
            _("The PDF document is damaged or incomplete."), status=415, reason="broken_pdf"
        )
    if signatures:
        report = await validate.validate(data)
        if not report.intact:
            return _altered(row)
        if not report.trusted:
            reason = _("The signature was not made with a certificate of this city.")
            if row is None:
                return Verification(found=False, verdict=UNTRUSTED, reason=reason)
            return _facts(row, verdict=UNTRUSTED, reason=reason)
        if row is None:
            return Verification(found=False, verdict=UNKNOWN, reason=_unknown())
        if row["sha256"] != digest:
            return _altered(row)
        return _facts(row, verdict=INTACT, reason=_intact(row))
    if row is None:
        return Verification(found=False, verdict=UNKNOWN, reason=_unknown())
    if digest not in (row["sha256"], await _unsigned_sha256(row)):
        return _altered(row)
    return _facts(row, verdict=INTACT, reason=_intact(row))


async def _unsigned_sha256(row: dict[str, Any]) -> str:
    from balai.files.tables import FileRecord

    found = (
        await FileRecord.select(FileRecord.sha256)
        .where(FileRecord.token == row["unsigned_token"])
        .first()
    )
    return found["sha256"] if found else ""


def _altered(row: dict[str, Any] | None) -> Verification:
    reason = _("The file differs from the document the city issued: it was altered.")
    if row is None:
        return Verification(found=False, verdict=ALTERED, reason=reason)
    return _facts(row, verdict=ALTERED, reason=reason)


def _intact(row: dict[str, Any]) -> str:
    if row["status"] == "signed":
        return _("The file is exactly the document the city issued and signed.")
    return _("The file is exactly the document the city issued.")


def _unknown() -> str:
    return _("This city issued no document matching this file.")
