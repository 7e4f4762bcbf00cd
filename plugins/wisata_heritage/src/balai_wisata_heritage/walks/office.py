"""The officers' pages of walks: list, create, edit (stops included), publish and withdraw."""

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
from balai_wisata_heritage.walks.editing import WALKS, WalkForm, load_sites, stop_lines
from balai_wisata_heritage.walks.stops import stops_of
from balai_wisata_heritage.walks.tables import Walk, WalkStop

GUARD = [tk.require_permission(MANAGE)]
NO_WALK = tk.N_("No such walk.")
TEMPLATE = "wisata_heritage/office/walk.html"


@get("/jalan-kaki/", guards=GUARD, name="wisata_heritage:office_walks")
async def walks_list(request: Request) -> Response:
    """Every walk of the city, drafts included."""
    rows = await Walk.select(Walk.id, Walk.name, Walk.status).order_by(Walk.name)
    for row in rows:
        row["state_label"] = WALKS.label(row["status"])
    return await tk.render(request, "wisata_heritage/office/walks.html", {"walks": rows})


async def _walk(walk_id: int) -> dict:
    return require(await Walk.select().where(Walk.id == walk_id).first(), tk._(NO_WALK))


async def _initial(walk: dict) -> dict:
    stops = (await stops_of([walk["id"]])).get(walk["id"], [])
    return {**walk, "stops": stop_lines(stops), "reason": ""}


async def _context(request: Request, walk: dict | None, form: WalkForm, error=None) -> dict:
    user = await officer(request)
    return {
        "walk": walk,
        "form": form,
        "state_label": WALKS.label(walk["status"]) if walk else "",
        "steps": await history(WALKS, walk["id"]) if walk else [],
        "moves": WALKS.available(walk, tk.Actor.of(user)) if walk else [],
        "move_error": error,
    }


async def _again(request: Request, walk: dict | None, form: WalkForm, error=None) -> Response:
    context = await _context(request, walk, form, error)
    return await tk.render(request, TEMPLATE, context, status_code=400)


def _back(request: Request, walk_id: int) -> Redirect:
    path = f"/kelola/wisata-heritage/jalan-kaki/{walk_id}"
    return Redirect(tk.city_url(request, path), status_code=303)


async def _write_stops(walk_id: int, stops: list) -> None:
    await WalkStop.delete().where(WalkStop.walk == walk_id)
    for position, stop in enumerate(stops, 1):
        await WalkStop.insert(
            WalkStop(
                walk=walk_id,
                position=position,
                site=stop.site,
                name=stop.name,
                latitude=stop.latitude,
                longitude=stop.longitude,
                minutes=stop.minutes,
                note=stop.note,
            )
        )


def _walk_values(clean: dict) -> dict:
    return {k: v for k, v in clean.items() if k not in ("reason", "stops")}


@get("/jalan-kaki/baru", guards=GUARD, name="wisata_heritage:walk_new")
async def new_walk(request: Request) -> Response:
    """The form for a new walk (saved as a draft)."""
    return await tk.render(request, TEMPLATE, await _context(request, None, WalkForm()))


@post("/jalan-kaki/baru", guards=GUARD, name="wisata_heritage:walk_create")
async def create_walk(request: Request) -> Response:
    """Save a new walk and its stops as a draft, with the reason in its history."""
    user = await officer(request)
    await load_sites()
    form = WalkForm(await request.form())
    if not await form.validate(owner_id=user.id):
        return await _again(request, None, form)
    values = _walk_values(form.clean) | {"status": "draft", "updated_at": datetime.now(UTC)}
    async with write_transaction(Walk):
        done = await Walk.insert(Walk(**values)).returning(Walk.id)
        walk_id = done[0]["id"]
        await _write_stops(walk_id, form.clean["stops"])
        await record_change(
            WALKS,
            walk_id,
            "draft",
            what="created",
            reason=form.clean["reason"],
            user=user,
            request=request,
        )
    tk.flash(request, tk._("Walk saved as a draft."), "success")
    return _back(request, walk_id)


@get("/jalan-kaki/{walk_id:int}", guards=GUARD, name="wisata_heritage:walk_edit")
async def edit_walk(request: Request, walk_id: FromPath[int]) -> Response:
    """A walk's edit form with its stops, its history and its publication steps."""
    walk = await _walk(walk_id)
    context = await _context(request, walk, WalkForm(initial=await _initial(walk)))
    return await tk.render(request, TEMPLATE, context)


@post("/jalan-kaki/{walk_id:int}", guards=GUARD, name="wisata_heritage:walk_save")
async def save_walk(request: Request, walk_id: FromPath[int]) -> Response:
    """Save an officer's changes to a walk and its stops, with the reason in its history."""
    user = await officer(request)
    walk = await _walk(walk_id)
    await load_sites()
    form = WalkForm(await request.form())
    if not await form.validate(owner_id=user.id):
        return await _again(request, walk, form)
    values = _walk_values(form.clean)
    async with write_transaction(Walk):
        await Walk.update(
            {getattr(Walk, k): v for k, v in values.items()} | {Walk.updated_at: datetime.now(UTC)}
        ).where(Walk.id == walk_id)
        await _write_stops(walk_id, form.clean["stops"])
        await record_change(
            WALKS,
            walk_id,
            walk["status"],
            what="edited",
            reason=form.clean["reason"],
            user=user,
            request=request,
            detail={"stops": len(form.clean["stops"])},
        )
    tk.flash(request, tk._("Changes saved."), "success")
    return _back(request, walk_id)


@post("/jalan-kaki/{walk_id:int}/langkah", guards=GUARD, name="wisata_heritage:walk_move")
async def move_walk(request: Request, walk_id: FromPath[int]) -> Response:
    """Publish or withdraw a walk (withdrawing needs a reason)."""
    user = await officer(request)
    walk = await _walk(walk_id)
    refused = await take_step(request, WALKS, walk, Walk.updated_at, user)
    if refused is not None:
        return await _again(request, walk, WalkForm(initial=await _initial(walk)), refused)
    tk.flash(request, tk._("Done."), "success")
    return _back(request, walk_id)


ROUTES = [walks_list, new_walk, create_walk, edit_walk, save_walk, move_walk]
