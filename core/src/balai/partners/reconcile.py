"""Daily reconciliation with each partner, both directions.

**Our file** of a partner's business day lists every payment it made that
day (paid or reversed), one line each: ``paymentRequestId``, ``customerNo``,
``amount``, ``fee``, ``status``, ``referenceNo`` (the ledger's payment
number). The partner fetches it through the API, officers download it as
CSV.

**The partner's file** lists what it collected that day, at least
``paymentRequestId``, ``amount`` and ``status`` (``paid`` or ``reversed``);
it arrives through the API, an officer's upload or ``balai partner-recon``.

Comparing both by reference gives ``missing_here`` (the partner collected,
we credited nothing), ``missing_at_partner`` (we credited, the partner
reports nothing), ``amount_mismatch`` and ``status_mismatch`` (one side
reversed). Each run is kept with its differences; a reference the partner
lists twice is itself a difference (``duplicate``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from balai.partners.tables import PartnerPayment, PartnerReconDiff, PartnerReconRun
from balai.payments.ledger import now_utc, write_transaction

COLUMNS = ("paymentRequestId", "customerNo", "amount", "fee", "status", "referenceNo")
STATUSES = ("paid", "reversed")
MAX_LINES = 100_000


class ReconFileError(ValueError):
    """A partner's file cannot be read; the message names the line."""


@dataclass(frozen=True)
class Line:
    """One payment as one side reports it."""

    reference: str
    amount: int
    status: str


@dataclass(frozen=True)
class Difference:
    """One difference found."""

    kind: str
    reference: str
    ours: str
    theirs: str


async def our_lines(partner_id: int, day: date) -> list[dict[str, Any]]:
    """Our file of ``day``: the partner's paid and reversed payments, by reference."""
    rows = await (
        PartnerPayment.select()
        .where(
            (PartnerPayment.partner_id == partner_id)
            & (PartnerPayment.day == day.isoformat())
            & PartnerPayment.status.is_in(list(STATUSES))
        )
        .order_by(PartnerPayment.reference)
    )
    return [
        {
            "paymentRequestId": r["reference"],
            "customerNo": r["customer_number"],
            "amount": r["amount"],
            "fee": r["fee"],
            "status": r["status"],
            "referenceNo": r["payment_number"],
        }
        for r in rows
    ]


def as_csv(lines: list[dict[str, Any]]) -> str:
    """Our file as CSV (a header line, then one line per payment)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(lines)
    return out.getvalue()


def read_csv(text: str) -> list[Line]:
    """A partner's CSV file (header with at least paymentRequestId, amount, status)."""
    reader = csv.DictReader(io.StringIO(text))
    needed = {"paymentRequestId", "amount", "status"}
    if reader.fieldnames is None or not needed <= set(reader.fieldnames):
        raise ReconFileError("the header must name paymentRequestId, amount and status")
    return [
        read_line(row.get("paymentRequestId"), row.get("amount"), row.get("status"), number)
        for number, row in enumerate(reader, start=2)
    ]


def read_line(reference: Any, amount: Any, status: Any, number: int) -> Line:
    """One line of a partner's file, checked."""
    if number > MAX_LINES + 1:
        raise ReconFileError(f"at most {MAX_LINES} lines")
    if not isinstance(reference, str) or not 0 < len(reference.strip()) <= 64:
        raise ReconFileError(f"line {number}: paymentRequestId is missing or too long")
    text = str(amount).strip() if isinstance(amount, str | int) else ""
    text = text.removesuffix(".00")
    if not (text.isascii() and text.isdigit()) or len(text) > 13:
        raise ReconFileError(f"line {number}: amount must be whole rupiah")
    if status not in STATUSES:
        raise ReconFileError(f"line {number}: status must be paid or reversed")
    return Line(reference.strip(), int(text), status)


def compare(ours: list[Line], theirs: list[Line]) -> tuple[int, list[Difference]]:
    """Compare both sides by reference; returns (matched count, differences)."""
    differences: list[Difference] = []
    mine = {line.reference: line for line in ours}
    partner: dict[str, Line] = {}
    for line in theirs:
        if line.reference in partner:
            differences.append(Difference("duplicate", line.reference, "", str(line.amount)))
        partner[line.reference] = line
    matched = 0
    for reference in sorted(mine.keys() | partner.keys()):
        a, b = mine.get(reference), partner.get(reference)
        if a is None:
            assert b is not None
            if b.status == "paid":
                differences.append(Difference("missing_here", reference, "", str(b.amount)))
            else:
                matched += 1  # reversed on their side and never credited here: even
        elif b is None:
            if a.status == "paid":
                differences.append(Difference("missing_at_partner", reference, str(a.amount), ""))
            else:
                matched += 1
        elif a.amount != b.amount:
            differences.append(
                Difference("amount_mismatch", reference, str(a.amount), str(b.amount))
            )
        elif a.status != b.status:
            differences.append(Difference("status_mismatch", reference, a.status, b.status))
        else:
            matched += 1
    return matched, differences


async def run(
    partner_id: int, day: date, theirs: list[Line], *, source: str
) -> tuple[int, int, list[Difference]]:
    """Reconcile ``day`` of a partner against its lines; returns (run id, matched, differences)."""
    ours = [
        Line(r["paymentRequestId"], r["amount"], r["status"])
        for r in await our_lines(partner_id, day)
    ]
    matched, differences = compare(ours, theirs)
    async with write_transaction():
        record = PartnerReconRun(
            partner_id=partner_id,
            day=day.isoformat(),
            matched=matched,
            differences=len(differences),
            source=source,
            ran_at=now_utc(),
        )
        await record.save()
        if differences:
            await PartnerReconDiff.insert(
                *(
                    PartnerReconDiff(
                        run_id=record.id,
                        partner_id=partner_id,
                        day=day.isoformat(),
                        kind=d.kind,
                        reference=d.reference[:64],
                        ours=d.ours[:40],
                        theirs=d.theirs[:40],
                    )
                    for d in differences
                )
            )
    return record.id, matched, differences
