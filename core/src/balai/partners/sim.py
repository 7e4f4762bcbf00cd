"""The partner simulator: plays a partner against a running instance over HTTP.

It pays a list of bills (customer numbers) the way a busy bank or e-wallet
does: many at once, each as inquiry then payment, with

* **retries**: a payment whose answer does not arrive (a time-out forced by
  a deliberately tiny client time-out) is sent again with the same
  ``paymentRequestId`` and a new ``X-EXTERNAL-ID`` until a definite answer;
* **duplicates**: some payments are sent twice at the same moment;
* **reversals**: some paid payments are voided the same day, and some of
  those a second time (which must be refused);

then, at the end of the day, it fetches the platform's file, sends its own
book as the partner's file, and checks:

* **0 double credits**: no bill is credited twice and every answer for one
  ``paymentRequestId`` names the same ledger payment;
* **0 lost payments**: every payment the partner counts as done is in the
  platform's file with its amount and status, and nothing else is;
* **reconciliation equal**: the platform reports no difference.
"""

from __future__ import annotations

import asyncio
import random
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from balai.partners import partner_side
from balai.partners.partner_side import PartnerKeys

TIMEOUT = 30.0
FORCED_TIMEOUT = 0.002  # seconds: the answer cannot arrive in time
MAX_ATTEMPTS = 20


@dataclass
class SimOptions:
    """How the simulated partner behaves."""

    concurrency: int = 8
    duplicate_rate: float = 0.1
    timeout_rate: float = 0.1
    reversal_rate: float = 0.1
    double_reversal_rate: float = 0.5  # of the reversals
    seed: int = 1
    run: str = field(default_factory=lambda: secrets.token_hex(4).upper())  # in every id


@dataclass
class SimReport:
    """What happened and what the checks found."""

    bills: int = 0
    paid: int = 0
    reversed: int = 0
    refused: Counter = field(default_factory=Counter)
    duplicates_sent: int = 0
    timeouts: int = 0
    retries: int = 0
    double_reversals_refused: int = 0
    double_credits: int = 0
    lost_payments: int = 0
    unexpected: list[str] = field(default_factory=list)
    recon_differences: int = -1
    seconds: float = 0.0
    timings: dict[str, list[float]] = field(default_factory=dict)  # path -> seconds per answer

    @property
    def ok(self) -> bool:
        """Whether every check held."""
        return (
            self.double_credits == 0
            and self.lost_payments == 0
            and self.recon_differences == 0
            and not self.unexpected
        )

    def as_dict(self) -> dict[str, Any]:
        """The report as plain data (for printing as JSON)."""
        return {
            "ok": self.ok,
            "bills": self.bills,
            "paid": self.paid,
            "reversed": self.reversed,
            "refused": dict(self.refused),
            "duplicates_sent": self.duplicates_sent,
            "timeouts": self.timeouts,
            "retries": self.retries,
            "double_reversals_refused": self.double_reversals_refused,
            "double_credits": self.double_credits,
            "lost_payments": self.lost_payments,
            "recon_differences": self.recon_differences,
            "unexpected": self.unexpected[:20],
            "seconds": round(self.seconds, 2),
        }


