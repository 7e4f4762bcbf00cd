"""e-Retribusi pages: holders pay stall fees, officers keep markets, collectors take cash.

Citizen pages under ``/pajak/retribusi/``, office pages under
``/kelola/pajak/retribusi/``, the collectors' phone pages under ``/kelola/pajak/pungut/``.
"""

from __future__ import annotations

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from balai_pajak import forms, linkcode
from balai_pajak.months import Month, local_today
from balai_pajak.retribusi import billing
from balai_pajak.retribusi.tables import BillStatus, Market, Stall, StallBill

MANAGE = "pajak.manage"
COLLECT = "pajak.collect"


def shown_bill(bill: dict, today) -> dict:
    """A bill ready for a template: month label and whether it is overdue."""
    return {
        **bill,
        "month_label": forms.month_label(Month(bill["year"], bill["month"])),
        "overdue": bill["status"] == BillStatus.UNPAID.value and bill["due_date"] < today,
    }


# --- citizen pages -------------------------------------------------------------


async def _my_context(user) -> dict:
    today = local_today(tk.current_city().tz)
    stalls = await Stall.select(
        Stall.all_columns(), Stall.market.name.as_alias("market_name")
    ).where(Stall.holder_id == user.id)
    bills = []
    if stalls:
        rows = await (
            StallBill.select()
            .where(StallBill.stall.is_in([s["id"] for s in stalls]))
            .order_by(StallBill.year, ascending=False)
            .order_by(StallBill.month, ascending=False)
            .limit(60)
        )
        bills = [shown_bill(b, today) for b in rows]
    return {"stalls": stalls, "bills": bills, "errors": {}, "values": {}}


@get("/retribusi", guards=[tk.require_login], name="pajak:retribusi-mine")
async def my_stalls(request: Request) -> Response:
    """The citizen's market stalls and their monthly bills."""
    user = await tk.current_user(request)
    return await tk.render(request, "pajak/retribusi/mine.html", await _my_context(user))


@post("/retribusi/tautkan", guards=[tk.require_login], name="pajak:retribusi-link")
async def link_stall(request: Request) -> Response:
    """Link a stall to the account with the code the market office gave."""
    user = await tk.current_user(request)
    form = forms.StallLinkForm(await request.form())
    stall = None
    if await form.validate():
        code = linkcode.normalise(form.clean["code"])
        stall = await Stall.select().where(Stall.link_code == code).first() if code else None
    if stall is None:
        context = await _my_context(user)
        context["errors"] = {"code": tk._(forms.STALL_CODE_UNKNOWN)}
        return await tk.render(request, "pajak/retribusi/mine.html", context, status_code=400)
    await Stall.update({Stall.holder_id: user.id, Stall.link_code: ""}).where(  # type: ignore[union-attr]
        Stall.id == stall["id"]
    )
    await tk.audit_record(
        "pajak.retribusi_stall_linked",
        actor_id=user.id,  # type: ignore[union-attr]
        request=request,
        subject=f"retribusi_stall:{stall['id']}",
    )
    tk.flash(
        request,
        tk._("Stall %(number)s is linked to your account.", number=stall["number"]),
        "success",
    )
    return Redirect(tk.city_url(request, "/pajak/retribusi"), status_code=303)


@post(
    "/retribusi/tagihan/{bill_id:int}/bayar",
    guards=[tk.require_verified],
    name="pajak:retribusi-pay",
)
async def pay_bill(request: Request, bill_id: FromPath[int]) -> Response:
    """Pay one of the citizen's stall bills online."""
    user = await tk.current_user(request)
    bill = await StallBill.select().where(StallBill.id == bill_id).first()
    stall = None
    if bill is not None:
        stall = (
            await Stall.select()
            .where((Stall.id == bill["stall"]) & (Stall.holder_id == user.id))  # type: ignore[union-attr]
            .first()
        )
    if bill is None or stall is None:
        raise NotFoundException()
    try:
        number = await billing.start_payment(bill, stall, user)
    except billing.PaymentRefused as exc:
        tk.flash(request, str(exc), "error")
        return Redirect(tk.city_url(request, "/pajak/retribusi"), status_code=303)
    return Redirect(tk.city_url(request, f"/bayar/{number}"), status_code=303)


# --- office pages --------------------------------------------------------------


async def _markets_context(values: dict, errors: dict) -> dict:
    today = local_today(tk.current_city().tz)
    return {
        "markets": await billing.arrears_by_market(today),
        "month_label": forms.month_label(Month.of(today)),
        "values": values,
        "errors": errors,
    }


