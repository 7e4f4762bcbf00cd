"""The gate page for officers on a phone: type or scan a ticket, see admitted or refused.

Without JavaScript the officer types the code (or a scanner types the
payload) and the form answers with a full page. With JavaScript the page
scans with the camera, checks signatures with the city's public key
(``kunci.json``) when the network is gone, keeps those admissions in the
browser and sends them to ``sinkron`` when it is back.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import HTTPException
from litestar.params import FromQuery

from balai_wisata_heritage.tickets import gate
from balai_wisata_heritage.tickets.rules import SIGNING_PURPOSE

GATE = "wisata_heritage.gate"
MAX_TYPED = 1000
MAX_SYNC = 200  # admissions per sync request
SYNC_PAST = timedelta(days=2)  # how old an offline admission may be when it arrives


def read_gate_name(raw: object) -> str:
    """The gate's name as the officer set it (``1`` by default), at most 40 characters."""
    name = " ".join(str(raw or "").split())[: gate.MAX_GATE_NAME]
    return name or "1"


@get("/gerbang", guards=[tk.require_permission(GATE)], name="wisata_heritage:gate")
async def gate_page(request: Request, gerbang: FromQuery[str] = "") -> Response:
    """The gate form (the gate's name is kept in the address for the next scan)."""
    tk.allow_camera(request)
    return await tk.render(
        request,
        "wisata_heritage/tickets/gate.html",
        {
            "gate": read_gate_name(gerbang),
            "answer": None,
            "error": "",
            "key": tk.public_key(SIGNING_PURPOSE),
            "gate_reasons": gate.reason_texts(),
        },
    )


class GateForm(tk.Form):
    """What the gate officer types (or a scanner types): a ticket code or a QR's content."""

    kode = tk.TextField(
        "Ticket code or QR content",
        max_length=MAX_TYPED,
        missing=tk.N_("Type the ticket code or scan its QR code."),
        invalid=tk.N_("This is too long for a ticket code or QR content."),
    )
    gerbang = tk.TextField(
        "Gate",
        max_length=gate.MAX_GATE_NAME,
        required=False,
        invalid=tk.N_("A gate's name is at most %(max)s characters."),
    )


@post("/gerbang", guards=[tk.require_permission(GATE)], name="wisata_heritage:gate-check")
async def gate_check(request: Request) -> Response:
    """Check one ticket and admit it, or say why not (a refusal is an answer too: 200)."""
    tk.allow_camera(request)
    user = await tk.current_user(request)
    form = GateForm(await request.form())
    valid = await form.validate(owner_id=user.id)
    gate_name = read_gate_name(form.clean.get("gerbang"))
    answer: Any = None
    error = ""
    if valid:
        answer = await gate.check(form.clean["kode"], gate_name, user.id)
    else:
        error = next(iter(form.errors.values()))
    return await tk.render(
        request,
        "wisata_heritage/tickets/gate.html",
        {
            "gate": gate_name,
            "answer": answer,
            "error": error,
            "key": tk.public_key(SIGNING_PURPOSE),
            "gate_reasons": gate.reason_texts(),
        },
        status_code=400 if error else 200,
    )


@get("/gerbang/kunci.json", guards=[tk.require_permission(GATE)], name="wisata_heritage:gate-key")
async def gate_key(request: Request) -> dict[str, str]:
    """The city's public key for checking tickets offline."""
    key = tk.public_key(SIGNING_PURPOSE)
    return {
        "city": tk.current_city().slug,
        "purpose": SIGNING_PURPOSE,
        "key_id": key.key_id,
        "public_key": key.raw,
        "algorithm": "Ed25519",
    }


def _parse_time(raw: object, now: datetime) -> datetime:
    try:
        when = datetime.fromisoformat(str(raw))
    except ValueError as exc:
        raise HTTPException(status_code=400, detail=tk._("A scan has no valid time.")) from exc
    if when.tzinfo is None or not now - SYNC_PAST <= when <= now + timedelta(minutes=5):
        raise HTTPException(status_code=400, detail=tk._("A scan's time is out of range."))
    return when.astimezone(UTC)


@post(
    "/gerbang/sinkron",
    guards=[tk.require_permission(GATE)],
    name="wisata_heritage:gate-sync",
    status_code=200,
)
async def gate_sync(request: Request) -> dict[str, Any]:
    """Record the admissions a gate made offline; answers what became of each.

    Body: ``{"gate": "2", "scans": [{"kode": "<payload or code>", "at": "<ISO time>"}]}``.
    """
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError) as exc:
        raise HTTPException(status_code=400, detail=tk._("The body is not JSON.")) from exc
    scans = body.get("scans") if isinstance(body, dict) else None
    if not isinstance(scans, list) or not 0 < len(scans) <= MAX_SYNC:
        raise HTTPException(
            status_code=400, detail=tk._("Send from 1 to %(max)s scans.", max=MAX_SYNC)
        )
    now = datetime.now(UTC)
    checked = []
    for scan in scans:
        if not isinstance(scan, dict) or not isinstance(scan.get("kode"), str):
            raise HTTPException(status_code=400, detail=tk._("Each scan needs a code."))
        if len(scan["kode"]) > MAX_TYPED:
            raise HTTPException(status_code=400, detail=tk._("A scan's code is too long."))
        checked.append((scan["kode"], _parse_time(scan.get("at"), now)))
    gate_name = read_gate_name(body.get("gate"))
    user = await tk.current_user(request)
    results = [
        await gate.record_offline(code, gate_name, user.id, scanned_at)
        for code, scanned_at in checked
    ]
    return {
        "results": [{"code": r.code, "outcome": r.outcome, "reason": r.reason} for r in results]
    }


OFFICE = [gate_page, gate_check, gate_key, gate_sync]
