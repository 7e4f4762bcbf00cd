"""PBJT work on the database: registering, filing, correcting, paying, non-filers.

Routes call these and turn their errors into form messages; the ledger's
hooks call :func:`settled` and :func:`expired`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from balai import toolkit as tk

from balai_pajak.months import Month, local_date, local_today
from balai_pajak.pbjt import rules
from balai_pajak.pbjt.settings import PbjtSettings
from balai_pajak.pbjt.tables import Business, ReturnStatus, TaxReturn
from balai_pajak.transactions import write_transaction

SOURCE = "pajak"
PREFIX = "pbjt:"
INVOICE_HOURS = 24  # an online payment of a return stays open this long


class FilingError(ValueError):
    """A return cannot be filed or replaced as asked; ``field`` and ``message`` say why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def settings_of(city: tk.City) -> PbjtSettings:
    """The city's PBJT settings (empty rules when the city set none)."""
    pajak = city.settings_for("pajak")
    return pajak.pbjt if pajak is not None else PbjtSettings()


def now_utc() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


async def current_return(business_id: int, month: Month) -> dict | None:
    """The current (not replaced) return of a business for ``month``."""
    return (
        await TaxReturn.select()
        .where(
            (TaxReturn.business == business_id)
            & (TaxReturn.year == month.year)
            & (TaxReturn.month == month.month)
            & TaxReturn.replaced_by.is_null()
        )
        .first()
    )


def _check_month(business: dict, month: Month, today: date) -> None:
    if month >= Month.of(today):
        raise FilingError("month", tk._("A return can only be filed for a month that has ended."))
    if month < Month.of(business["started_on"]):
        raise FilingError(
            "month", tk._("The business was not yet registered as operating in that month.")
        )


def _assess(business: dict, month: Month, turnover: int, today: date) -> rules.Assessment:
    city = tk.current_city()
    try:
        return rules.assess(settings_of(city), business["kind"], month, turnover, today)
    except rules.NoRuleError as exc:
        raise FilingError(
            "month",
            tk._(
                "%(city)s has no PBJT rate for this kind of business in that month.", city=city.name
            ),
        ) from exc


def _status_for(assessment: rules.Assessment) -> str:
    if assessment.tax_due + assessment.late_filing_fine == 0:
        return ReturnStatus.NIL.value
    return ReturnStatus.UNPAID.value


async def file_return(business: dict, month: Month, turnover: int, user_id: int) -> dict:
    """File the return of ``month``: the tax at the city's rate, late flag and fine.

    Raises:
        FilingError: a month not ended or before the business started, no
            rule for it, or a return already filed for that month.
    """
    city = tk.current_city()
    today = local_today(city.tz)
    _check_month(business, month, today)
    if await current_return(business["id"], month) is not None:
        raise FilingError(
            "month", tk._("A return for this month was already filed; file a correction instead.")
        )
    assessment = _assess(business, month, turnover, today)
    row = TaxReturn(
        business=business["id"],
        year=month.year,
        month=month.month,
        turnover=turnover,
        rate_ppm=assessment.rate_ppm,
        tax_due=assessment.tax_due,
        regulation=assessment.regulation[:200],
        filing_deadline=assessment.filing_deadline,
        payment_deadline=assessment.payment_deadline,
        late_filing=assessment.late_filing,
        late_filing_fine=assessment.late_filing_fine,
        status=_status_for(assessment),
        filed_by=user_id,
        filed_at=now_utc(),
    )
    try:
        await row.save()
    except Exception as exc:  # two submissions at once: the unique index keeps one
        if "unique" in str(exc).lower():
            raise FilingError(
                "month",
                tk._("A return for this month was already filed; file a correction instead."),
            ) from exc
        raise
    return (await TaxReturn.select().where(TaxReturn.id == row.id).first()) or {}