@get("/retribusi/", guards=[tk.require_permission(MANAGE)], name="pajak:retribusi-office")
async def office(request: Request) -> Response:
    """Markets with their arrears, and the form to add a market."""
    return await tk.render(request, "pajak/retribusi/office.html", await _markets_context({}, {}))


@post("/retribusi/pasar", guards=[tk.require_permission(MANAGE)], name="pajak:retribusi-add-market")
async def add_market(request: Request) -> Response:
    """Add a market."""
    form = forms.MarketForm(await request.form())
    await form.validate()
    if "name" in form.clean and await Market.exists().where(Market.name == form.clean["name"]):
        form.add_error("name", tk._("A market with this name already exists."))
    if form.errors:
        return await tk.render(
            request,
            "pajak/retribusi/office.html",
            await _markets_context(form.values, form.errors),
            status_code=400,
        )
    await Market.insert(Market(**form.clean, created_at=billing.now_utc()))
    tk.flash(request, tk._("The market is added."), "success")
    return Redirect(tk.city_url(request, "/kelola/pajak/retribusi/"), status_code=303)


@post("/retribusi/tagihan", guards=[tk.require_permission(MANAGE)], name="pajak:retribusi-generate")
async def generate_now(request: Request) -> Response:
    """Make this month's bills now (the daily job does the same; nothing is made twice)."""
    today = local_today(tk.current_city().tz)
    made = await billing.generate_bills(Month.of(today))
    user = await tk.current_user(request)
    await tk.audit_record(
        "pajak.retribusi_bills_generated",
        actor_id=user.id,  # type: ignore[union-attr]
        request=request,
        subject=f"retribusi_month:{Month.of(today)}",
        detail={"made": made},
    )
    tk.flash(request, tk.ngettext("%(num)d bill made.", "%(num)d bills made.", made), "success")
    return Redirect(tk.city_url(request, "/kelola/pajak/retribusi/"), status_code=303)


async def _market(market_id: int) -> dict:
    row = await Market.select().where(Market.id == market_id).first()
    if row is None:
        raise NotFoundException()
    return row


async def _market_context(market: dict, values: dict, errors: dict) -> dict:
    today = local_today(tk.current_city().tz)
    stalls = await Stall.select().where(Stall.market == market["id"]).order_by(Stall.number)
    overdue = await StallBill.select(StallBill.stall, StallBill.amount).where(
        (StallBill.market == market["id"])
        & (StallBill.status == BillStatus.UNPAID.value)
        & (StallBill.due_date < today)
    )
    arrears: dict[int, list[int]] = {}
    for bill in overdue:
        arrears.setdefault(bill["stall"], []).append(bill["amount"])
    return {
        "market": market,
        "stalls": [
            {
                **s,
                "months_overdue": len(arrears.get(s["id"], [])),
                "arrears": sum(arrears.get(s["id"], [])),
            }
            for s in stalls
        ],
        "values": values,
        "errors": errors,
    }


@get(
    "/retribusi/pasar/{market_id:int}",
    guards=[tk.require_permission(MANAGE)],
    name="pajak:retribusi-market",
)
async def market_page(request: Request, market_id: FromPath[int]) -> Response:
    """A market's stalls with their holders, fees and arrears; the form to add a stall."""
    market = await _market(market_id)
    return await tk.render(
        request, "pajak/retribusi/market.html", await _market_context(market, {}, {})
    )


@post(
    "/retribusi/pasar/{market_id:int}/kios",
    guards=[tk.require_permission(MANAGE)],
    name="pajak:retribusi-add-stall",
)
async def add_stall(request: Request, market_id: FromPath[int]) -> Response:
    """Add a stall with its holder and monthly fee; it gets a link code for the holder."""
    market = await _market(market_id)
    form = forms.StallForm(await request.form())
    await form.validate()
    if "number" in form.clean and await Stall.exists().where(
        (Stall.market == market_id) & (Stall.number == form.clean["number"])
    ):
        form.add_error("number", tk._("This market already has a stall with this number."))
    if form.errors:
        return await tk.render(
            request,
            "pajak/retribusi/market.html",
            await _market_context(market, form.values, form.errors),
            status_code=400,
        )
    await Stall.insert(
        Stall(
            market=market_id,
            **form.clean,
            link_code=linkcode.new_code(),
            created_at=billing.now_utc(),
        )
    )
    tk.flash(request, tk._("The stall is added."), "success")
    return Redirect(
        tk.city_url(request, f"/kelola/pajak/retribusi/pasar/{market_id}"), status_code=303
    )


