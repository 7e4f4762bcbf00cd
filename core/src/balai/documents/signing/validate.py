"""Validating the signatures of an uploaded PDF with pyHanko, trusting the city's CA only."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko_certvalidator import ValidationContext

from balai.documents.signing import authority
from balai.documents.signing.tsa import asn1_cert

log = logging.getLogger("balai.documents")


@dataclass(frozen=True)
class SignatureReport:
    """The verdict over every signature of a PDF.

    Attributes:
        intact: Every signature's digest matches and nothing but validation
            data (the B-LT update) was appended after signing.
        trusted: Every signer's chain ends at the city's CA.
        signer: The (last) signer's common name.
    """

    intact: bool
    trusted: bool
    signer: str = ""


def signatures_in(data: bytes) -> list | None:
    """The PDF's embedded signatures (``None``: the PDF cannot be read)."""
    try:
        return list(PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures)
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        log.info("unreadable PDF at verification: %s", exc)
        return None


async def validate(data: bytes) -> SignatureReport:
    """Validate every signature of ``data`` against the current city's CA.

    Revocation is checked against the validation data embedded in the PDF
    (B-LT) as a soft fail: the document keeps verifying after its signer's
    certificate expires.
    """
    ca = await authority.ca_certificate()
    if ca is None:
        return SignatureReport(intact=False, trusted=False)
    context = ValidationContext(
        trust_roots=[asn1_cert(ca)], allow_fetching=False, revocation_mode="soft-fail"
    )
    sigs = signatures_in(data)
    if not sigs:
        return SignatureReport(intact=False, trusted=False)
    intact = trusted = True
    signer = ""
    for sig in sigs:
        try:
            status = await async_validate_pdf_signature(sig, context)
        except (SignatureValidationError, ValueError, PdfReadError) as exc:
            log.info("signature did not validate: %s", exc)
            return SignatureReport(intact=False, trusted=False)
        level = status.modification_level
        unchanged = level is not None and level <= ModificationLevel.LTA_UPDATES
        intact = intact and status.intact and status.valid and unchanged
        trusted = trusted and status.trusted
        signer = status.signing_cert.subject.native.get("common_name", "")
    return SignatureReport(intact=intact, trusted=trusted, signer=signer)