class Partner:
    """One simulated partner talking to one city of a running instance."""

    def __init__(
        self,
        base_url: str,
        keys: PartnerKeys,
        client: httpx.AsyncClient,
        timings: dict[str, list[float]] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.prefix = urlsplit(self.base_url).path
        self.keys = keys
        self.client = client
        self.token = ""
        self.timings = timings if timings is not None else {}

    async def get_token(self) -> None:
        """Obtain an access token (signed over a timestamp to the millisecond)."""
        body, headers = partner_side.token_request(self.keys)
        answer = await self.client.post(
            self.base_url + partner_side.TOKEN_PATH, content=body, headers=headers
        )
        if answer.status_code != 200:
            raise RuntimeError(f"no access token: {answer.status_code} {answer.text[:200]}")
        self.token = answer.json()["accessToken"]

    async def send(
        self, path: str, payload: Any, *, timeout: float = TIMEOUT
    ) -> tuple[int, dict[str, Any]]:
        """One signed request; a token that expired meanwhile is renewed once."""
        for _attempt in range(2):
            body, headers = partner_side.transaction_request(
                self.keys, self.token, self.prefix + path, payload
            )
            started = time.perf_counter()
            answer = await self.client.post(
                self.base_url + path, content=body, headers=headers, timeout=timeout
            )
            self.timings.setdefault(path, []).append(time.perf_counter() - started)
            data = answer.json()
            if answer.status_code == 401 and data.get("responseCode", "").endswith("01"):
                await self.get_token()
                continue
            return answer.status_code, data
        return answer.status_code, data


@dataclass
class Book:
    """The partner's own book: what it believes it paid and reversed."""

    paid: dict[str, tuple[str, int]] = field(default_factory=dict)  # reference -> customer, amount
    reversed: set[str] = field(default_factory=set)
    ledger_numbers: dict[str, set[str]] = field(default_factory=dict)


async def _pay_until_answered(
    partner: Partner, payload: dict[str, Any], force_timeout: bool, report: SimReport
) -> tuple[int, dict[str, Any]]:
    timeout = FORCED_TIMEOUT if force_timeout else TIMEOUT
    for _attempt in range(MAX_ATTEMPTS):
        try:
            return await partner.send(partner_side.PAYMENT_PATH, payload, timeout=timeout)
        except httpx.TimeoutException:
            report.timeouts += 1
            report.retries += 1
            timeout = TIMEOUT
        except httpx.TransportError:
            report.retries += 1
            await asyncio.sleep(0.05)
    raise RuntimeError(f"payment {payload['paymentRequestId']} never answered")


async def _one_bill(
    partner: Partner,
    number: int,
    customer: str,
    rng: random.Random,
    options: SimOptions,
    book: Book,
    report: SimReport,
) -> None:
    inquiry_id = f"SIMQ{options.run}{number:07d}"
    status, data = await partner.send(
        partner_side.INQUIRY_PATH, {"customerNo": customer, "inquiryRequestId": inquiry_id}
    )
    if status != 200:
        report.refused[data.get("responseCode", str(status))] += 1
        return
    amount_text = data["virtualAccountData"]["totalAmount"]["value"]
    reference = f"SIMP{options.run}{number:07d}"
    payload = {
        "customerNo": customer,
        "inquiryRequestId": inquiry_id,
        "paymentRequestId": reference,
        "paidAmount": {"value": amount_text, "currency": "IDR"},
    }
    duplicate = rng.random() < options.duplicate_rate
    force_timeout = rng.random() < options.timeout_rate
    sends = [_pay_until_answered(partner, payload, force_timeout, report)]
    if duplicate:
        report.duplicates_sent += 1
        sends.append(_pay_until_answered(partner, payload, False, report))
    answers = await asyncio.gather(*sends)
    for status, data in answers:
        if status == 200:
            book.ledger_numbers.setdefault(reference, set()).add(
                data["virtualAccountData"]["referenceNo"]
            )
    if not any(status == 200 for status, _data in answers):
        report.refused[answers[0][1].get("responseCode", "?")] += 1
        return
    book.paid[reference] = (customer, int(amount_text[:-3]))
    report.paid += 1
    if rng.random() < options.reversal_rate:
        status, data = await partner.send(
            partner_side.REVERSAL_PATH, {"paymentRequestId": reference}
        )
        if status != 200:
            report.unexpected.append(f"reversal of {reference}: {status} {data}")
            return
        book.reversed.add(reference)
        report.reversed += 1
        if rng.random() < options.double_reversal_rate:
            status, data = await partner.send(
                partner_side.REVERSAL_PATH, {"paymentRequestId": reference}
            )
            if status == 409:
                report.double_reversals_refused += 1
            else:
                report.unexpected.append(f"second reversal of {reference}: {status}")


async def _end_of_day(partner: Partner, day: str, book: Book, report: SimReport, run: str) -> None:
    status, data = await partner.send(partner_side.RECON_FILE_PATH, {"day": day})
    if status != 200:
        report.unexpected.append(f"reconciliation file: {status} {data}")
        return
    ours = f"SIMP{run}"
    platform = {p["paymentRequestId"]: p for p in data["payments"]}
    this_run = {ref: line for ref, line in platform.items() if ref.startswith(ours)}
    credited = Counter(p["customerNo"] for p in platform.values() if p["status"] == "paid")
    report.double_credits = sum(n - 1 for n in credited.values() if n > 1)
    report.double_credits += sum(1 for numbers in book.ledger_numbers.values() if len(numbers) > 1)
    lost = 0
    for reference, (_customer, amount) in book.paid.items():
        line = this_run.get(reference)
        expected = "reversed" if reference in book.reversed else "paid"
        if line is None or line["status"] != expected or line["amount"]["value"] != f"{amount}.00":
            lost += 1
    lost += sum(1 for reference in this_run if reference not in book.paid)
    report.lost_payments = lost
    # The partner's file: this run's book, and the day's earlier runs as the platform listed them.
    earlier = [
        {"paymentRequestId": ref, "amount": line["amount"], "status": line["status"]}
        for ref, line in platform.items()
        if not ref.startswith(ours)
    ]
    mine = [
        {
            "paymentRequestId": reference,
            "amount": {"value": f"{amount}.00", "currency": "IDR"},
            "status": "reversed" if reference in book.reversed else "paid",
        }
        for reference, (_customer, amount) in sorted(book.paid.items())
    ]
    status, data = await partner.send(
        partner_side.RECON_REPORT_PATH, {"day": day, "payments": earlier + mine}
    )
    if status != 200:
        report.unexpected.append(f"reconciliation report: {status} {data}")
        return
    report.recon_differences = len(data["differences"])


async def simulate(
    base_url: str,
    keys: PartnerKeys,
    customers: list[str],
    day: str,
    options: SimOptions | None = None,
) -> SimReport:
    """Play the partner against ``base_url`` (a city's address) for ``customers``.

    Args:
        base_url: The city's address, e.g. ``http://127.0.0.1:8000/malang``.
        keys: The partner's client id, secret and private key.
        customers: Customer numbers to pay, each once (a number owing
            nothing is counted as refused, not as an error).
        day: The city's business day (``YYYY-MM-DD``) for the reconciliation.
        options: Rates and concurrency (defaults: 8 at once, 10 % each).
    """
    options = options or SimOptions()
    rng = random.Random(options.seed)  # noqa: S311 (a reproducible run, not a secret)
    report = SimReport(bills=len(customers))
    book = Book()
    started = time.perf_counter()
    limits = httpx.Limits(max_connections=options.concurrency * 2 + 2)
    async with httpx.AsyncClient(limits=limits, timeout=TIMEOUT) as client:
        partner = Partner(base_url, keys, client, report.timings)
        await partner.get_token()
        gate = asyncio.Semaphore(options.concurrency)

        async def guarded(number: int, customer: str, seed: int) -> None:
            async with gate:
                await _one_bill(
                    partner,
                    number,
                    customer,
                    random.Random(seed),  # noqa: S311 (reproducible, not a secret)
                    options,
                    book,
                    report,
                )

        await asyncio.gather(
            *(guarded(n, c, rng.randrange(2**32)) for n, c in enumerate(customers))
        )
        await _end_of_day(partner, day, book, report, options.run)
    report.seconds = time.perf_counter() - started
    return report


# --- tickets --------------------------------------------------------------------


@dataclass
class TicketOptions:
    """How the simulated partner sells tickets (shares of the holds)."""

    holds: int = 40
    concurrency: int = 8
    cancel_rate: float = 0.15
    expire_rate: float = 0.15  # left unconfirmed (held for 1 minute)
    duplicate_rate: float = 0.2  # a hold or a confirmation sent twice at once
    seed: int = 1
    run: str = field(default_factory=lambda: secrets.token_hex(4).upper())


@dataclass
class TicketReport:
    """What the ticket run did and what its checks found.

    ``oversold``: places the partner got beyond what the list offered
    (counted per slot from the list before and after the run); ``missing``:
    confirmed orders whose tickets are not exactly the quantity held, or a
    ticket code answered for two orders.
    """

    holds: int = 0
    confirmed: int = 0
    cancelled: int = 0
    left_to_expire: int = 0
    sold_out: int = 0
    double_confirms_refused: int = 0
    oversold: int = 0
    missing: int = 0
    unexpected: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether every check held."""
        return self.oversold == 0 and self.missing == 0 and not self.unexpected

    def as_dict(self) -> dict[str, Any]:
        """The report as plain data."""
        return {
            "ok": self.ok,
            "holds": self.holds,
            "confirmed": self.confirmed,
            "cancelled": self.cancelled,
            "left_to_expire": self.left_to_expire,
            "sold_out": self.sold_out,
            "double_confirms_refused": self.double_confirms_refused,
            "oversold": self.oversold,
            "missing": self.missing,
            "unexpected": self.unexpected[:20],
            "seconds": round(self.seconds, 2),
        }


@dataclass
class _Sale:
    slot: str
    quantity: int
    status: str = "refused"  # held, confirmed, cancelled
    codes: tuple[str, ...] = ()


async def _one_sale(
    partner: Partner,
    number: int,
    slot: dict[str, Any],
    rng: random.Random,
    options: TicketOptions,
    report: TicketReport,
) -> _Sale:
    category = slot["prices"][0]["category"]
    sale = _Sale(slot["slotId"], rng.randint(1, min(3, slot["perOrderMax"])))
    reference = f"SIMH{options.run}{number:06d}"
    stays = rng.random() < options.expire_rate
    hold = {
        "partnerReferenceNo": reference,
        "slotId": sale.slot,
        "quantities": {category: sale.quantity},
        "holdMinutes": 1 if stays else 15,
    }
    copies = 2 if rng.random() < options.duplicate_rate else 1
    answers = await asyncio.gather(
        *(partner.send(partner_side.TICKETS_HOLD_PATH, hold) for _ in range(copies))
    )
    held = [data for status, data in answers if status == 200]
    if not held:
        if all(data.get("responseCode") == "4096101" for _status, data in answers):
            report.sold_out += 1
        else:
            report.unexpected.append(f"hold {reference}: {answers[0]}")
        return sale
    if len({data["orderNumber"] for data in held}) != 1:
        report.unexpected.append(f"hold {reference} answered two orders")
    sale.status = "held"
    report.holds += 1
    if stays:
        report.left_to_expire += 1
        return sale
    if rng.random() < options.cancel_rate:
        status, data = await partner.send(
            partner_side.TICKETS_CANCEL_PATH, {"partnerReferenceNo": reference}
        )
        if status == 200:
            sale.status = "cancelled"
            report.cancelled += 1
        else:
            report.unexpected.append(f"cancel {reference}: {status} {data}")
        return sale
    confirm = {
        "partnerReferenceNo": reference,
        "paymentRequestId": f"SIMT{options.run}{number:06d}",
        "paidAmount": held[0]["totalAmount"],
    }
    copies = 2 if rng.random() < options.duplicate_rate else 1
    answers = await asyncio.gather(
        *(partner.send(partner_side.TICKETS_CONFIRM_PATH, confirm) for _ in range(copies))
    )
    confirmed = [data for status, data in answers if status == 200]
    if not confirmed:
        report.unexpected.append(f"confirm {reference}: {answers[0]}")
        return sale
    codes = {tuple(t["code"] for t in data["tickets"]) for data in confirmed}
    if len(codes) != 1:
        report.unexpected.append(f"confirm {reference} answered different tickets")
    sale.status, sale.codes = "confirmed", sorted(codes)[0]
    report.confirmed += 1
    again = dict(confirm, paymentRequestId=f"SIMX{options.run}{number:06d}")
    status, data = await partner.send(partner_side.TICKETS_CONFIRM_PATH, again)
    if status == 409:
        report.double_confirms_refused += 1
    else:
        report.unexpected.append(f"second confirmation of {reference}: {status} {data}")
    return sale


async def _offered(partner: Partner) -> dict[str, dict[str, Any]]:
    status, data = await partner.send(partner_side.TICKETS_LIST_PATH, {})
    if status != 200:
        raise RuntimeError(f"no ticket list: {status} {data}")
    return {slot["slotId"]: slot for slot in data["slots"]}


async def simulate_tickets(
    base_url: str, keys: PartnerKeys, options: TicketOptions | None = None
) -> TicketReport:
    """Sell tickets as a partner against ``base_url`` and check none is oversold or missing.

    Holds places of the listed slots (some twice at once), cancels some,
    leaves some to expire, confirms the rest (some twice at once, then once
    more under another reference, which must be refused), and compares the
    list before and after: each slot's places went down by exactly the
    places still held or sold, never below zero, and every confirmed order
    has its tickets, each code once.
    """
    options = options or TicketOptions()
    rng = random.Random(options.seed)  # noqa: S311 (a reproducible run, not a secret)
    report = TicketReport()
    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=TIMEOUT) as client:
        partner = Partner(base_url, keys, client)
        await partner.get_token()
        by_id = await _offered(partner)
        before = {slot: offer["available"] for slot, offer in by_id.items()}
        slots = [slot for slot, left in before.items() if left > 0]
        if not slots:
            raise RuntimeError("no slot with places for partners")
        gate = asyncio.Semaphore(options.concurrency)

        async def guarded(number: int, slot: str, seed: int) -> _Sale:
            async with gate:
                return await _one_sale(
                    partner,
                    number,
                    by_id[slot],
                    random.Random(seed),  # noqa: S311 (reproducible, not a secret)
                    options,
                    report,
                )

        sales = await asyncio.gather(
            *(guarded(n, rng.choice(slots), rng.randrange(2**32)) for n in range(options.holds))
        )
        after = {slot: offer["available"] for slot, offer in (await _offered(partner)).items()}
    taken = Counter()
    for sale in sales:
        if sale.status in {"held", "confirmed"}:
            taken[sale.slot] += sale.quantity
        if sale.status == "confirmed" and len(sale.codes) != sale.quantity:
            report.missing += 1
    codes = [code for sale in sales for code in sale.codes]
    report.missing += len(codes) - len(set(codes))
    for slot, left in before.items():
        now_left = after.get(slot, 0)
        if now_left < 0 or taken[slot] > left:
            report.oversold += max(taken[slot] - left, -now_left)
        if now_left != left - taken[slot]:
            report.unexpected.append(
                f"{slot}: {left} offered, {taken[slot]} taken, {now_left} left"
            )
    report.seconds = time.perf_counter() - started
    return report
