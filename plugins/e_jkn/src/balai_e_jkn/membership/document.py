"""The letter of JKN membership as an official document, signed by the head of Dinkes.

When BPJS registers a person (the registration batch), the core documents
service issues this letter (``tk.issue_document``) to the applicant's
account: it appears among their documents and in the records office's list,
waits for the signature of the role ``e_jkn.head`` and carries the
verification QR code. The NIK is printed masked; the reference
(``<application>/<position>``) makes a second issue for the same person
return the first letter, so a batch that runs again issues nothing twice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from balai import toolkit as tk

from balai_e_jkn.identity import masked_nik

HEAD = "e_jkn.head"
MEMBERSHIP_LETTER = tk.DocumentType(
    key="e_jkn.membership_letter",
    title=tk.N_("Letter of JKN membership"),
    template="e_jkn/documents/membership_letter.html",
    numbering=tk.ReferenceFormat("SKJKN"),
    required_data=("name", "nik_masked", "born", "card_number", "care_class", "start_date"),
    signer_role=HEAD,
    signer_position="Kepala Dinas Kesehatan",
    department="Dinas Kesehatan",
    retention_years=10,  # belum diverifikasi / unverified: the city's records schedule decides
)


def _text(day: date) -> str:
    return day.strftime("%d-%m-%Y")


async def issue_letter(
    application: dict[str, Any], member: dict[str, Any], card_number: str, start: date
) -> tk.IssuedDocument:
    """Issue (once) the membership letter of ``member`` of ``application``, now registered."""
    return await tk.issue_document(
        MEMBERSHIP_LETTER.key,
        data={
            "name": member["name"],
            "nik_masked": masked_nik(member["nik_sealed"]),
            "born": _text(member["born"]),
            "card_number": card_number,
            "care_class": member["care_class"],
            "start_date": _text(start),
            "application": application["number"] or "",
        },
        subject_id=application["applicant_id"],
        reference=f"{application['number']}/{member['position']}",
    )
