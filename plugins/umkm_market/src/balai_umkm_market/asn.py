"""Civil servants (ASN) mark their account with their NIP and department (``/asn``).

Their purchases count toward the city's "Beli produk lokal" programme:
checkout copies :func:`asn_profile_of` into the order (``buyer_is_asn``,
``buyer_department``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.response import Redirect
from piccolo.query.functions.aggregate import Count, Sum

from balai_umkm_market.identifiers import check_nip
from balai_umkm_market.settings import settings_of
from balai_umkm_market.tables import AsnProfile, Order, OrderStatus

MAX_DEPARTMENT = 120


async def asn_profile_of(user_id: int | None) -> dict[str, Any] | None:
    """The ASN mark of ``user_id`` in the current city: ``{"nip", "department"}``, or ``None``."""
    if user_id is None:
        return None
    return (
        await AsnProfile.select(AsnProfile.nip, AsnProfile.department)
        .where(AsnProfile.user_id == user_id)
        .first()
    )


class NipField(tk.Field):
    """A civil servant's number (NIP): 18 digits with a structure (see ``check_nip``)."""

    inputmode = "numeric"
    max_input = 40

    def parse(self, text: str) -> str:
        """The 18 digits."""
        return check_nip(text)

    def too_long(self) -> tk.FieldError:
        """Far too long for a NIP."""
        return tk.FieldError(tk._("The NIP has exactly 18 digits."))


class DepartmentField(tk.Field):
    """The department (OPD): one of the city's list when it keeps one, else free text."""

    max_input = MAX_DEPARTMENT

    def raw(self, data: Any) -> str:
        """The name with runs of spaces made one."""
        return " ".join(super().raw(data).split())

    def _allowed(self) -> list[str]:
        return list(settings_of(tk.current_city()).asn_departments)

    def parse(self, text: str) -> str:
        """A department of the city's list, or any name when the city keeps none."""
        if self._allowed() and text not in self._allowed():
            raise tk.FieldError(tk._("Choose your department."))
        return text

    def too_long(self) -> tk.FieldError:
        """Longer than any department's name."""
        if self._allowed():
            return tk.FieldError(tk._("Choose your department."))
        return tk.FieldError(tk._("The department is at most %(n)s characters.", n=MAX_DEPARTMENT))

    def missing_message(self) -> str:
        """Choose (from the list) or enter (free text) the department."""
        if self._allowed():
            return tk._("Choose your department.")
        return tk._("Enter your department (OPD).")


class AsnForm(tk.Form):
    """The NIP and department that mark an account as ASN."""

    nip = NipField(tk.N_("NIP"), missing=tk.N_("Enter your NIP."))
    department = DepartmentField(tk.N_("Department (OPD)"))


async def programme_purchases(user_id: int) -> dict[str, int]:
    """The user's completed purchases counted for "Beli produk lokal": ``orders`` and ``amount``."""
    row = await (
        Order.select(Count(alias="orders"), Sum(Order.subtotal, alias="amount"))
        .where(
            (Order.buyer_id == user_id)
            & Order.buyer_is_asn.eq(True)
            & (Order.status == OrderStatus.COMPLETED.value)
        )
        .first()
    )
    return {
        "orders": int((row or {}).get("orders") or 0),
        "amount": int((row or {}).get("amount") or 0),
    }


def masked_nip(nip: str) -> str:
    """The NIP with all but its first and last four digits hidden, for showing it back."""
    return f"{nip[:4]}••••••••••{nip[-4:]}" if len(nip) == 18 else ""


async def _page(
    request: Request,
    user: Any,
    profile: dict[str, Any] | None,
    values: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    return await tk.render(
        request,
        "umkm_market/asn.html",
        {
            "profile": profile,
            "masked_nip": masked_nip(profile["nip"]) if profile else "",
            "purchases": await programme_purchases(user.id),
            "values": values,
            "errors": errors,
            "departments": [(d, d) for d in settings_of(tk.current_city()).asn_departments],
        },
        status_code=status_code,
    )


@get("/asn", guards=[tk.require_login], name="umkm_market:asn")
async def asn_page(request: Request) -> Response:
    """The visitor's ASN mark, and the form to set or change it."""
    user = await tk.current_user(request)
    profile = await asn_profile_of(user.id)
    values = {"department": profile["department"]} if profile else {}
    return await _page(request, user, profile, values, {})


@post("/asn", guards=[tk.require_login], name="umkm_market:asn-save")
async def asn_save(request: Request) -> Response:
    """Mark the account as ASN (or change the NIP/department); bad input re-shows the form."""
    user = await tk.current_user(request)
    form = AsnForm(await request.form())
    values, errors, clean = form.values, form.errors, form.clean
    if await form.validate():
        taken = await AsnProfile.exists().where(
            (AsnProfile.nip == clean["nip"]) & (AsnProfile.user_id != user.id)
        )
        if taken:
            form.add_error("nip", tk._("This NIP is already used by another account."))
    profile = await asn_profile_of(user.id)
    if errors:
        return await _page(request, user, profile, values, errors, status_code=400)
    if profile:
        await AsnProfile.update(
            {AsnProfile.nip: clean["nip"], AsnProfile.department: clean["department"]}
        ).where(AsnProfile.user_id == user.id)
    else:
        await AsnProfile.insert(
            AsnProfile(
                user_id=user.id,
                nip=clean["nip"],
                department=clean["department"],
                created_at=datetime.now(UTC),
            )
        )
    tk.flash(request, tk._("Your account is marked as ASN."), "success")
    return Redirect(tk.city_url(request, "/umkm-market/asn"), status_code=303)


@post("/asn/hapus", guards=[tk.require_login], name="umkm_market:asn-remove")
async def asn_remove(request: Request) -> Response:
    """Remove the ASN mark from the account (past orders keep what they recorded)."""
    user = await tk.current_user(request)
    await AsnProfile.delete().where(AsnProfile.user_id == user.id)
    tk.flash(request, tk._("Your account is no longer marked as ASN."), "success")
    return Redirect(tk.city_url(request, "/umkm-market/asn"), status_code=303)


PAGES = [asn_page, asn_save, asn_remove]
