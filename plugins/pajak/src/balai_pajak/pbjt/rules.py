"""PBJT rules as pure functions: the rule of a month, the tax, deadlines, sanctions.

No database here: everything takes the city's :class:`PbjtSettings` and dates,
so each rule is unit-tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from balai_pajak.months import Month, months_late
from balai_pajak.pbjt.settings import PbjtRule, PbjtSettings

KINDS = ("restaurant", "hotel", "parking", "entertainment")
MAX_TURNOVER = 1_000_000_000_000  # Rp1 trillion a month: beyond any business, inside 64 bits


class NoRuleError(LookupError):
    """The city has no PBJT rule in force for that month, or does not tax that kind."""


def rule_for(settings: PbjtSettings, month: Month) -> PbjtRule:
    """The rule in force on the first day of ``month`` (the latest one started by then)."""
    started = [r for r in settings.rules if r.effective_from <= month.first_day]
    if not started:
        raise NoRuleError(f"no PBJT rule in force in {month}")
    return max(started, key=lambda r: r.effective_from)


def rate_ppm(rule: PbjtRule, kind: str) -> int:
    """The rate of ``kind`` under ``rule``; :class:`NoRuleError` when not taxed."""
    if kind not in KINDS:
        raise NoRuleError(f"unknown kind {kind!r}")
    rate = getattr(rule, f"{kind}_ppm")
    if rate <= 0:
        raise NoRuleError(f"{kind} is not taxed under {rule.regulation}")
    return rate


def tax_on(turnover: int, rate: int) -> int:
    """The tax on ``turnover`` at ``rate`` ppm, in whole rupiah, rounded half up."""
    return (turnover * rate + 500_000) // 1_000_000


def filing_deadline(rule: PbjtRule, month: Month) -> date:
    """The last day to file the return of ``month``."""
    return month.next().day(rule.filing_day)


def payment_deadline(rule: PbjtRule, month: Month) -> date:
    """The last day to pay the tax of ``month``."""
    return month.next().day(rule.payment_day)


@dataclass(frozen=True)
class Assessment:
    """A month's return as the rules make it, before it is stored."""

    rate_ppm: int
    tax_due: int
    filing_deadline: date
    payment_deadline: date
    late_filing: bool
    late_filing_fine: int
    regulation: str


def assess(
    settings: PbjtSettings, kind: str, month: Month, turnover: int, filed_on: date
) -> Assessment:
    """Compute a return of ``month`` with ``turnover`` filed on ``filed_on``.

    Raises:
        NoRuleError: no rule in force for that month or kind.
        ValueError: a negative or absurd turnover.
    """
    if turnover < 0 or turnover > MAX_TURNOVER:
        raise ValueError("turnover out of range")
    rule = rule_for(settings, month)
    rate = rate_ppm(rule, kind)
    deadline = filing_deadline(rule, month)
    late = filed_on > deadline
    return Assessment(
        rate_ppm=rate,
        tax_due=tax_on(turnover, rate),
        filing_deadline=deadline,
        payment_deadline=payment_deadline(rule, month),
        late_filing=late,
        late_filing_fine=rule.late_filing_fine if late else 0,
        regulation=rule.regulation,
    )


@dataclass(frozen=True)
class Owed:
    """What a return costs on a given day, itemised."""

    principal: int
    fine: int
    months_late: int
    penalty_ppm_per_month: int
    penalty: int

    @property
    def total(self) -> int:
        """Principal, late-filing fine and late-payment penalty together."""
        return self.principal + self.fine + self.penalty


def amount_owed(
    settings: PbjtSettings, month: Month, tax_due: int, fine: int, deadline: date, on: date
) -> Owed:
    """The amount owed on ``on`` for a return of ``month``.

    The late-payment penalty is the rule's rate per started month after
    ``deadline``, at most its maximum number of months, on the principal.
    """
    rule = rule_for(settings, month)
    late = min(months_late(deadline, on), rule.late_payment_max_months)
    rate = rule.late_payment_ppm_per_month
    penalty = (tax_due * rate * late + 500_000) // 1_000_000
    return Owed(tax_due, fine, late, rate, penalty)
