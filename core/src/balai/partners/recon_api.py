"""The reconciliation exchange of the partner API: our daily file, and the partner's.

``reconciliation/file`` answers our file of a business day; ``reconciliation/report``
takes the partner's and answers the differences (kept for officers).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from balai.partners import answers, reconcile
from balai.partners.auth import Verified
from balai.partners.bills import AMOUNT, REQUEST_ID, money, read_body, text_field
from balai.tenants import current_city

DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
MAX_BODY = 4_000_000
MAX_PAYMENTS = 20_000


def _day(body: dict[str, Any]) -> date:
    service = answers.RECONCILIATION
    text = text_field(body, "day", DAY, service)
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise answers.invalid_field(service, "day") from exc
    if day > datetime.now(current_city().tz).date():
        raise answers.invalid_field(service, "day (in the future)")
    return day


async def our_file(verified: Verified, registry: Any) -> answers.Answer:
    """Our file of the asked business day."""
    day = _day(read_body(verified.raw_body, answers.RECONCILIATION))
    lines = await reconcile.our_lines(verified.partner["id"], day)
    return answers.success(
        answers.RECONCILIATION,
        {
            "day": day.isoformat(),
            "payments": [
                {
                    "paymentRequestId": line["paymentRequestId"],
                    "customerNo": line["customerNo"],
                    "amount": money(line["amount"]),
                    "fee": money(line["fee"]),
                    "status": line["status"],
                    "referenceNo": line["referenceNo"],
                }
                for line in lines
            ],
        },
    )


def _their_lines(body: dict[str, Any]) -> list[reconcile.Line]:
    service = answers.RECONCILIATION
    payments = body.get("payments")
    if not isinstance(payments, list):
        raise answers.missing_field(service, "payments")
    if len(payments) > MAX_PAYMENTS:
        raise answers.invalid_field(service, "payments (too many)")
    lines = []
    for number, item in enumerate(payments):
        if not isinstance(item, dict):
            raise answers.invalid_field(service, f"payments[{number}]")
        reference = item.get("paymentRequestId")
        if not isinstance(reference, str) or not REQUEST_ID.match(reference):
            raise answers.invalid_field(service, f"payments[{number}].paymentRequestId")
        amount = item.get("amount")
        value = amount.get("value") if isinstance(amount, dict) else None
        if not isinstance(value, str) or not AMOUNT.match(value) or amount.get("currency") != "IDR":
            raise answers.invalid_field(service, f"payments[{number}].amount")
        status = item.get("status")
        if status not in reconcile.STATUSES:
            raise answers.invalid_field(service, f"payments[{number}].status")
        lines.append(reconcile.Line(reference, int(value[:-3]), status))
    return lines


async def their_report(verified: Verified, registry: Any) -> answers.Answer:
    """Compare the partner's file of a day with ours; answer and keep the differences."""
    body = read_body(verified.raw_body, answers.RECONCILIATION)
    day = _day(body)
    theirs = _their_lines(body)
    _, matched, differences = await reconcile.run(verified.partner["id"], day, theirs, source="api")
    return answers.success(
        answers.RECONCILIATION,
        {
            "day": day.isoformat(),
            "matched": matched,
            "differences": [
                {
                    "kind": d.kind,
                    "paymentRequestId": d.reference,
                    "ours": d.ours,
                    "theirs": d.theirs,
                }
                for d in differences
            ],
        },
    )
