"""Issuing documents and finding them: what ``toolkit.issue_document`` does."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from balai.audit.log import record as audit_record
from balai.documents.catalog import DocumentCatalog
from balai.documents.render import Closing, Letterhead, RenderedPdf, render_pdf
from balai.documents.tables import Document
from balai.documents.types import DocumentStatus, DocumentType, IssuedDocument
from balai.files import service as files
from balai.files.types import Visibility
from balai.i18n import format_when, translate
from balai.i18n import gettext as _
from balai.tenants import City, current_city

log = logging.getLogger("balai.documents")
URL_PATH = "dokumen"
MAX_DATA_BYTES = 64 * 1024


@dataclass
class DocumentsService:
    """What issuing needs from the application: the types, the themes, the instance secret."""

    catalog: DocumentCatalog
    themes: Any
    secret_key: str

    def theme_logo(self, city: City) -> Path | None:
        """The city theme's ``static/img/logo.svg``, else the default theme's."""
        for name in (city.theme, "default"):
            folder = self.themes.themes.get(name)
            if folder is not None and (folder / "static" / "img" / "logo.svg").is_file():
                return folder / "static" / "img" / "logo.svg"
        return None


_active: DocumentsService | None = None


def activate(ui: Any) -> DocumentsService:
    """Collect the document types of ``ui``'s application and make its service the active one.

    Raises:
        PluginError: a plugin declared an invalid document type.
    """
    global _active
    catalog = DocumentCatalog.from_registry(ui.registry, ui.access.roles)
    _active = DocumentsService(catalog=catalog, themes=ui.themes, secret_key=ui.config.secret_key)
    return _active


def active() -> DocumentsService:
    """The service of the application built last in this process.

    Raises:
        RuntimeError: no application was built.
    """
    if _active is None:
        raise RuntimeError("no Balai application has been built in this process")
    return _active


def document_url(number: str) -> str:
    """The download path of a document inside the city."""
    return f"/{URL_PATH}/unduh/{number}"


def verification_url(city: City, number: str) -> str:
    """The absolute URL of a document's public verification page (what its QR code holds)."""
    return city.absolute_url(f"/{URL_PATH}/verifikasi/{number}")


def place_name(city: City) -> str:
    """``Malang`` for ``Kota Malang``: how a letter's place and date line names the city."""
    for prefix in ("Kota ", "Kabupaten "):
        if city.name.startswith(prefix):
            return city.name[len(prefix) :]
    return city.name


def render(
    doc_type: DocumentType, *, city: City, number: str, data: dict[str, Any], when: datetime
) -> RenderedPdf:
    """Render a document of ``doc_type`` for ``city`` (no database access)."""
    service = active()
    env = service.themes.get(city.theme)
    body = env.get_template(doc_type.template).render(data=data, number=number, city=city)
    title = translate(doc_type.title)
    closing = Closing(
        place_and_date=f"{place_name(city)}, {format_when(when, city.tz, with_time=False)}",
        position=doc_type.signer_position,
        signer_label=_("Signed electronically") if doc_type.signer_role else "",
        verify_url=verification_url(city, number),
        verify_caption=_("Scan to check that this document is genuine"),
    )
    return render_pdf(
        letterhead=Letterhead(city.name, doc_type.department, service.theme_logo(city)),
        title=title,
        number=number,
        number_label=_("Number"),
        body_html=body,
        closing=closing,
    )


def _checked_data(doc_type: DocumentType, data: dict[str, Any]) -> str:
    missing = [key for key in doc_type.required_data if key not in data]
    if missing:
        raise ValueError(f"{doc_type.key}: data lacks {', '.join(missing)}")
    encoded = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    if len(encoded.encode()) > MAX_DATA_BYTES:
        raise ValueError(f"{doc_type.key}: data is larger than {MAX_DATA_BYTES} bytes")
    return encoded


