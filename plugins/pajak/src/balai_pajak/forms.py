"""The PBJT and market forms, declared on the toolkit's ``tk.Form`` (no hand-written parsing).

Each form's fields say their limits and the plugin's own wording of a
refusal; the routes add only what needs the database (a name already taken,
a code that matches nothing).
"""

from __future__ import annotations

from typing import Any

from balai import toolkit as tk

from balai_pajak.months import Month, MonthError
from balai_pajak.pbjt.rules import KINDS

# A refusal of a text longer than its field allows (the form never cuts what it saves).
TOO_LONG = tk.N_("Use at most %(n)s characters.")
# Whole rupiah with no upper limit worth naming (a turnover, a fee before its own check).
MAX_AMOUNT = 10**15 - 1
MAX_STALL_FEE = 100_000_000
MAX_BUSINESS_NAME = 200


class MonthField(tk.Field):
    """A calendar month typed ``2026-03`` (what a month input sends); the value is a ``Month``."""

    input_type = "month"
    max_input = 7

    def parse(self, text: str) -> Month:
        """The month, or a refusal."""
        try:
            return Month.parse(text)
        except MonthError:
            raise tk.FieldError(tk._("Enter the month as YYYY-MM.")) from None

    def show(self, value: Any) -> str:
        """A ``Month`` as ``2026-03``."""
        return str(value) if value is not None else ""


_AMOUNT = tk.RupiahField("Amount", max_value=MAX_AMOUNT)
_MONTH = MonthField("Month")


def rupiah(typed: str) -> int | None:
    """Whole rupiah typed as ``1500000``, ``1.500.000`` or ``Rp1.500.000``; ``None`` otherwise."""
    try:
        return _AMOUNT.check(typed.strip())
    except tk.FieldError:
        return None


def month(typed: str) -> Month | None:
    """A month typed as ``2026-03`` (the month input's format); ``None`` otherwise."""
    try:
        return _MONTH.check(typed.strip())
    except tk.FieldError:
        return None


def month_label(value: Month) -> str:
    """The month as people read it (``Maret 2026``)."""
    names = (
        tk._("January"),
        tk._("February"),
        tk._("March"),
        tk._("April"),
        tk._("May"),
        tk._("June"),
        tk._("July"),
        tk._("August"),
        tk._("September"),
        tk._("October"),
        tk._("November"),
        tk._("December"),
    )
    return f"{names[value.month - 1]} {value.year}"


# --- e-Retribusi -----------------------------------------------------------------

STALL_CODE_UNKNOWN = tk.N_("This link code does not match a stall waiting to be linked.")


class StallLinkForm(tk.Form):
    """A holder links a stall with the code the market office gave."""

    code = tk.TextField(
        "Link code", max_length=20, missing=STALL_CODE_UNKNOWN, invalid=STALL_CODE_UNKNOWN
    )


class StallFilterForm(tk.Form):
    """The collector narrows a market's unpaid bills to one stall number (``?kios=``)."""

    kios = tk.TextField("Stall number", max_length=20, required=False, invalid=TOO_LONG)


class MarketForm(tk.Form):
    """An officer adds a market."""

    name = tk.TextField(
        "Market name", max_length=120, missing=tk.N_("Enter the market's name."), invalid=TOO_LONG
    )
    district = tk.TextField(
        "District (kecamatan)",
        max_length=60,
        missing=tk.N_("Enter the district (kecamatan)."),
        invalid=TOO_LONG,
    )
    address = tk.TextField("Address", max_length=200, required=False, invalid=TOO_LONG)


_STALL_SIZE = tk.N_("Enter the size in whole square metres (1 to 1000).")
_STALL_FEE = tk.N_("Enter the monthly fee in whole rupiah, more than 0.")


