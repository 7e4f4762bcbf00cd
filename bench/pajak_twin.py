"""The pajak pages' twin: NOP lookup and "My bills" with hand-written SQL, same templates.

``GET /malang/pajak/?nop=…`` runs the session and user statements of the home
twin (:mod:`bench.twin_db`), then the tax object joined with its bills (one
statement); ``GET /malang/pajak/tagihan`` runs the session and user
statements, then the citizen's links joined with their objects, the bills of
those NOPs and their pending payments (one statement), and the paid bills'
ledger invoices and payments for their receipt links (as ``tk.receipt_urls``:
one statement, two when any is found). Rows are turned
into the templates' context by hand (dates parsed, states worked out) and
``pajak/index.html`` / ``pajak/my_bills.html`` rendered through the same
theme loader chain. The domain rules are shared with the platform, since
they are what the page shows, not platform machinery: the amount owed on a
day (:func:`balai_pajak.pbb.penalty.amount_owed`, with its rate text), the NOP's
dotted form and the year's due date. Run by uvicorn as a factory
(``bench.pajak_twin:build``) with the environment of :mod:`bench.serve_balai`.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from litestar import Litestar, Request, Response, get
from litestar.middleware.csrf import generate_csrf_token

from bench.counting import BenchProbe, QueryLog
from bench.instance import CITY
from bench.twin_app import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    PageRequest,
    PageURL,
    Twin,
    TwinUser,
    _Flash,
    page_path,
)

RECORD_SQL = (
    "SELECT o.id, o.nop, o.address, o.village, o.district, o.land_area, o.building_area, "
    "s.year, s.tax_due, s.due_date, s.status "
    "FROM pajak_tax_object o "
    "LEFT JOIN pajak_sppt s ON s.city = o.city AND s.nop = o.nop AND s.status != 'cancelled' "
    "WHERE o.city = {0} AND o.nop = {1} ORDER BY s.year DESC LIMIT 10"
)
BILLS_SQL = (
    "SELECT l.nop, o.address, o.village, o.district, "
    "s.id, s.year, s.tax_due, s.due_date, s.status, s.paid_at, s.paid_principal, "
    "s.paid_penalty, s.invoice_number, p.invoice_number "
    "FROM pajak_nop_link l "
    "LEFT JOIN pajak_tax_object o ON o.id = l.tax_object "
    "LEFT JOIN pajak_sppt s ON s.city = l.city AND s.nop = l.nop AND s.status != 'cancelled' "
    "LEFT JOIN pajak_bill_payment p ON p.sppt = s.id AND p.status = 'pending' "
    "WHERE l.city = {0} AND l.user_id = {1} ORDER BY l.nop, s.year DESC"
)


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _time(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


class PajakTwin:
    """The home twin's session and rendering, plus the pajak statements."""

    def __init__(self, twin: Twin) -> None:
        self.twin = twin
        self.catalogs: Any = None

    def marks(self, count: int, first: int = 1) -> list[str]:
        """Placeholders for ``count`` parameters (``?`` or ``$n`` from ``first``)."""
        if self.twin.db.is_sqlite:
            return ["?"] * count
        return [f"${n}" for n in range(first, first + count)]

    async def visitor(self, request: Request) -> tuple[str | None, str, TwinUser | None, list]:
        """The CSRF cookie, token, logged-in user and flashes (two statements at most)."""
        facts = self.twin.facts
        assert facts is not None
        cookies = request.cookies
        csrf_cookie = cookies.get(CSRF_COOKIE)
        token = csrf_cookie or generate_csrf_token(facts.secret_key)
        session_id = cookies.get(SESSION_COOKIE)
        session: dict[str, Any] | None = None
        if session_id and session_id != "null":
            raw = await self.twin.db.load_session(session_id)
            session = json.loads(raw) if raw else None
        user = None
        if session is not None:
            found = await self.twin.db.load_user(CITY, session.get(f"user:{CITY}"))
            if found is not None:
                row, roles = found
                perms = frozenset().union(
                    *(facts.role_permissions.get(r, frozenset()) for r in roles)
                )
                user = TwinUser(row[0], row[1], row[2], row[3], frozenset(roles), perms)
        flashes = [_Flash(c, m) for c, m in session.pop("_flash", [])] if session else []
        return csrf_cookie, token, user, flashes

    def page(
        self, request: Request, template: str, token: str, user: Any, flashes: list, extra: dict
    ) -> str:
        """Render ``template`` with the common context and ``extra``."""
        facts = self.twin.facts
        assert facts is not None
        context = self.twin.context(page_path(request), token, user, flashes)
        # The page's own path as the platform gives it: litestar drops a trailing slash.
        context["request"] = PageRequest(PageURL(request.url.path))
        context["page_path"] = request.scope["path"]
        context.pop("tiles", None)
        context.update(extra)
        return facts.env.get_template(template).render(context)


