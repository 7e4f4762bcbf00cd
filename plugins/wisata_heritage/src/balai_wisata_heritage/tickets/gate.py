"""The gate check: is this ticket admitted now, at this gate? Exactly once.

A gate officer types a ticket's code or scans its QR code (a signed payload,
see :func:`balai.toolkit.verify_payload`). A payload that is malformed,
forged or signed by another city is refused before anything is looked up.
A ticket passes when it is valid (paid, not refunded or cancelled) and its
slot is now (from :data:`.rules.EARLY_ENTRY` before its start to its end);
its admission is one conditional ``UPDATE ... WHERE status = 'valid'``, so
of two gates scanning it at once exactly one admits. Refusals write nothing.

Scans a gate made offline come back through :func:`record_offline`: the
gate already let the visitor in, so each is recorded; a ticket found used
already (at another gate, or twice at one) is flagged for the officers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from balai import toolkit as tk

from balai_wisata_heritage.tickets import metrics, stock
from balai_wisata_heritage.tickets.rules import (
    EARLY_ENTRY,
    SIGNING_PURPOSE,
    TICKET_CODES,
    Category,
    TicketStatus,
)
from balai_wisata_heritage.tickets.tables import Admission, Ticket, TicketProduct, TicketSlot

MAX_GATE_NAME = 40

REASONS = {
    "admitted": tk.N_("Admitted"),
    "malformed": tk.N_("Not a ticket code: check the code or scan again."),
    "forged": tk.N_("Forged ticket: the signature does not match."),
    "other_city": tk.N_("This ticket belongs to another city."),
    "unknown": tk.N_("No ticket has this code."),
    "unpaid": tk.N_("This ticket is not paid."),
    "void": tk.N_("This ticket lapsed unpaid."),
    "refunded": tk.N_("This ticket was refunded."),
    "cancelled": tk.N_("This ticket was cancelled."),
    "wrong_day": tk.N_("Wrong day: this ticket is for %(day)s."),
    "wrong_slot": tk.N_("Wrong time slot: this ticket is for %(slot)s."),
    "used": tk.N_("Already used at %(time)s at gate %(gate)s."),
}
_STATUS_REASON = {
    TicketStatus.PENDING.value: "unpaid",
    TicketStatus.VOID.value: "void",
    TicketStatus.REFUNDED.value: "refunded",
    TicketStatus.CANCELLED.value: "cancelled",
}


@dataclass(frozen=True)
class GateAnswer:
    """What the gate shows: admitted or refused, and why.

    Attributes:
        admitted: Let the visitor in.
        reason: A key of :data:`REASONS`.
        message: The reason in the officer's language.
        code: The ticket's code, when one was found.
        category: The ticket's category (``resident``: check the KTP).
        product: The product's title.
        slot_label: The slot in the city's time, ``08.00–10.00, 8 Des``.
    """

    admitted: bool
    reason: str
    message: str
    code: str = ""
    category: str = ""
    product: str = ""
    slot_label: str = ""

    @property
    def check_ktp(self) -> bool:
        """Whether the officer must see a KTP of the city (resident price)."""
        return self.admitted and self.category == Category.RESIDENT.value

    @property
    def category_label(self) -> str:
        """The category's name."""
        return Category(self.category).label if self.category else ""


def reason_text(reason: str, **values: object) -> str:
    """A reason's message in the officer's language."""
    message = REASONS[reason]
    return tk._(message, **values)


def reason_texts() -> dict[str, str]:
    """The reasons without placeholders, in the officer's language (for the offline page)."""
    return {key: tk._(message) for key, message in REASONS.items() if "%(" not in message}


def _refused(reason: str, **values: object) -> GateAnswer:
    return GateAnswer(False, reason, reason_text(reason, **values))


def read_code(typed: str) -> str:
    """The ticket code in what the gate read: a signed payload or a typed code.

    Raises:
        tk.SignatureError: the payload is malformed, forged or another city's.
    """
    text = typed.strip()
    if text.startswith("B1."):
        signed = tk.verify_payload(text, SIGNING_PURPOSE)
        code = TICKET_CODES.parse(signed.fields.get("t", ""))
    else:
        code = TICKET_CODES.parse(text[:40])
    if code is None:
        raise tk.SignatureError("malformed")
    return code


def slot_label(starts_at: datetime, ends_at: datetime) -> str:
    """A slot in the city's time: ``Senin, 8 Desember 2026, 08.00–10.00``."""
    tz = tk.current_city().tz
    start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    return f"{start:%Y-%m-%d}, {start:%H.%M}–{end:%H.%M}"


def _time_refusal(slot: dict, now: datetime) -> GateAnswer | None:
    if slot["starts_at"] - EARLY_ENTRY <= now <= slot["ends_at"]:
        return None
    tz = tk.current_city().tz
    if slot["starts_at"].astimezone(tz).date() != now.astimezone(tz).date():
        return _refused("wrong_day", day=f"{slot['starts_at'].astimezone(tz):%Y-%m-%d}")
    return _refused("wrong_slot", slot=slot_label(slot["starts_at"], slot["ends_at"]))