async def replace_return(
    business: dict, old: dict, turnover: int, reason: str, user_id: int, request
) -> dict:
    """File a correction (*pembetulan*) replacing the unpaid return ``old``, audited.

    The new return keeps the old one's deadlines and late-filing fine (a
    correction does not make a late return timely, nor a timely one late).

    Raises:
        FilingError: the return is paid or replaced, a payment of it is in
            progress, or the reason is missing.
    """
    reason = " ".join(reason.split())
    if not reason or len(reason) > 500:
        raise FilingError(
            "reason", tk._("Give the reason for the correction (at most 500 characters).")
        )
    if (
        old["status"] not in (ReturnStatus.UNPAID.value, ReturnStatus.NIL.value)
        or old["replaced_by"]
    ):
        raise FilingError("turnover", tk._("Only an unpaid, current return can be corrected."))
    due = old["invoice_due_at"]
    if old["invoice_number"] and due is not None and due > now_utc():
        raise FilingError(
            "turnover",
            tk._("A payment of this return is in progress; try again once it has closed."),
        )
    city = tk.current_city()
    month = Month(old["year"], old["month"])
    assessment = _assess(business, month, turnover, local_date(old["filed_at"], city.tz))
    fine = old["late_filing_fine"]
    status = ReturnStatus.NIL.value if assessment.tax_due + fine == 0 else ReturnStatus.UNPAID.value
    async with write_transaction(TaxReturn):
        await TaxReturn.update(
            {TaxReturn.replaced_by: -1, TaxReturn.status: ReturnStatus.REPLACED.value}
        ).where((TaxReturn.id == old["id"]) & TaxReturn.replaced_by.is_null())
        row = TaxReturn(
            business=business["id"],
            year=month.year,
            month=month.month,
            turnover=turnover,
            rate_ppm=assessment.rate_ppm,
            tax_due=assessment.tax_due,
            regulation=assessment.regulation[:200],
            filing_deadline=old["filing_deadline"],
            payment_deadline=old["payment_deadline"],
            late_filing=old["late_filing"],
            late_filing_fine=fine,
            status=status,
            replaces=old["id"],
            correction_reason=reason,
            filed_by=user_id,
            filed_at=now_utc(),
        )
        await row.save()
        await TaxReturn.update({TaxReturn.replaced_by: row.id}).where(TaxReturn.id == old["id"])
        await tk.audit_record(
            "pajak.pbjt_return_corrected",
            actor_id=user_id,
            request=request,
            subject=f"pbjt_return:{old['id']}",
            detail={
                "business": business["id"],
                "month": str(month),
                "old_turnover": old["turnover"],
                "new_turnover": turnover,
                "new_return": row.id,
                "reason": reason,
            },
        )
    return (await TaxReturn.select().where(TaxReturn.id == row.id).first()) or {}


def owed_on(tax_return: dict, on: date) -> rules.Owed:
    """What an unpaid return costs on ``on``, itemised."""
    return rules.amount_owed(
        settings_of(tk.current_city()),
        Month(tax_return["year"], tax_return["month"]),
        tax_return["tax_due"],
        tax_return["late_filing_fine"],
        tax_return["payment_deadline"],
        on,
    )


def invoice_due_at(now: datetime, tz, *, changes_tomorrow: bool) -> datetime:
    """When an invoice for today's amount closes: in a day, or at the end of today.

    A new penalty month may start tomorrow; the invoice then closes at the
    end of today (city time), so that it never asks for less than is owed.
    """
    in_a_day = now + timedelta(hours=INVOICE_HOURS)
    if not changes_tomorrow:
        return in_a_day
    local = now.astimezone(tz)
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=tz)
    return min(in_a_day, midnight.astimezone(UTC))


@dataclass(frozen=True)
class PaymentLink:
    """Where to send the payer: the invoice number to open."""

    invoice_number: str


def invoice_items(business_name: str, month: Month, owed: rules.Owed) -> list[tk.InvoiceItem]:
    """The invoice lines of a return: principal, late-filing fine, late-payment penalty."""
    label = tk._("PBJT %(month)s, %(business)s", month=str(month), business=business_name)
    items = [tk.InvoiceItem(label[:200], owed.principal)] if owed.principal else []
    if owed.fine:
        items.append(tk.InvoiceItem(tk._("Late filing fine"), owed.fine))
    if owed.penalty:
        items.append(
            tk.InvoiceItem(
                tk._("Late payment penalty, %(months)s month(s)", months=owed.months_late),
                owed.penalty,
            )
        )
    return items


