"""What a plugin declares through the ``document_types`` hook, and what it gets back."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from balai.references import ReferenceFormat

_KEY = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9_]+$")
_TEMPLATE = re.compile(r"^[a-z][a-z0-9_]*/[A-Za-z0-9_/.-]+\.html$")


@dataclass(frozen=True)
class DocumentType:
    """One kind of official document a plugin issues (an SPPT, a letter).

    Attributes:
        key: ``<slug>.<what>`` (``pajak.sppt``), unique and stable: stored on
            every document of the type.
        title: What the document is called (a gettext msgid), shown on pages
            and printed as the PDF's heading.
        template: The Jinja template of the body, in the theme chain
            (``<slug>/documents/sppt.html``); a city's theme may override it.
            It gets the ``data`` given to :func:`toolkit.issue_document` as
            ``data`` and renders a small HTML subset: ``h2``-``h4``, ``p``,
            ``b``/``i``, ``table``/``tr``/``td`` (with ``width`` in %),
            ``ul``/``li``, ``br``. The letterhead, number, date, QR code and
            signature block are added by the core.
        numbering: How the document numbers look (``tk.ReferenceFormat``).
        required_data: Keys ``data`` must hold (checked when issuing).
        signer_role: The role whose holders sign it (``pajak.head``); ``None``
            for a document that is issued unsigned (a receipt copy).
        signer_position: The signer's position printed under the signature
            (``Kepala Badan Pendapatan Daerah``).
        department: The issuing department printed in the letterhead.
        retention_years: How long the city keeps it (years after issue).
    """

    key: str
    title: str
    template: str
    numbering: ReferenceFormat
    required_data: tuple[str, ...] = ()
    signer_role: str | None = None
    signer_position: str = ""
    department: str = ""
    retention_years: int = 10

    def __post_init__(self) -> None:
        if not _KEY.match(self.key):
            raise ValueError(f"document type {self.key!r} must be named '<slug>.<what>'")
        if not _TEMPLATE.match(self.template):
            raise ValueError(f"document template {self.template!r}: '<slug>/<path>.html'")
        if not 1 <= self.retention_years <= 100:
            raise ValueError("a document's retention is 1 to 100 years")

    @property
    def owner(self) -> str:
        """The declaring plugin's slug."""
        return self.key.split(".", 1)[0]


class DocumentStatus(StrEnum):
    """Where a document is in its life."""

    ISSUED = "issued"  # final without a signature (no signer role)
    AWAITING = "awaiting"  # waiting in the signing queue of its role
    SIGNED = "signed"


@dataclass(frozen=True)
class IssuedDocument:
    """A document as the plugin sees it after issuing (or looking it up).

    Attributes:
        number: Its document number (``SPPT-2026-7KQ4-M9TX-K``).
        type_key: Its ``DocumentType.key``.
        status: ``issued``, ``awaiting`` (a signature) or ``signed``.
        subject_id: The citizen it concerns (``None`` for none).
        sha256: The hash of the PDF a citizen downloads now.
        issued_at: When it was made (UTC).
        url: Its download path inside the city (``/dokumen/unduh/<number>``).
    """

    number: str
    type_key: str
    status: DocumentStatus
    subject_id: int | None
    sha256: str
    issued_at: datetime
    url: str = field(default="")
