"""The merchant's choice to publish to delivery partners (``/toko-saya/mitra``).

A verified merchant chooses whether the city's delivery partners may list
and sell its products (the partners' catalogue feed) and gives its opening
hours, which the feed shows. Each change is audited and moves the
merchant's products in the feed (listed, or tombstones when it stops).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.response import Redirect

from balai_umkm_market.merchants.application import verified_merchant
from balai_umkm_market.tables import Merchant

PATH = "/toko-saya/mitra"
MAX_HOURS = 200


PUBLISH, KEEP = "ya", "tidak"
_CHOOSE = tk.N_("Choose whether delivery partners may offer your products.")


class PartnerFeedForm(tk.Form):
    """Publish to partners or not (a choice that must be made), and the opening hours."""

    publish = tk.ChoiceField(
        "Delivery partners",
        choices=lambda: [(PUBLISH, PUBLISH), (KEEP, KEEP)],
        translate=False,
        missing=_CHOOSE,
        invalid=_CHOOSE,
    )
    opening_hours = tk.TextField(
        "Opening hours",
        max_length=MAX_HOURS,
        required=False,
        invalid=tk.N_("The opening hours are at most %(n)s characters."),
    )

    def check(self) -> None:
        """Publishing needs the opening hours (the delivery apps show them)."""
        if self.clean.get("publish") == PUBLISH and not self.clean.get("opening_hours"):
            self.add_error("opening_hours", tk._("Enter your opening hours to publish."))


async def _page(
    request: Request, merchant: dict[str, Any], form: PartnerFeedForm, status_code: int = 200
) -> Response:
    return await tk.render(
        request,
        "umkm_market/partner_feed.html",
        {
            "merchant": merchant,
            "values": form.values,
            "errors": form.errors,
            "PUBLISH": PUBLISH,
            "KEEP": KEEP,
        },
        status_code=status_code,
    )


@get(PATH, guards=[tk.require_login], name="umkm_market:partner-feed")
async def partner_feed_page(request: Request) -> Response:
    """The merchant's choice, as stored."""
    merchant = await verified_merchant(request)
    form = PartnerFeedForm(
        initial={
            "publish": PUBLISH if merchant["partner_feed"] else KEEP,
            "opening_hours": merchant["opening_hours"],
        }
    )
    return await _page(request, merchant, form)


@post(PATH, guards=[tk.require_login], name="umkm_market:partner-feed-save")
async def partner_feed_save(request: Request) -> Response:
    """Save the choice (audited); bad input re-shows the form (400), nothing changed."""
    merchant = await verified_merchant(request)
    form = PartnerFeedForm(await request.form())
    if not await form.validate():
        return await _page(request, merchant, form, status_code=400)
    publish = form.clean["publish"] == PUBLISH
    hours = form.clean["opening_hours"] or ""
    user = await tk.current_user(request)
    async with Merchant._meta.db.transaction():
        await Merchant.update(
            {
                Merchant.partner_feed: publish,
                Merchant.opening_hours: hours,
                Merchant.partner_feed_changed_at: datetime.now(UTC),
            }
        ).where(Merchant.id == merchant["id"])
        await tk.audit_record(
            "umkm_market.partner_feed_changed",
            actor_id=user.id,
            request=request,
            subject=f"merchant:{merchant['id']}",
            detail={"from": merchant["partner_feed"], "to": publish, "opening_hours": hours},
        )
    tk.flash(
        request,
        tk._("Your products are offered to delivery partners.")
        if publish
        else tk._("Your products are not offered to delivery partners."),
        "success",
    )
    return Redirect(tk.city_url(request, "/umkm-market/toko-saya/"), status_code=303)


PAGES = [partner_feed_page, partner_feed_save]
