"""Diskopindag's pages: merchant search, the verification queue, one merchant and the decision.

Verifying, rejecting (with a reason), suspending (with a reason) and
reinstating are audited and the applicant is notified, in one transaction.
A first verification also issues the merchant's verification letter (an
official document for the head of the department to sign).
Opening a merchant's page shows the owner's contact details and is audited
as a view of their personal data.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from balai_umkm_market.labels import (
    STATUS_TONES,
    merchant_categories,
    merchant_statuses,
    options,
)
from balai_umkm_market.merchants.letter import issue_letter
from balai_umkm_market.settings import MANAGE, settings_of
from balai_umkm_market.tables import Merchant, MerchantStatus, Product

PAGE_SIZE = 50
MIN_REASON = 10
MAX_REASON = 1000
GUARD = [tk.require_permission(MANAGE)]

# decision -> (statuses it may come from, new status, needs a reason, audit action, notification)
DECISIONS: dict[str, tuple[tuple[str, ...], str, bool, str, str]] = {
    "verify": (
        (MerchantStatus.PENDING.value, MerchantStatus.SUSPENDED.value),
        MerchantStatus.VERIFIED.value,
        False,
        "umkm_market.merchant_verified",
        "umkm_market.merchant_verified",
    ),
    "reject": (
        (MerchantStatus.PENDING.value,),
        MerchantStatus.REJECTED.value,
        True,
        "umkm_market.merchant_rejected",
        "umkm_market.merchant_rejected",
    ),
    "suspend": (
        (MerchantStatus.VERIFIED.value,),
        MerchantStatus.SUSPENDED.value,
        True,
        "umkm_market.merchant_suspended",
        "umkm_market.merchant_suspended",
    ),
}


@get("/", guards=GUARD, name="umkm_market:office")
async def merchant_search(
    request: Request,
    q: FromQuery[str] = "",
    status: FromQuery[str] = "",
    district: FromQuery[str] = "",
    category: FromQuery[str] = "",
) -> Response:
    """Every merchant of the city, newest first, searchable by name, owner, NIB or phone."""
    query = Merchant.select(
        Merchant.id,
        Merchant.name,
        Merchant.owner_name,
        Merchant.district,
        Merchant.category,
        Merchant.status,
        Merchant.created_at,
    )
    words = tk.keyword_filter(
        q[:100],
        [Merchant.name, Merchant.owner_name],
        exact=[Merchant.nib, Merchant.phone],
    )
    conditions = [] if words is None else [words]
    statuses = merchant_statuses()
    if status in statuses:
        conditions.append(Merchant.status == status)
    if district:
        conditions.append(Merchant.district == district[:60])
    if category in merchant_categories():
        conditions.append(Merchant.category == category)
    for condition in conditions:
        query = query.where(condition)
    filters = {"q": q[:100], "status": status, "district": district[:60], "category": category}
    found = await tk.paginate(
        request,
        query.order_by(Merchant.created_at, ascending=False).order_by(Merchant.id, ascending=False),
        per_page=PAGE_SIZE,
        keep=filters,
    )
    waiting = await Merchant.count().where(Merchant.status == MerchantStatus.PENDING.value)
    return await tk.render(
        request,
        "umkm_market/office_merchants.html",
        {
            "merchants": found.rows,
            "found": found,
            "filters": filters,
            "unverified": waiting,
            "categories": merchant_categories(),
            "category_options": options(merchant_categories()),
            "statuses": statuses,
            "status_options": options(statuses),
            "tones": STATUS_TONES,
            "districts": [(d, d) for d in settings_of(tk.current_city()).districts],
        },
    )


@get("/verifikasi", guards=GUARD, name="umkm_market:queue")
async def verification_queue(request: Request) -> Response:
    """Applications waiting for a decision, oldest first."""
    rows = (
        await Merchant.select(
            Merchant.id,
            Merchant.name,
            Merchant.owner_name,
            Merchant.district,
            Merchant.category,
            Merchant.created_at,
        )
        .where(Merchant.status == MerchantStatus.PENDING.value)
        .order_by(Merchant.created_at)
        .order_by(Merchant.id)
        .limit(PAGE_SIZE)
    )
    waiting = await Merchant.count().where(Merchant.status == MerchantStatus.PENDING.value)
    return await tk.render(
        request,
        "umkm_market/office_queue.html",
        {"merchants": rows, "waiting": waiting, "categories": merchant_categories()},
    )


async def _merchant_or_404(merchant_id: int) -> dict[str, Any]:
    row = await Merchant.select().where(Merchant.id == merchant_id).first()
    if row is None:
        raise NotFoundException()
    return row


async def _detail(
    request: Request,
    merchant: dict[str, Any],
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    products = await Product.count().where(Product.merchant == merchant["id"])
    allowed = [name for name, rule in DECISIONS.items() if merchant["status"] in rule[0]]
    return await tk.render(
        request,
        "umkm_market/office_merchant.html",
        {
            "merchant": merchant,
            "products": products,
            "decisions": allowed,
            "errors": errors or {},
            "values": values or {},
            "categories": merchant_categories(),
            "statuses": merchant_statuses(),
            "tones": STATUS_TONES,
        },
        status_code=status_code,
    )


@get("/toko/{merchant_id:int}", guards=GUARD, name="umkm_market:office-merchant")
async def merchant_detail(request: Request, merchant_id: FromPath[int]) -> Response:
    """One merchant with the owner's contacts (an audited view) and the decisions open to it."""
    merchant = await _merchant_or_404(merchant_id)
    user = await tk.current_user(request)
    await tk.audit_record(
        "umkm_market.merchant_viewed",
        actor_id=user.id,
        request=request,
        subject=f"merchant:{merchant['id']}",
        personal_data_of=merchant["owner_user_id"],
    )
    return await _detail(request, merchant)