class StallForm(tk.Form):
    """An officer adds a stall: number, floor area, holder and monthly fee."""

    number = tk.TextField(
        "Stall number", max_length=20, missing=tk.N_("Enter the stall number."), invalid=TOO_LONG
    )
    size_m2 = tk.IntegerField(
        "Size (m²)", min_value=1, max_value=1000, missing=_STALL_SIZE, invalid=_STALL_SIZE
    )
    holder_name = tk.TextField(
        "Holder's name",
        max_length=120,
        missing=tk.N_("Enter the holder's name."),
        invalid=TOO_LONG,
    )
    monthly_fee = tk.RupiahField(
        "Monthly fee (Rp)",
        min_value=1,
        max_value=MAX_STALL_FEE,
        missing=_STALL_FEE,
        invalid=_STALL_FEE,
    )


# --- PBJT ------------------------------------------------------------------------

BUSINESS_UNKNOWN = tk.N_("This NPWPD and link code do not match a business waiting to be linked.")
_TURNOVER = tk.N_("Enter the turnover as a whole number of rupiah, 0 or more.")
OWNER_UNKNOWN = tk.N_("No account of this city logs in with that email address or phone number.")


class BusinessLinkForm(tk.Form):
    """A citizen links a business with its NPWPD and the code the tax office gave."""

    npwpd = tk.TextField(
        "NPWPD",
        max_length=30,
        missing=tk.N_("Enter the business's NPWPD."),
        invalid=BUSINESS_UNKNOWN,
    )
    code = tk.TextField(
        "Link code",
        max_length=20,
        missing=tk.N_("Enter the link code you received from the tax office."),
        invalid=BUSINESS_UNKNOWN,
    )


class ReturnForm(tk.Form):
    """A return: the ended month it is for and the month's turnover."""

    month = MonthField(
        "Month",
        missing=tk.N_("Choose the month the return is for."),
        invalid=tk.N_("Choose the month the return is for."),
    )
    turnover = tk.RupiahField(
        "Turnover (Rp)", max_value=MAX_AMOUNT, missing=_TURNOVER, invalid=_TURNOVER
    )


_CORRECTION_REASON = tk.N_("Give the reason for the correction (at most 500 characters).")


class CorrectionForm(tk.Form):
    """A corrected turnover and why (the service checks the reason again as it files)."""

    turnover = tk.RupiahField(
        "Turnover (Rp)", max_value=MAX_AMOUNT, missing=_TURNOVER, invalid=_TURNOVER
    )
    reason = tk.TextField(
        "Reason", max_length=500, missing=_CORRECTION_REASON, invalid=_CORRECTION_REASON
    )


_STARTED = tk.N_("Enter the month the business started, as YYYY-MM.")


class BusinessForm(tk.Form):
    """An officer registers a business for PBJT."""

    name = tk.TextField(
        "Business name",
        max_length=MAX_BUSINESS_NAME,
        missing=tk.N_("Enter the business's name."),
        invalid=TOO_LONG,
    )
    npwpd = tk.TextField(
        "NPWPD", max_length=30, missing=tk.N_("Enter the business's NPWPD."), invalid=TOO_LONG
    )
    kind = tk.ChoiceField(
        "Kind of business",
        choices=[(kind, kind) for kind in KINDS],
        translate=False,
        missing=tk.N_("Choose the kind of business."),
        invalid=tk.N_("Choose the kind of business."),
    )
    address = tk.TextField("Address", max_length=200, required=False, invalid=TOO_LONG)
    district = tk.TextField(
        "District (kecamatan)",
        max_length=60,
        missing=tk.N_("Enter the district (kecamatan)."),
        invalid=TOO_LONG,
    )
    started_on = MonthField("Started", missing=_STARTED, invalid=_STARTED)


class OwnerLoginForm(tk.Form):
    """An officer finds a business owner's account by the login they use."""

    login = tk.TextField(
        "Email address or phone number",
        max_length=254,
        missing=tk.N_("Enter the email address or phone number the owner logs in with."),
        invalid=OWNER_UNKNOWN,
    )