async def start_payment(business: dict, tax_return: dict, user) -> PaymentLink:
    """An invoice for the amount owed today, reusing a still-open one (idempotent).

    Raises:
        FilingError: the return has nothing to pay or is not current.
    """
    if tax_return["status"] != ReturnStatus.UNPAID.value or tax_return["replaced_by"]:
        raise FilingError("form", tk._("This return has nothing left to pay."))
    now = now_utc()
    due = tax_return["invoice_due_at"]
    if tax_return["invoice_number"] and due is not None and due > now:
        return PaymentLink(tax_return["invoice_number"])
    city = tk.current_city()
    month = Month(tax_return["year"], tax_return["month"])
    owed = owed_on(tax_return, local_today(city.tz))
    items = invoice_items(business["name"], month, owed)
    today = local_today(city.tz)
    tomorrow = owed_on(tax_return, today + timedelta(days=1))
    due_at = invoice_due_at(now, city.tz, changes_tomorrow=tomorrow.total != owed.total)
    invoice = await tk.create_invoice(
        payer_id=user.id,
        payer_name=business["name"],
        items=items,
        due_at=due_at,
        source=SOURCE,
        source_ref=f"{PREFIX}{tax_return['id']}",
    )
    await TaxReturn.update(
        {TaxReturn.invoice_number: invoice.number, TaxReturn.invoice_due_at: due_at}
    ).where(TaxReturn.id == tax_return["id"])
    return PaymentLink(invoice.number)


async def settled(city: tk.City, invoice: tk.Invoice) -> None:
    """Mark the return an invoice paid (inside the settlement's transaction)."""
    return_id = int(invoice.source_ref[len(PREFIX) :])
    row = await TaxReturn.select().where(TaxReturn.id == return_id).first()
    if row is None:
        return
    penalty = max(0, invoice.amount - row["tax_due"] - row["late_filing_fine"])
    paid_at = invoice.paid_at or now_utc()
    await TaxReturn.update(
        {
            TaxReturn.status: ReturnStatus.PAID.value
            if not row["replaced_by"]
            else ReturnStatus.REPLACED.value,
            TaxReturn.paid_at: paid_at,
            TaxReturn.paid_amount: invoice.amount,
            TaxReturn.paid_penalty: penalty,
            TaxReturn.paid_channel: invoice.provider_key[:20],
        }
    ).where(TaxReturn.id == return_id)


async def expired(city: tk.City, invoice: tk.Invoice) -> None:
    """Forget an expired invoice so that the next payment makes a new one."""
    return_id = int(invoice.source_ref[len(PREFIX) :])
    await TaxReturn.update({TaxReturn.invoice_number: "", TaxReturn.invoice_due_at: None}).where(
        (TaxReturn.id == return_id) & (TaxReturn.invoice_number == invoice.number)
    )


async def refunded(city: tk.City, invoice: tk.Invoice) -> None:
    """The money of a paid return went back: the return is unpaid again."""
    return_id = int(invoice.source_ref[len(PREFIX) :])
    await TaxReturn.update(
        {
            TaxReturn.status: ReturnStatus.UNPAID.value,
            TaxReturn.paid_at: None,
            TaxReturn.paid_amount: 0,
            TaxReturn.paid_penalty: 0,
            TaxReturn.paid_channel: "",
            TaxReturn.invoice_number: "",
            TaxReturn.invoice_due_at: None,
        }
    ).where(
        (TaxReturn.id == return_id)
        & (TaxReturn.status == ReturnStatus.PAID.value)
        & (TaxReturn.invoice_number == invoice.number)
    )


async def non_filers(month: Month) -> list[dict]:
    """Active businesses operating in ``month`` with no return filed for it."""
    filed = await TaxReturn.select(TaxReturn.business).where(
        (TaxReturn.year == month.year) & (TaxReturn.month == month.month)
    )
    done = {r["business"] for r in filed}
    businesses = await (
        Business.select()
        .where((Business.is_active == True) & (Business.started_on <= month.last_day))  # noqa: E712
        .order_by(Business.name)
    )
    return [b for b in businesses if b["id"] not in done]


def is_payment_late(tax_return: dict, today: date) -> bool:
    """Whether an unpaid return is past its payment deadline (paid ones: paid late)."""
    if tax_return["status"] == ReturnStatus.PAID.value and tax_return["paid_at"] is not None:
        return (
            local_date(tax_return["paid_at"], tk.current_city().tz) > tax_return["payment_deadline"]
        )
    return (
        tax_return["status"] == ReturnStatus.UNPAID.value and today > tax_return["payment_deadline"]
    )


async def forget_user(user_id: int) -> None:
    """A deleted account: unlink its businesses and drop it from returns it filed.

    The returns themselves stay (tax records the law keeps), without the link.
    """
    await Business.update({Business.owner_id: None}).where(Business.owner_id == user_id)
    await TaxReturn.update({TaxReturn.filed_by: None}).where(TaxReturn.filed_by == user_id)
