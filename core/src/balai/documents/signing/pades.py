"""PAdES signatures with pyHanko: chain, RFC 3161 timestamp, validation data (B-LT), stamp.

Why pyHanko: it is the maintained Python implementation of PAdES (ETSI EN
319 142) with incremental updates, RFC 3161 timestamps, the document
security store for long-term validation and a validator (with a CLI) built
on the same certificate path validation; Python has no other library that
does all of these.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import crl as asn1_crl
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

from balai.documents.signing.tsa import asn1_cert

FIELD_NAME = "TandaTangan"
# Room for the CMS (chain, timestamp token): fixed, since a remote service's answer
# cannot be sized by a dry run here.
RESERVED = 16384
FONT = Path(__file__).parents[1] / "fonts" / "DejaVuSans.ttf"


@dataclass(frozen=True)
class SignatureRequest:
    """Where and how to sign one PDF.

    Attributes:
        pdf: The unsigned document.
        page: The page index of the signature block.
        box: The block's rectangle in PDF points (``x1, y1, x2, y2``).
        stamp_text: The visible text (signer, position, time).
        reason: The signature's reason entry.
        location: The signature's location entry (the city).
    """

    pdf: bytes
    page: int
    box: tuple[int, int, int, int]
    stamp_text: str
    reason: str
    location: str


def validation_context(
    ca_cert: x509.Certificate, crl: x509.CertificateRevocationList, extra_certs: list | None = None
) -> ValidationContext:
    """Trust the city CA only; revocation from its CRL, given here (no fetching)."""
    return ValidationContext(
        trust_roots=[asn1_cert(ca_cert)],
        crls=[asn1_crl.CertificateList.load(crl.public_bytes(serialization.Encoding.DER))],
        other_certs=[asn1_cert(c) for c in extra_certs or ()],
        allow_fetching=False,
        revocation_mode="hard-fail",
    )


def timestamper(url: str) -> TimeStamper:
    """An RFC 3161 client for the timestamp authority at ``url``."""
    return HTTPTimeStamper(url, timeout=10)


async def sign_pdf(
    request: SignatureRequest,
    signer: signers.Signer,
    *,
    context: ValidationContext,
    stamper: TimeStamper,
) -> bytes:
    """The signed PDF: a PAdES B-LT signature in the block the renderer left free.

    Raises:
        pyhanko.sign.general.SigningError: the signer's certificate does not
            validate (revoked, expired, outside the CA), or the timestamp
            authority failed.
    """
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=True,
        validation_context=context,
        reason=request.reason,
        location=request.location,
        signer_key_usage={"non_repudiation"},
    )
    style = TextStampStyle(
        stamp_text=request.stamp_text,
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(FONT)), font_size=7),
        border_width=1,
        background=None,
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer,
        timestamper=stamper,
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(
            sig_field_name=FIELD_NAME, on_page=request.page, box=request.box
        ),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(request.pdf), strict=False)
    out = await pdf_signer.async_sign_pdf(writer, output=io.BytesIO(), bytes_reserved=RESERVED)
    return out.getvalue()