async def _used_answer(ticket_id: int) -> GateAnswer:
    row = (
        await Ticket.select(Ticket.admitted_at, Ticket.admitted_gate)
        .where(Ticket.id == ticket_id)
        .first()
    )
    when = row["admitted_at"].astimezone(tk.current_city().tz) if row["admitted_at"] else None
    return _refused("used", time=f"{when:%H.%M}" if when else "?", gate=row["admitted_gate"])


async def _load(code: str) -> tuple[dict, dict, dict] | None:
    ticket = await Ticket.select().where(Ticket.code == code).first()
    if ticket is None:
        return None
    slot = await TicketSlot.select().where(TicketSlot.id == ticket["slot"]).first()
    product = (
        await TicketProduct.select(TicketProduct.title, TicketProduct.site)
        .where(TicketProduct.id == slot["product"])
        .first()
    )
    return ticket, slot, product


async def check(
    typed: str, gate: str, officer_id: int | None, *, now: datetime | None = None
) -> GateAnswer:
    """Admit the ticket in ``typed`` at ``gate`` now, or say why not."""
    now = now or datetime.now(UTC)
    try:
        code = read_code(typed)
    except tk.SignatureError as exc:
        return _refused(exc.reason)
    found = await _load(code)
    if found is None:
        return _refused("unknown")
    ticket, slot, product = found
    facts = {
        "code": code,
        "category": ticket["category"],
        "product": product["title"],
        "slot_label": slot_label(slot["starts_at"], slot["ends_at"]),
    }
    if ticket["status"] in _STATUS_REASON:
        return GateAnswer(False, **_answer_text(_STATUS_REASON[ticket["status"]]), **facts)
    if ticket["status"] == TicketStatus.USED.value:
        used = await _used_answer(ticket["id"])
        return GateAnswer(False, used.reason, used.message, **facts)
    refusal = _time_refusal(slot, now)
    if refusal is not None:
        return GateAnswer(False, refusal.reason, refusal.message, **facts)
    async with stock.write_transaction():
        won = await _admit(ticket["id"], gate, officer_id, now)
        if won:
            await _log(ticket["id"], code, gate, officer_id, now, offline=False, flagged=False)
            await metrics.count_visit(product["site"])
    if not won:
        used = await _used_answer(ticket["id"])
        return GateAnswer(False, used.reason, used.message, **facts)
    return GateAnswer(True, "admitted", reason_text("admitted"), **facts)


def _answer_text(reason: str) -> dict[str, str]:
    return {"reason": reason, "message": reason_text(reason)}


async def _admit(ticket_id: int, gate: str, officer_id: int | None, at: datetime) -> bool:
    moved = (
        await Ticket.update(
            {
                Ticket.status: TicketStatus.USED.value,
                Ticket.admitted_at: at,
                Ticket.admitted_gate: gate,
                Ticket.admitted_by: officer_id,
            }
        )
        .where((Ticket.id == ticket_id) & (Ticket.status == TicketStatus.VALID.value))
        .returning(Ticket.id)
    )
    return bool(moved)


async def _log(
    ticket_id: int | None,
    code: str,
    gate: str,
    officer_id: int | None,
    scanned_at: datetime,
    *,
    offline: bool,
    flagged: bool,
    reason: str = "admitted",
) -> None:
    await Admission.insert(
        Admission(
            ticket=ticket_id,
            code=code,
            gate=gate,
            officer_id=officer_id,
            scanned_at=scanned_at,
            recorded_at=datetime.now(UTC),
            admitted=True,
            reason=reason,
            offline=offline,
            flagged=flagged,
        )
    )


@dataclass(frozen=True)
class SyncResult:
    """What became of one offline admission: ``recorded``, ``flagged`` or ``refused``."""

    code: str
    outcome: str
    reason: str


async def record_offline(
    typed: str, gate: str, officer_id: int | None, scanned_at: datetime
) -> SyncResult:
    """Record an admission a gate made offline; flag it when the ticket was not admissible.

    A payload that does not verify is refused and nothing is written (an
    offline gate checks signatures too, so only a tampered queue sends one).
    """
    try:
        code = read_code(typed)
    except tk.SignatureError as exc:
        return SyncResult("", "refused", exc.reason)
    found = await _load(code)
    if found is None:
        return SyncResult(code, "refused", "unknown")
    ticket, _slot, product = found
    async with stock.write_transaction():
        won = await _admit(ticket["id"], gate, officer_id, scanned_at)
        if won:
            await _log(
                ticket["id"], code, gate, officer_id, scanned_at, offline=True, flagged=False
            )
            await metrics.count_visit(product["site"])
            return SyncResult(code, "recorded", "admitted")
        current = await Ticket.select(Ticket.status).where(Ticket.id == ticket["id"]).first()
        reason = "used" if current["status"] == TicketStatus.USED.value else current["status"]
        await _log(
            ticket["id"],
            code,
            gate,
            officer_id,
            scanned_at,
            offline=True,
            flagged=True,
            reason=reason,
        )
    return SyncResult(code, "flagged", reason)
