"""The officers' pages of heritage sites (Disporapar): list, create, edit, publish, exceptions."""

from __future__ import annotations

from datetime import UTC, datetime

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect

from balai_wisata_heritage.office_kit import (
    MANAGE,
    history,
    officer,
    record_change,
    require,
    take_step,
    write_transaction,
)
from balai_wisata_heritage.sites.editing import SITES, ExceptionForm, SiteForm, site_values
from balai_wisata_heritage.sites.public import usual_hours
from balai_wisata_heritage.sites.tables import Site, SiteException

PAGE_SIZE = 100
GUARD = [tk.require_permission(MANAGE)]
NO_SITE = tk.N_("No such heritage site.")


@get("/", guards=GUARD, name="wisata_heritage:office")
async def office(request: Request) -> Response:
    """The officers' list of the city's heritage sites, drafts included, by district."""
    city = tk.current_city()
    rows = await Site.select().order_by(Site.district, Site.name).limit(PAGE_SIZE)
    for row in rows:
        row["hours"] = usual_hours(row, city)
        row["state_label"] = SITES.label(row["status"])
    return await tk.render(
        request, "wisata_heritage/office.html", {"sites": rows, "total": await Site.count()}
    )


async def _site(site_id: int) -> dict:
    return require(await Site.select().where(Site.id == site_id).first(), tk._(NO_SITE))


async def _edit_page(request: Request, site: dict | None, form: SiteForm, **extra) -> dict:
    user = await officer(request)
    context = {
        "site": site,
        "form": form,
        "steps": [],
        "moves": [],
        "exceptions": [],
        "exception_form": extra.pop("exception_form", None) or ExceptionForm(),
        "move_error": extra.pop("move_error", None),
        "state_label": SITES.label(site["status"]) if site else "",
    }
    if site is not None:
        context["steps"] = await history(SITES, site["id"])
        context["moves"] = SITES.available(site, tk.Actor.of(user))
        context["exceptions"] = await (
            SiteException.select()
            .where(SiteException.site == site["id"])
            .order_by(SiteException.starts_on)
        )
    return context


@get("/situs/baru", guards=GUARD, name="wisata_heritage:site_new")
async def new_site(request: Request) -> Response:
    """The form for a new site (saved as a draft)."""
    context = await _edit_page(request, None, SiteForm())
    return await tk.render(request, "wisata_heritage/office/site.html", context)


@post("/situs/baru", guards=GUARD, name="wisata_heritage:site_create")
async def create_site(request: Request) -> Response:
    """Save a new site as a draft, with the reason in its history."""
    user = await officer(request)
    form = SiteForm(await request.form())
    if not await form.validate(owner_id=user.id):
        context = await _edit_page(request, None, form)
        return await tk.render(
            request, "wisata_heritage/office/site.html", context, status_code=400
        )
    values = site_values(form.clean) | {"status": "draft", "updated_at": datetime.now(UTC)}
    async with write_transaction(Site):
        done = await Site.insert(Site(**values)).returning(Site.id)
        site_id = done[0]["id"]
        await record_change(
            SITES,
            site_id,
            "draft",
            what="created",
            reason=form.clean["reason"],
            user=user,
            request=request,
        )
    tk.flash(request, tk._("Site saved as a draft."), "success")
    return Redirect(
        tk.city_url(request, f"/kelola/wisata-heritage/situs/{site_id}"), status_code=303
    )


@get("/situs/{site_id:int}", guards=GUARD, name="wisata_heritage:site_edit")
async def edit_site(request: Request, site_id: FromPath[int]) -> Response:
    """A site's edit form, its history, its publication steps and its exceptions."""
    site = await _site(site_id)
    initial = {**site, "reason": ""}
    context = await _edit_page(request, site, SiteForm(initial=initial))
    return await tk.render(request, "wisata_heritage/office/site.html", context)


@post("/situs/{site_id:int}", guards=GUARD, name="wisata_heritage:site_save")
async def save_site(request: Request, site_id: FromPath[int]) -> Response:
    """Save an officer's changes to a site, with the reason in its history."""
    user = await officer(request)
    site = await _site(site_id)
    form = SiteForm(await request.form())
    if not await form.validate(owner_id=user.id):
        context = await _edit_page(request, site, form)
        return await tk.render(
            request, "wisata_heritage/office/site.html", context, status_code=400
        )
    values = site_values(form.clean)
    changed = sorted(k for k, v in values.items() if site.get(k) != v)
    async with write_transaction(Site):
        await Site.update(
            {getattr(Site, k): v for k, v in values.items()} | {Site.updated_at: datetime.now(UTC)}
        ).where(Site.id == site_id)
        await record_change(
            SITES,
            site_id,
            site["status"],
            what="edited",
            reason=form.clean["reason"],
            user=user,
            request=request,
            detail={"fields": changed},
        )
    tk.flash(request, tk._("Changes saved."), "success")
    return Redirect(
        tk.city_url(request, f"/kelola/wisata-heritage/situs/{site_id}"), status_code=303
    )


@post("/situs/{site_id:int}/langkah", guards=GUARD, name="wisata_heritage:site_move")
async def move_site(request: Request, site_id: FromPath[int]) -> Response:
    """Publish or withdraw a site (withdrawing needs a reason)."""
    user = await officer(request)
    site = await _site(site_id)
    refused = await take_step(request, SITES, site, Site.updated_at, user)
    if refused is not None:
        context = await _edit_page(
            request, site, SiteForm(initial={**site, "reason": ""}), move_error=refused
        )
        return await tk.render(
            request, "wisata_heritage/office/site.html", context, status_code=400
        )
    tk.flash(request, tk._("Done."), "success")
    return Redirect(
        tk.city_url(request, f"/kelola/wisata-heritage/situs/{site_id}"), status_code=303
    )


@post("/situs/{site_id:int}/pengecualian", guards=GUARD, name="wisata_heritage:site_exception")
async def add_exception(request: Request, site_id: FromPath[int]) -> Response:
    """Add days with other hours (a closure, a holiday) to a site."""
    user = await officer(request)
    site = await _site(site_id)
    form = ExceptionForm(await request.form())
    if not await form.validate(owner_id=user.id):
        context = await _edit_page(
            request, site, SiteForm(initial={**site, "reason": ""}), exception_form=form
        )
        return await tk.render(
            request, "wisata_heritage/office/site.html", context, status_code=400
        )
    clean = form.clean
    async with write_transaction(Site):
        await SiteException.insert(
            SiteException(
                site=site_id,
                starts_on=clean["starts_on"],
                ends_on=clean["ends_on"],
                closed=clean["closed"],
                hours="" if clean["closed"] else clean["hours"],
                note=clean["note"],
            )
        )
        await record_change(
            SITES,
            site_id,
            site["status"],
            what="exception_added",
            reason=clean["note"],
            user=user,
            request=request,
            detail={"from": clean["starts_on"].isoformat(), "until": clean["ends_on"].isoformat()},
        )
    tk.flash(request, tk._("Other hours saved."), "success")
    return Redirect(
        tk.city_url(request, f"/kelola/wisata-heritage/situs/{site_id}"), status_code=303
    )


ROUTES = [office, new_site, create_site, edit_site, save_site, move_site, add_exception]