def build() -> BenchProbe:
    """The pajak twin for uvicorn, with the query probe in front."""
    from balai.i18n import activate
    from balai.toolkit import format_nop
    from balai_pajak.pbb.penalty import amount_owed, rate_text
    from balai_pajak.routes import pbb_due_date

    log = QueryLog()
    twin = Twin(log)
    pajak = PajakTwin(twin)
    sql: dict[str, str] = {}

    async def start() -> None:
        import os

        from balai.config import load_config
        from balai.web.app import create_app

        from bench.serve_balai import plugin_list

        await twin.start()
        app = create_app(
            load_config(os.environ["BENCH_CONFIG"]),
            plugins=plugin_list(os.environ.get("BENCH_PLUGINS")),
        )
        pajak.catalogs = app.ui.catalogs
        sql["record"] = RECORD_SQL.format(*pajak.marks(2))
        sql["bills"] = BILLS_SQL.format(*pajak.marks(2))

    @get(f"/{CITY}/pajak/")
    async def lookup(request: Request) -> Response:
        facts = twin.facts
        assert facts is not None
        city = facts.city
        activate(pajak.catalogs, city.locale)
        csrf_cookie, token, user, flashes = await pajak.visitor(request)
        digits = "".join(c for c in request.query_params.get("nop", "") if c.isdigit())
        today = datetime.now(city.tz).date()
        rows = await twin.db.fetch(sql["record"], CITY, digits)
        if not rows:
            return Response("not found", status_code=404)
        oid, nop, address, village, district, land, building = rows[0][:7]
        bills = []
        for year, tax_due, due, status in (r[7:] for r in rows):
            if year is None:
                continue
            due = _date(due)
            state = "paid" if status == "paid" else ("overdue" if due < today else "unpaid")
            bills.append(
                {
                    "year": year,
                    "tax_due": tax_due,
                    "due_date": due,
                    "status": status,
                    "state": state,
                }
            )
        result = {
            "id": oid,
            "nop": nop,
            "address": address,
            "village": village,
            "district": district,
            "land_area": land,
            "building_area": building,
            "nop_display": format_nop(nop),
            "bills": bills,
        }
        extra = {
            "due_date": pbb_due_date(city),
            "nop": format_nop(digits),
            "error": None,
            "result": result,
            "not_found": False,
        }
        body = pajak.page(request, "pajak/index.html", token, user, flashes, extra)
        return twin.respond(body, csrf_cookie, token)

    @get(f"/{CITY}/pajak/tagihan")
    async def my_bills(request: Request) -> Response:
        facts = twin.facts
        assert facts is not None
        city = facts.city
        activate(pajak.catalogs, city.locale)
        csrf_cookie, token, user, flashes = await pajak.visitor(request)
        if user is None:
            return Response("login", status_code=303, headers={"location": f"/{CITY}/masuk"})
        today = datetime.now(city.tz).date()
        objects: dict[str, dict[str, Any]] = {}
        owed_today = 0
        for row in await twin.db.fetch(sql["bills"], CITY, user.id):
            nop, address, village, district = row[:4]
            shown = objects.get(nop)
            if shown is None:
                shown = objects[nop] = {
                    "nop": nop,
                    "nop_display": format_nop(nop),
                    "address": address or "",
                    "village": village or "",
                    "district": district or "",
                    "bills": [],
                }
            bid, year, tax_due, due, status, paid_at, paid_p, paid_f, number, pending = row[4:]
            if bid is None:
                continue
            due = _date(due)
            bill = {
                "id": bid,
                "nop": nop,
                "year": year,
                "tax_due": tax_due,
                "due_date": due,
                "status": status,
                "paid_at": _time(paid_at),
                "paid_principal": paid_p,
                "paid_penalty": paid_f,
                "invoice_number": number,
            }
            paid = status == "paid"
            state = "paid" if paid else ("overdue" if due < today else "unpaid")
            owed = None if paid else amount_owed(bill, today, city)
            bill.update(
                state=state,
                owed=owed,
                pending_invoice=pending or "",
                payable=not paid and not pending,
                paid_total=paid_p + paid_f,
                rate=rate_text(owed.rate_ppm_per_month) if owed and owed.penalty else "",
            )
            if bill["payable"]:
                owed_today += owed.total
            shown["bills"].append(bill)
        extra = {
            "objects": list(objects.values()),
            "today": today,
            "selected": set(),
            "error": None,
            "owed_today": owed_today,
            "receipts": await receipts(objects.values()),
        }
        body = pajak.page(request, "pajak/my_bills.html", token, user, flashes, extra)
        return twin.respond(body, csrf_cookie, token)

    async def receipts(objects: Any) -> dict[str, str]:
        """The receipt URL (with the invoice's token) of each paid bill's ledger invoice.

        Like ``tk.receipt_urls``: the paid invoices by number, then (when any)
        their payments; two statements at most.
        """
        wanted = sorted(
            {
                b["invoice_number"].strip().upper()
                for o in objects
                for b in o["bills"]
                if b["state"] == "paid" and b["invoice_number"] and b["invoice_number"].strip()
            }
        )
        if not wanted:
            return {}
        marks = pajak.marks(len(wanted) + 1)
        invoices = {
            row[0]: row
            for row in await twin.db.fetch(
                "SELECT id, number, access_token FROM balai_payments_invoice "
                f"WHERE city = {marks[0]} AND number IN ({', '.join(marks[1:])}) "
                "AND status = 'paid'",
                CITY,
                *wanted,
            )
        }
        if not invoices:
            return {}
        marks = pajak.marks(len(invoices) + 1)
        found = {}
        for invoice_id, number in await twin.db.fetch(
            "SELECT invoice_id, number FROM balai_payments_payment "
            f"WHERE city = {marks[0]} AND invoice_id IN ({', '.join(marks[1:])})",
            CITY,
            *invoices,
        ):
            invoice = invoices[invoice_id]
            found[invoice[1]] = f"/{CITY}/bayar/kuitansi/{number}?t={invoice[2]}"
        return found

    app = Litestar(
        route_handlers=[lookup, my_bills], on_startup=[start], on_shutdown=[twin.stop], debug=False
    )
    return BenchProbe(app, log)
