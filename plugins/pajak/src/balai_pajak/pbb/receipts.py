"""PBB-P2 payment receipts as official documents (unsigned), issued after the payment settles.

``invoice_settled`` runs inside the settlement's transaction, so it only
queues the job ``pajak.issue_receipt`` there (queued only if the settlement
commits); the job renders the receipt through the documents service for the
payer, who finds it among their documents. The receipt is the city's own
record of the payment; the ledger's receipt page stays the proof of payment.
"""

from __future__ import annotations

from balai import toolkit as tk

from balai_pajak.tables import BillPayment, BillPaymentStatus

JOB_NAME = "pajak.issue_receipt"
PBB_RECEIPT = tk.DocumentType(
    key="pajak.pbb_receipt",
    title=tk.N_("PBB-P2 payment receipt"),
    template="pajak/documents/pbb_receipt.html",
    numbering=tk.ReferenceFormat("BPBB"),
    required_data=("invoice", "amount", "lines"),
    department="Badan Pendapatan Daerah",
    retention_years=10,
)


async def queue_receipt(city: tk.City, invoice: tk.Invoice) -> None:
    """Ask for the receipt of a settled invoice (in the settlement's transaction)."""
    if invoice.payer_id is not None:
        await tk.enqueue(JOB_NAME, city, invoice_number=invoice.number)


async def issue_receipt(city: tk.City, *, invoice_number: str, **_: object) -> str | None:
    """Issue the receipt of ``invoice_number`` (once: the invoice is its reference).

    ``balai jobs run --arg invoice_number=007`` hands it over as text (the
    parameter is declared ``str``); a queue entry written before may hold
    another JSON value, so it is read as text all the same. Returns the document
    number (``None`` for an unknown, unpaid or counter invoice).
    """
    invoice = await tk.invoice_by_number(str(invoice_number))
    if invoice is None or invoice.payer_id is None:
        return None
    rows = await BillPayment.select(
        BillPayment.principal,
        BillPayment.penalty,
        BillPayment.sppt.nop.as_alias("nop"),
        BillPayment.sppt.year.as_alias("year"),
    ).where(
        (BillPayment.invoice_number == invoice.number)
        & (BillPayment.status == BillPaymentStatus.PAID.value)
    )
    if not rows:
        return None
    lines = [
        {
            "nop": tk.format_nop(row["nop"]),
            "year": row["year"],
            "principal": row["principal"],
            "penalty": row["penalty"],
        }
        for row in rows
    ]
    data = {
        "invoice": invoice.number,
        "amount": invoice.amount,
        "payer": invoice.payer_name,
        "lines": lines,
    }
    issued = await tk.issue_document(
        PBB_RECEIPT.key, data=data, subject_id=invoice.payer_id, reference=invoice.number
    )
    return issued.number


def job() -> tk.Job:
    """The job declaration (for the ``scheduled_jobs`` hook)."""
    return tk.Job(
        name=JOB_NAME,
        run=issue_receipt,
        description="Issue the receipt document of a paid PBB-P2 invoice",
    )
