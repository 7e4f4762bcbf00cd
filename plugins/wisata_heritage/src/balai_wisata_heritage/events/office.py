"""The officers' pages of events: list, create, edit, publish and cancel."""

from __future__ import annotations

from datetime import UTC, datetime

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect

from balai_wisata_heritage.events import rules
from balai_wisata_heritage.events.editing import EVENTS, EventForm, event_values, load_site_choices
from balai_wisata_heritage.events.tables import Event
from balai_wisata_heritage.office_kit import (
    MANAGE,
    history,
    officer,
    record_change,
    require,
    take_step,
    write_transaction,
)

GUARD = [tk.require_permission(MANAGE)]
PER_PAGE = 30
NO_EVENT = tk.N_("No such event.")
TEMPLATE = "wisata_heritage/office/event.html"


@get("/acara/", guards=GUARD, name="wisata_heritage:office_events")
async def events_list(request: Request) -> Response:
    """Every event of the city, drafts included, latest start first, a page at a time."""
    select = Event.select(
        Event.id, Event.title, Event.kind, Event.starts_at, Event.status
    ).order_by(Event.starts_at, ascending=False)
    found = await tk.paginate(request, select, per_page=PER_PAGE)
    for row in found.rows:
        row["state_label"] = EVENTS.label(row["status"])
        row["kind_label"] = rules.KIND_LABELS.get(row["kind"], row["kind"])
    return await tk.render(request, "wisata_heritage/office/events.html", {"found": found})


async def _event(event_id: int) -> dict:
    return require(await Event.select().where(Event.id == event_id).first(), tk._(NO_EVENT))


async def _context(request: Request, event: dict | None, form: EventForm, error=None) -> dict:
    user = await officer(request)
    return {
        "event": event,
        "form": form,
        "state_label": EVENTS.label(event["status"]) if event else "",
        "steps": await history(EVENTS, event["id"]) if event else [],
        "moves": EVENTS.available(event, tk.Actor.of(user)) if event else [],
        "move_error": error,
    }


def _initial(event: dict) -> dict:
    return {**event, "site": event["site"] or "", "reason": ""}


async def _again(request: Request, event: dict | None, form: EventForm, error=None) -> Response:
    context = await _context(request, event, form, error)
    return await tk.render(request, TEMPLATE, context, status_code=400)


def _back(request: Request, event_id: int) -> Redirect:
    return Redirect(
        tk.city_url(request, f"/kelola/wisata-heritage/acara/{event_id}"), status_code=303
    )


@get("/acara/baru", guards=GUARD, name="wisata_heritage:event_new")
async def new_event(request: Request) -> Response:
    """The form for a new event (saved as a draft)."""
    await load_site_choices()
    return await tk.render(request, TEMPLATE, await _context(request, None, EventForm()))


@post("/acara/baru", guards=GUARD, name="wisata_heritage:event_create")
async def create_event(request: Request) -> Response:
    """Save a new event as a draft, with the reason in its history."""
    user = await officer(request)
    await load_site_choices()
    form = EventForm(await request.form())
    if not await form.validate(owner_id=user.id):
        return await _again(request, None, form)
    values = event_values(form.clean) | {"status": "draft", "updated_at": datetime.now(UTC)}
    async with write_transaction(Event):
        done = await Event.insert(Event(**values)).returning(Event.id)
        event_id = done[0]["id"]
        await record_change(
            EVENTS,
            event_id,
            "draft",
            what="created",
            reason=form.clean["reason"],
            user=user,
            request=request,
        )
    tk.flash(request, tk._("Event saved as a draft."), "success")
    return _back(request, event_id)


@get("/acara/{event_id:int}", guards=GUARD, name="wisata_heritage:event_edit")
async def edit_event(request: Request, event_id: FromPath[int]) -> Response:
    """An event's edit form, its history and its publication steps."""
    event = await _event(event_id)
    await load_site_choices()
    context = await _context(request, event, EventForm(initial=_initial(event)))
    return await tk.render(request, TEMPLATE, context)


@post("/acara/{event_id:int}", guards=GUARD, name="wisata_heritage:event_save")
async def save_event(request: Request, event_id: FromPath[int]) -> Response:
    """Save an officer's changes to an event, with the reason in its history."""
    user = await officer(request)
    event = await _event(event_id)
    await load_site_choices()
    form = EventForm(await request.form())
    if not await form.validate(owner_id=user.id):
        return await _again(request, event, form)
    values = event_values(form.clean)
    changed = sorted(k for k, v in values.items() if event.get(k) != v)
    async with write_transaction(Event):
        await Event.update(
            {getattr(Event, k): v for k, v in values.items()}
            | {Event.updated_at: datetime.now(UTC)}
        ).where(Event.id == event_id)
        await record_change(
            EVENTS,
            event_id,
            event["status"],
            what="edited",
            reason=form.clean["reason"],
            user=user,
            request=request,
            detail={"fields": changed},
        )
    tk.flash(request, tk._("Changes saved."), "success")
    return _back(request, event_id)


@post("/acara/{event_id:int}/langkah", guards=GUARD, name="wisata_heritage:event_move")
async def move_event(request: Request, event_id: FromPath[int]) -> Response:
    """Publish or cancel an event (cancelling needs a reason)."""
    user = await officer(request)
    event = await _event(event_id)
    refused = await take_step(request, EVENTS, event, Event.updated_at, user)
    if refused is not None:
        await load_site_choices()
        return await _again(request, event, EventForm(initial=_initial(event)), refused)
    tk.flash(request, tk._("Done."), "success")
    return _back(request, event_id)


ROUTES = [events_list, new_event, create_event, edit_event, save_event, move_event]