async def issue_document(
    key: str,
    *,
    data: dict[str, Any],
    subject_id: int | None = None,
    reference: str = "",
    actor_id: int | None = None,
    request: Any = None,
) -> IssuedDocument:
    """Render, store and record a document of type ``key`` for the current city.

    Args:
        key: A ``DocumentType.key`` of a plugin the city enables.
        data: What the type's template shows (JSON-serialisable; kept).
        subject_id: The citizen it concerns: they see and download it.
        reference: Your own key for this document (an invoice number, up to
            80 characters): a second call with the same type and reference
            returns the document issued first, so a job may run twice.
        actor_id: Who caused it (for the audit log; ``None``: the system).
        request: The request it happened in, if any (for the audit log).

    Returns:
        The document; ``status`` is ``awaiting`` when the type names a signer role.

    Raises:
        UnknownDocumentTypeError: no such type, or the city does not enable its plugin.
        ValueError: ``data`` lacks a required key or is too large, or the
            reference is too long.
    """
    city = current_city()
    doc_type = active().catalog.get(key, city.plugins)
    if len(reference) > 80:
        raise ValueError(f"{key}: a reference has at most 80 characters")
    if reference:
        found = (
            await Document.select()
            .where((Document.type_key == doc_type.key) & (Document.reference == reference))
            .first()
        )
        if found is not None:
            return to_issued(found)
    encoded = _checked_data(doc_type, data)
    now = datetime.now(UTC)
    number = await doc_type.numbering.new_unique(Document.number, now)
    rendered = render(doc_type, city=city, number=number, data=data, when=now)
    stored = await files.save_generated(
        rendered.data,
        name=f"{number}.pdf",
        owner_id=None,
        visibility=Visibility.OFFICER,
    )
    status = DocumentStatus.AWAITING if doc_type.signer_role else DocumentStatus.ISSUED
    row = Document(
        number=number,
        type_key=doc_type.key,
        reference=reference,
        title=doc_type.title,
        subject_id=subject_id,
        status=status.value,
        signer_role=doc_type.signer_role or "",
        data=encoded,
        file_token=stored.id,
        sha256=stored.sha256,
        unsigned_token=stored.id,
        sig_page=rendered.sig_page,
        sig_box=",".join(str(v) for v in rendered.sig_box),
        issued_at=now,
        retain_until=now.replace(year=now.year + doc_type.retention_years),
        signer_position=doc_type.signer_position,
    )
    await row.save()
    await audit_record(
        "documents.issued",
        actor_id=actor_id,
        request=request,
        subject=f"document:{number}",
        detail={"type": doc_type.key, "sha256": stored.sha256},
    )
    log.info("issued %s %s for %s", doc_type.key, number, city.slug)
    return to_issued(row.to_dict())


def to_issued(row: dict[str, Any]) -> IssuedDocument:
    """The plugin-facing view of a row."""
    return IssuedDocument(
        number=row["number"],
        type_key=row["type_key"],
        status=DocumentStatus(row["status"]),
        subject_id=row["subject_id"],
        sha256=row["sha256"],
        issued_at=row["issued_at"],
        url=document_url(row["number"]),
    )


async def find(number: str) -> dict[str, Any] | None:
    """The current city's document ``number`` (standard spelling), if any."""
    return await Document.select().where(Document.number == number).first()


async def documents_of(subject_id: int, limit: int = 100) -> list[dict[str, Any]]:
    """The documents that concern a citizen, newest first."""
    return (
        await Document.select()
        .where(Document.subject_id == subject_id)
        .order_by(Document.issued_at, ascending=False)
        .limit(limit)
    )


async def issued_documents(key: str | None = None) -> list[IssuedDocument]:
    """The current city's documents of type ``key`` (all types: ``None``), newest first."""
    query = Document.select().order_by(Document.issued_at, ascending=False)
    if key:
        query = query.where(Document.type_key == key)
    return [to_issued(row) for row in await query.limit(500)]