class DecisionForm(tk.Form):
    """An officer's decision on a merchant and its reason (required by some decisions)."""

    decision = tk.TextField("Decision", max_length=20, required=False)
    reason = tk.TextField(
        "Reason",
        max_length=MAX_REASON,
        multiline=True,
        required=False,
        invalid=tk.N_("The reason is at most %(n)s characters."),
    )


@post("/toko/{merchant_id:int}/keputusan", guards=GUARD, name="umkm_market:office-decide")
async def decide(request: Request, merchant_id: FromPath[int]) -> Response:
    """Verify, reject, suspend or reinstate a merchant; audited, the owner notified."""
    merchant = await _merchant_or_404(merchant_id)
    form = DecisionForm(await request.form())
    values = form.values
    reason_valid = await form.validate()
    reason = form.clean.get("reason", "")
    rule = DECISIONS.get(values["decision"])
    if rule is None:
        return await _detail(
            request,
            merchant,
            errors={"decision": tk._("Choose a decision.")},
            values=values,
            status_code=400,
        )
    sources, target, needs_reason, action, kind = rule
    if merchant["status"] not in sources:
        return await _detail(
            request,
            merchant,
            errors={"decision": tk._("This decision does not apply to the merchant any more.")},
            values=values,
            status_code=409,
        )
    if needs_reason and reason_valid and len(reason) < MIN_REASON:
        message = tk._("Give the reason (at least %(n)s characters).", n=MIN_REASON)
        return await _detail(
            request, merchant, errors={"reason": message}, values=values, status_code=400
        )
    if not reason_valid:
        return await _detail(request, merchant, errors=form.errors, values=values, status_code=400)
    user = await tk.current_user(request)
    now = datetime.now(UTC)
    changes: dict[Any, Any] = {Merchant.status: target}
    if merchant["partner_feed_changed_at"] is not None:  # its products leave or rejoin the feed
        changes[Merchant.partner_feed_changed_at] = now
    if target == MerchantStatus.VERIFIED.value:
        changes.update({Merchant.verified_by: user.id, Merchant.verified_at: now})
        changes[Merchant.rejection_reason] = ""
    else:
        changes[Merchant.rejection_reason] = reason
    async with Merchant._meta.db.transaction():
        updated = await (
            Merchant.update(changes)
            .where((Merchant.id == merchant["id"]) & (Merchant.status == merchant["status"]))
            .returning(Merchant.id)
        )
        if updated:
            await tk.audit_record(
                action,
                actor_id=user.id,
                request=request,
                subject=f"merchant:{merchant['id']}",
                detail={"from": merchant["status"], "to": target, "reason": reason},
            )
            if merchant["owner_user_id"] is not None:
                await tk.notify(
                    merchant["owner_user_id"],
                    kind,
                    {"merchant_name": merchant["name"], "reason": reason},
                )
    if not updated:  # another officer decided at the same moment
        return await _detail(
            request,
            await _merchant_or_404(merchant_id),
            errors={"decision": tk._("This decision does not apply to the merchant any more.")},
            values=values,
            status_code=409,
        )
    messages = {
        "verify": tk._(
            "%(name)s is verified and now appears in the market.", name=merchant["name"]
        ),
        "reject": tk._("The application of %(name)s was rejected.", name=merchant["name"]),
        "suspend": tk._("%(name)s is suspended.", name=merchant["name"]),
    }
    if values["decision"] == "verify" and merchant["status"] == MerchantStatus.PENDING.value:
        await issue_letter(merchant, actor_id=user.id, request=request)
    tk.flash(request, messages[values["decision"]], "success")
    return Redirect(
        tk.city_url(request, f"/kelola/umkm-market/toko/{merchant['id']}"), status_code=303
    )


OFFICE = [merchant_search, verification_queue, merchant_detail, decide]
