"""The merchant verification letter: an official document signed by the head of Diskopindag.

When Diskopindag verifies a business, the core documents service issues
this letter (``tk.issue_document``) to the owner's account, where it appears
among their documents once the head of the department has signed it in the
signing queue; anyone can check it by its QR code.
"""

from __future__ import annotations

from typing import Any

from balai import toolkit as tk

HEAD = "umkm_market.head"
VERIFICATION_LETTER = tk.DocumentType(
    key="umkm_market.verification_letter",
    title=tk.N_("Merchant verification letter"),
    template="umkm_market/documents/verification_letter.html",
    numbering=tk.ReferenceFormat("SVU"),
    required_data=("merchant_name", "owner_name", "nib", "address", "district", "category"),
    signer_role=HEAD,
    signer_position="Kepala Dinas Koperasi, Perindustrian dan Perdagangan",
    department="Dinas Koperasi, Perindustrian dan Perdagangan",
    retention_years=5,
)


async def issue_letter(merchant: dict[str, Any], *, actor_id: int | None, request: Any) -> str:
    """Issue the verification letter of a just-verified merchant; its document number."""
    issued = await tk.issue_document(
        VERIFICATION_LETTER.key,
        data={
            "merchant_name": merchant["name"],
            "owner_name": merchant["owner_name"],
            "nib": merchant["nib"],
            "address": merchant["address"],
            "district": merchant["district"],
            "category": merchant["category"],
        },
        subject_id=merchant["owner_user_id"],
        actor_id=actor_id,
        request=request,
    )
    return issued.number
