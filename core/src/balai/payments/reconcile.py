"""Daily reconciliation: the ledger's gateway payments against the gateway's settlement report.

Differences are stored per day (a new run of the same day replaces them):
``missing_in_ledger`` (the gateway settled money we did not credit, e.g. a
second payment of an invoice), ``missing_at_gateway`` (we credited money the
gateway did not settle) and ``amount_mismatch``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from balai.payments.gateway_client import GatewayClient, GatewayError
from balai.payments.ledger import now_utc, write_transaction
from balai.payments.settings import gateway_secret, settings_for
from balai.payments.snap import WIB
from balai.payments.tables import Payment, ReconciliationDiff, ReconciliationRun
from balai.tenants import current_city

log = logging.getLogger("balai.payments.reconcile")

CASH = "cash"
# Not through the gateway: cash at the counter, and partners (reconciled with each partner).
NOT_GATEWAY = (CASH, "partner")


@dataclass(frozen=True)
class Difference:
    """One difference found."""

    kind: str
    reference: str
    ledger_amount: int | None
    gateway_amount: int | None


def compare(ledger: dict[str, int], gateway: dict[str, int]) -> tuple[int, list[Difference]]:
    """Compare amounts by reference; returns (matched count, differences)."""
    differences: list[Difference] = []
    matched = 0
    for reference in sorted(ledger.keys() | gateway.keys()):
        ours, theirs = ledger.get(reference), gateway.get(reference)
        if ours is None:
            differences.append(Difference("missing_in_ledger", reference, None, theirs))
        elif theirs is None:
            differences.append(Difference("missing_at_gateway", reference, ours, None))
        elif ours != theirs:
            differences.append(Difference("amount_mismatch", reference, ours, theirs))
        else:
            matched += 1
    return matched, differences


async def ledger_day(day: date) -> dict[str, int]:
    """The current city's gateway payments credited on ``day`` (WIB), by attempt reference."""
    # Bounds in UTC: SQLite compares stored times as text, all written in UTC.
    start = datetime(day.year, day.month, day.day, tzinfo=WIB).astimezone(UTC)
    rows = await Payment.select(Payment.external_id, Payment.amount).where(
        Payment.provider.not_in(list(NOT_GATEWAY))
        & (Payment.paid_at >= start)
        & (Payment.paid_at < start + timedelta(days=1))
    )
    return {r["external_id"]: r["amount"] for r in rows}


def _gateway_amounts(rows: list[dict[str, Any]]) -> dict[str, int]:
    amounts: dict[str, int] = {}
    for row in rows:
        value = str(row.get("amount", {}).get("value", "0.00"))
        amounts[str(row.get("partnerReferenceNo", ""))] = int(value.split(".")[0])
    return amounts


async def reconcile_day(app: Any, day: date) -> tuple[int, list[Difference]]:
    """Reconcile the current city's ``day`` and store the result.

    Raises:
        GatewayError: no gateway secret, or the report could not be read.
    """
    city = current_city()
    config = app.state.ui.config
    secret = gateway_secret(config)
    if secret is None:
        raise GatewayError("no gateway secret configured")
    settings = settings_for(config, city)
    client = GatewayClient(secret=secret, partner_id=settings.partner_id, app=app)
    report = await client.settlement_report(day.isoformat())
    matched, differences = compare(await ledger_day(day), _gateway_amounts(report))
    now = now_utc()
    async with write_transaction():
        await ReconciliationDiff.delete().where(ReconciliationDiff.day == day.isoformat())
        if differences:
            await ReconciliationDiff.insert(
                *[
                    ReconciliationDiff(
                        day=day.isoformat(),
                        kind=d.kind,
                        reference=d.reference,
                        ledger_amount=d.ledger_amount,
                        gateway_amount=d.gateway_amount,
                        found_at=now,
                    )
                    for d in differences
                ]
            )
        await ReconciliationRun(
            day=day.isoformat(), matched=matched, differences=len(differences), ran_at=now
        ).save()
    if differences:
        log.warning(
            "reconciliation of %s for %s: %d difference(s)", day, city.slug, len(differences)
        )
    else:
        log.info("reconciliation of %s for %s: %d matched, no difference", day, city.slug, matched)
    return matched, differences


def yesterday_wib() -> date:
    """The gateway's previous business day (WIB)."""
    return (now_utc().astimezone(WIB) - timedelta(days=1)).date()