# --- collectors (phone-first) --------------------------------------------------


@get("/pungut/", guards=[tk.require_permission(COLLECT)], name="pajak:collect-markets")
async def collect_markets(request: Request) -> Response:
    """The collector's start page: the markets to walk."""
    markets = await Market.select().order_by(Market.name)
    return await tk.render(request, "pajak/retribusi/collect_markets.html", {"markets": markets})


@get(
    "/pungut/{market_id:int}", guards=[tk.require_permission(COLLECT)], name="pajak:collect-market"
)
async def collect_market(
    request: Request, market_id: FromPath[int], kios: FromQuery[str] = ""
) -> Response:
    """A market's unpaid bills, by stall (``?kios=`` narrows to one stall number)."""
    market = await _market(market_id)
    today = local_today(tk.current_city().tz)
    query = (
        StallBill.select(
            StallBill.all_columns(),
            StallBill.stall.number.as_alias("stall_number"),
            StallBill.stall.holder_name.as_alias("holder_name"),
        )
        .where((StallBill.market == market_id) & (StallBill.status == BillStatus.UNPAID.value))
        .order_by(StallBill.stall.number)
        .order_by(StallBill.year)
        .order_by(StallBill.month)
    )
    narrow = forms.StallFilterForm({"kios": kios})
    wanted = narrow.values["kios"]
    valid = await narrow.validate()  # a number longer than any stall's matches none
    if valid and narrow.clean["kios"]:
        query = query.where(StallBill.stall.number == narrow.clean["kios"])
    bills = [shown_bill(b, today) for b in await query] if valid else []
    return await tk.render(
        request,
        "pajak/retribusi/collect_market.html",
        {"market": market, "bills": bills, "kios": wanted},
    )


async def _collect_bill(bill_id: int) -> dict:
    row = await (
        StallBill.select(
            StallBill.all_columns(),
            StallBill.stall.number.as_alias("stall_number"),
            StallBill.stall.holder_name.as_alias("holder_name"),
            StallBill.stall.market.name.as_alias("market_name"),
        )
        .where(StallBill.id == bill_id)
        .first()
    )
    if row is None:
        raise NotFoundException()
    return shown_bill(row, local_today(tk.current_city().tz))


@get(
    "/pungut/tagihan/{bill_id:int}",
    guards=[tk.require_permission(COLLECT)],
    name="pajak:collect-bill",
)
async def collect_bill(request: Request, bill_id: FromPath[int]) -> Response:
    """Confirm a cash payment of one bill (the collector checks stall and amount first)."""
    bill = await _collect_bill(bill_id)
    return await tk.render(
        request, "pajak/retribusi/collect_bill.html", {"bill": bill, "error": None}
    )


@post(
    "/pungut/tagihan/{bill_id:int}",
    guards=[tk.require_permission(COLLECT)],
    name="pajak:collect-cash",
)
async def collect_cash(request: Request, bill_id: FromPath[int]) -> Response:
    """Record the cash received for a bill; audited; shows the receipt number."""
    bill = await _collect_bill(bill_id)
    user = await tk.current_user(request)
    try:
        await billing.record_cash(bill_id, user.id, request)  # type: ignore[union-attr]
    except billing.PaymentRefused as exc:
        return await tk.render(
            request,
            "pajak/retribusi/collect_bill.html",
            {"bill": bill, "error": str(exc)},
            status_code=409,
        )
    return Redirect(
        tk.city_url(request, f"/kelola/pajak/pungut/kuitansi/{bill_id}"), status_code=303
    )


@get(
    "/pungut/kuitansi/{bill_id:int}",
    guards=[tk.require_permission(COLLECT)],
    name="pajak:collect-receipt",
)
async def collect_receipt(request: Request, bill_id: FromPath[int]) -> Response:
    """The receipt of a cash payment, to show or read out to the holder."""
    bill = await _collect_bill(bill_id)
    if not bill["receipt_number"]:
        raise NotFoundException()
    return await tk.render(request, "pajak/retribusi/collect_receipt.html", {"bill": bill})


PAGES = [my_stalls, link_stall, pay_bill]
OFFICE = [
    office,
    add_market,
    generate_now,
    market_page,
    add_stall,
    collect_markets,
    collect_market,
    collect_bill,
    collect_cash,
    collect_receipt,
]
