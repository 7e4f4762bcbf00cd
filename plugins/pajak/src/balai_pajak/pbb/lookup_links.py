"""Linking a NOP to the citizen's account, and unlinking it.

A link lets its holder see the object's bills itemised and pay them, so it
must be proven with what the SPPT (the yearly bill sent to the taxpayer)
prints and the public lookup does not show:

* the **taxpayer's name** as printed on the latest SPPT (compared without
  regard to case, spaces and punctuation: ``H. Moch. Subagio`` matches
  ``H MOCH SUBAGIO``), and
* the **NJOP used for the tax** ("NJOP sebagai dasar pengenaan PBB") printed
  on the same SPPT, to the rupiah.

Neither is on the public page, which shows only location, areas and the
amounts any payment channel shows for a NOP. Failures are counted: at most
:data:`MAX_FAILURES_PER_USER` per account in :data:`USER_WINDOW` and
:data:`MAX_FAILURES_PER_NOP` per NOP (from any account) in
:data:`NOP_WINDOW`; past that the form answers 429 until the window passes.
Every attempt, link and unlink is in the audit log. Several accounts may
link the same NOP (co-owners, family), each with its own proof.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from balai_pajak.tables import LinkAttempt, NopLink, Sppt, SpptStatus, TaxObject

log = logging.getLogger("balai_pajak")

MAX_FAILURES_PER_USER = 5
USER_WINDOW = timedelta(hours=1)
MAX_FAILURES_PER_NOP = 10
NOP_WINDOW = timedelta(hours=24)
MAX_NAME = 200
MAX_AMOUNT_TEXT = 40

_NAME_NOISE = re.compile(r"[^0-9A-Z]+")
_AMOUNT_DECIMALS = re.compile(r"[.,]0{1,2}$")
_AMOUNT_SEPARATORS = re.compile(r"[\s.,]")


def same_name(typed: str, printed: str) -> bool:
    """Whether ``typed`` is the printed name, ignoring case, spaces and punctuation."""
    a = _NAME_NOISE.sub("", typed.upper())
    b = _NAME_NOISE.sub("", printed.upper())
    return bool(a) and a == b


def parse_amount(raw: str) -> int | None:
    """Whole rupiah typed as ``Rp150.000.000``, ``150,000,000`` or ``150000000,00``.

    Returns ``None`` when it is not an amount.
    """
    text = raw.strip()
    if text[:2].lower() == "rp":
        text = text[2:]
    text = _AMOUNT_DECIMALS.sub("", text.strip())
    digits = _AMOUNT_SEPARATORS.sub("", text)
    if not digits or not (digits.isascii() and digits.isdigit()) or len(digits) > 15:
        return None
    return int(digits)


def is_unique_violation(exc: BaseException) -> bool:
    """Whether ``exc`` is a unique-index violation on SQLite or PostgreSQL."""
    if isinstance(exc, sqlite3.IntegrityError):
        return "UNIQUE" in str(exc).upper()
    return type(exc).__name__ == "UniqueViolationError"


async def recent_failures(user_id: int, digits: str, now: datetime) -> tuple[int, int]:
    """Failed attempts of this account in its window, and on this NOP in its window."""
    by_user = await LinkAttempt.count().where(
        (LinkAttempt.user_id == user_id)
        & (LinkAttempt.succeeded == False)  # noqa: E712 (a column comparison)
        & (LinkAttempt.created_at > now - USER_WINDOW)
    )
    by_nop = await LinkAttempt.count().where(
        (LinkAttempt.nop == digits)
        & (LinkAttempt.succeeded == False)  # noqa: E712
        & (LinkAttempt.created_at > now - NOP_WINDOW)
    )
    return by_user, by_nop


async def latest_bill(digits: str) -> dict[str, Any] | None:
    """The newest SPPT of the NOP that is not cancelled: what the proof is checked against."""
    return await (
        Sppt.select(Sppt.year, Sppt.taxpayer_name, Sppt.njop_total)
        .where((Sppt.nop == digits) & (Sppt.status != SpptStatus.CANCELLED.value))
        .order_by(Sppt.year, ascending=False)
        .first()
    )


async def _render_form(
    request: Request,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
    year: int | None = None,
) -> Response:
    """The link form; ``year``: the SPPT to copy from, when the NOP is known."""
    return await tk.render(
        request,
        "pajak/link.html",
        {"values": values, "errors": errors, "year": year},
        status_code=status,
    )


@get("/tautkan", guards=[tk.require_login], name="pajak:link-form")
async def link_form(request: Request, nop: FromQuery[str] = "") -> Response:
    """The form linking a NOP to the account (the NOP may come from the lookup).

    With a NOP of the city, the form says which year's SPPT to copy from
    (the years are public on the lookup anyway).
    """
    year = None
    try:
        digits = tk.read_nop(nop, tk.current_city())
    except ValueError:
        digits = ""
    if digits:
        bill = await latest_bill(digits)
        year = bill["year"] if bill else None
    return await _render_form(request, {"nop": nop[:40], "name": "", "njop": ""}, {}, year=year)


def _njop_message() -> str:
    return tk._(
        "Enter the NJOP used for the tax as printed on the SPPT, in rupiah, "
        "for example 150.000.000."
    )


class SpptAmountField(tk.Field):
    """An amount copied from an SPPT: dots or commas between thousands, ``,00`` allowed."""

    inputmode = "numeric"
    max_input = MAX_AMOUNT_TEXT

    def parse(self, text: str) -> int:
        """Whole rupiah (see :func:`parse_amount`)."""
        amount = parse_amount(text)
        if amount is None:
            raise tk.FieldError(_njop_message())
        return amount


class LinkForm(tk.Form):
    """The proof that links a NOP: its number, and the name and NJOP printed on its SPPT."""

    nop = tk.NopField(
        "NOP", missing=tk.N_("Enter the tax object number (NOP) printed on your SPPT.")
    )
    name = tk.TextField(
        "Taxpayer's name",
        max_length=MAX_NAME,
        missing=tk.N_("Enter the taxpayer's name exactly as printed on the SPPT."),
    )
    njop = SpptAmountField(tk.N_("NJOP"), missing=_njop_message, invalid=_njop_message)


async def _record_attempt(
    request: Request, user_id: int, digits: str, succeeded: bool, now: datetime
) -> None:
    await LinkAttempt.insert(
        LinkAttempt(user_id=user_id, nop=digits, succeeded=succeeded, created_at=now)
    )
    if not succeeded:
        await tk.audit_record(
            "pajak.nop_link_failed", actor_id=user_id, request=request, subject=f"nop:{digits}"
        )


@post("/tautkan", guards=[tk.require_login], name="pajak:link")
async def link(request: Request) -> Response:
    """Link a NOP once the name and NJOP printed on its latest SPPT are proven."""
    city = tk.current_city()
    user = await tk.current_user(request)
    assert user is not None
    form = LinkForm(await request.form())
    values, errors = form.values, form.errors
    if not await form.validate():
        return await _render_form(request, values, errors, 400)
    digits, njop = form.clean["nop"], form.clean["njop"]
    values["nop"] = tk.format_nop(digits)
    already = await NopLink.exists().where((NopLink.user_id == user.id) & (NopLink.nop == digits))
    if already:
        errors["nop"] = tk._("This NOP is already linked to your account.")
        return await _render_form(request, values, errors, 400)
    now = datetime.now(UTC)
    by_user, by_nop = await recent_failures(user.id, digits, now)
    if by_user >= MAX_FAILURES_PER_USER or by_nop >= MAX_FAILURES_PER_NOP:
        log.warning("NOP link throttled for user %s on %s", user.id, digits)
        await tk.audit_record(
            "pajak.nop_link_throttled", actor_id=user.id, request=request, subject=f"nop:{digits}"
        )
        errors["form"] = tk._(
            "Too many attempts that did not match. For your protection, linking is "
            "paused; try again later or ask Bapenda's counter."
        )
        return await _render_form(request, values, errors, 429)
    tax_object = await TaxObject.select(TaxObject.id).where(TaxObject.nop == digits).first()
    bill = await latest_bill(digits) if tax_object else None
    if tax_object is None or bill is None:
        errors["nop"] = tk._(
            "No SPPT has been issued in %(city)s for this NOP. Check the number on your SPPT.",
            city=city.name,
        )
        return await _render_form(request, values, errors, 400)
    if not (same_name(values["name"], bill["taxpayer_name"]) and njop == bill["njop_total"]):
        await _record_attempt(request, user.id, digits, False, now)
        errors["form"] = tk._(
            "The name and the NJOP do not match the SPPT of %(year)s for this NOP. Copy them "
            "exactly as printed on that SPPT.",
            year=bill["year"],
        )
        return await _render_form(request, values, errors, 400, year=bill["year"])
    try:
        await NopLink.insert(
            NopLink(user_id=user.id, tax_object=tax_object["id"], nop=digits, created_at=now)
        )
    except Exception as exc:
        if not is_unique_violation(exc):
            raise
        errors["nop"] = tk._("This NOP is already linked to your account.")
        return await _render_form(request, values, errors, 400)
    await _record_attempt(request, user.id, digits, True, now)
    await tk.audit_record(
        "pajak.nop_linked", actor_id=user.id, request=request, subject=f"nop:{digits}"
    )
    tk.flash(
        request,
        tk._("NOP %(nop)s is linked to your account.", nop=tk.format_nop(digits)),
        "success",
    )
    return Redirect(tk.city_url(request, "/pajak/tagihan"), status_code=303)


@post("/tautkan/{nop:str}/hapus", guards=[tk.require_login], name="pajak:unlink")
async def unlink(request: Request, nop: FromPath[str]) -> Response:
    """Remove one of the account's NOP links (the bills stay as they are)."""
    user = await tk.current_user(request)
    assert user is not None
    try:
        digits = tk.parse_nop(nop)
    except ValueError as exc:
        raise NotFoundException() from exc
    removed = await (
        NopLink.delete()
        .where((NopLink.user_id == user.id) & (NopLink.nop == digits))
        .returning(NopLink.id)
    )
    if not removed:
        raise NotFoundException()
    await tk.audit_record(
        "pajak.nop_unlinked", actor_id=user.id, request=request, subject=f"nop:{digits}"
    )
    tk.flash(
        request,
        tk._("NOP %(nop)s is no longer linked to your account.", nop=tk.format_nop(digits)),
        "success",
    )
    return Redirect(tk.city_url(request, "/pajak/tagihan"), status_code=303)


async def linked_nops(user_id: int) -> list[dict]:
    """The NOPs linked to account ``user_id``, oldest first (the citizen's copy of their data)."""
    return await (
        NopLink.select(NopLink.nop, NopLink.created_at)
        .where(NopLink.user_id == user_id)
        .order_by(NopLink.created_at)
    )


async def forget_user(user_id: int) -> None:
    """A deleted account's NOP links and link attempts go; the bills and payments stay."""
    await NopLink.delete().where(NopLink.user_id == user_id)
    await LinkAttempt.delete().where(LinkAttempt.user_id == user_id)


PAGES = [link_form, link, unlink]
