"""The hash chain: how an entry is serialised and hashed, and how a chain is checked.

An entry's hash is the SHA-256 of a canonical JSON document holding every
stored field (times as UTC ISO strings to the microsecond) and the previous
entry's hash. Changing, removing or reordering any row breaks the chain at
that row, which :func:`verify_city` reports.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from balai.audit.tables import AuditEntry
from balai.i18n import gettext as _

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "city",
    "seq",
    "created_at",
    "actor_id",
    "actor_label",
    "action",
    "subject",
    "detail",
    "client_addr",
    "user_agent",
    "personal_data_of",
    "prev_hash",
)
_BATCH = 500


def canonical_time(value: datetime | str) -> str:
    """A stored time as the UTC ISO string the hash uses (naive means UTC)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces: one text per value."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(fields: Mapping[str, Any]) -> str:
    """The SHA-256 (hex) of an entry's hashed fields, ``prev_hash`` included."""
    document = {name: fields[name] for name in HASHED_FIELDS}
    document["created_at"] = canonical_time(document["created_at"])
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """The first entry of a city whose chain does not hold.

    Attributes:
        city: The city slug.
        seq: The sequence number where the chain breaks.
        entry_id: The row id of that entry.
        reason: What is wrong, in the current language.
    """

    city: str
    seq: int
    entry_id: int
    reason: str


@dataclass(frozen=True)
class ChainReport:
    """The result of checking one city's chain.

    ``head_hash`` is the hash of the last entry that holds. A chain cannot
    show that entries were cut off its end: keep the head hash somewhere
    else (a ticket, a signed report) to compare later runs against.
    """

    city: str
    entries: int
    broken: ChainBreak | None = None
    head_hash: str = GENESIS_HASH

    @property
    def ok(self) -> bool:
        """Whether every entry holds."""
        return self.broken is None


async def verify_city(city_slug: str) -> ChainReport:
    """Recompute the chain of ``city_slug`` and report the first broken entry.

    Runs inside that city's scope (the table is city-scoped). Reads in
    batches so that a long log does not load at once.
    """
    expected_prev = GENESIS_HASH
    expected_seq = 1
    count = 0
    columns = [
        AuditEntry.id,
        *(getattr(AuditEntry, f) for f in HASHED_FIELDS),
        AuditEntry.entry_hash,
    ]
    while True:
        rows = (
            await AuditEntry.select(*columns)
            .where(AuditEntry.seq >= expected_seq)
            .order_by(AuditEntry.seq)
            .limit(_BATCH)
        )
        if not rows:
            return ChainReport(city_slug, count, head_hash=expected_prev)
        for row in rows:
            problem = _check(row, expected_seq, expected_prev)
            if problem:
                return ChainReport(
                    city_slug,
                    count,
                    ChainBreak(city_slug, row["seq"], row["id"], problem),
                    head_hash=expected_prev,
                )
            expected_prev = row["entry_hash"]
            expected_seq += 1
            count += 1


def _check(row: Mapping[str, Any], seq: int, prev: str) -> str:
    if row["seq"] != seq:
        return _(
            "sequence number %(found)s where %(expected)s was expected (an entry is missing)",
            found=row["seq"],
            expected=seq,
        )
    if row["prev_hash"] != prev:
        return _("its previous hash does not match the entry before it")
    if entry_hash(row) != row["entry_hash"]:
        return _("its content does not match its hash (the entry was changed)")
    return ""


class ChainBrokenError(RuntimeError):
    """A city's audit chain does not hold (raised by the daily check job)."""


async def verify_job(city: Any, **kwargs: Any) -> None:
    """The ``audit.verify`` job: check ``city``'s chain; a break fails the run loudly.

    The job runner records the failed run with this error, so ``balai jobs``
    shows it next to the job.

    Raises:
        ChainBrokenError: naming the first broken entry.
    """
    report = await verify_city(city.slug)
    if report.broken is not None:
        broken = report.broken
        raise ChainBrokenError(
            f"audit chain of {broken.city} broken at entry {broken.seq} "
            f"(row id {broken.entry_id}): {broken.reason}"
        )
