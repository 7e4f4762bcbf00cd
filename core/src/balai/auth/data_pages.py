"""The citizen's copy of their data: every service's records about them, as a page and as JSON.

Each plugin (and the core, for the account itself) answers the
``personal_data`` hook with its own tables; the page says which records the
city keeps when the account is erased, and why. Every copy taken is audited.
"""

from __future__ import annotations

import json
from typing import Any

from litestar import Request, Response, get

from balai.audit.log import record as audit_record
from balai.audit.tables import ErasureRequest
from balai.auth.access import current_user, require_login
from balai.i18n import gettext as _
from balai.tenants import current_city
from balai.types import PersonalData
from balai.web.rendering import render


async def collect(request: Request, user_id: int) -> list[PersonalData]:
    """Every service's records about ``user_id`` in the current city, the account first.

    The hook's answers come last-registered first (pluggy's order); the core
    registers first, so the list is turned round to start with the account.
    """
    city = current_city()
    found = await request.app.state.ui.registry.gather(
        city, "personal_data", city=city, user_id=user_id
    )
    return [item for item in reversed(found) if item.records]


def as_json(sections: list[PersonalData]) -> dict[str, Any]:
    """The sections as the JSON document (labels and sources in the reader's language)."""
    return {
        "sections": [
            {
                "source": _(s.source),
                "kept_on_erasure": _(s.kept) if s.kept else None,
                "records": [{_(k): v for k, v in r.items()} for r in s.records],
            }
            for s in sections
        ]
    }


@get("/akun/data", guards=[require_login], name="my-data")
async def my_data(request: Request) -> Response:
    """Everything the city holds about the visitor, readable, with what erasure would keep."""
    user = await current_user(request)
    sections = await collect(request, user.id)
    await audit_record("core.data_copied", actor_id=user.id, request=request, subject="page")
    erasure = await (
        ErasureRequest.select()
        .where(ErasureRequest.user_id == user.id)
        .order_by(ErasureRequest.id, ascending=False)
        .first()
    )
    return await render(
        request,
        "auth/my_data.html",
        {"sections": sections, "erasure": erasure, "is_officer": user.is_officer},
    )


@get("/akun/data.json", guards=[require_login], name="my-data-json")
async def my_data_json(request: Request) -> Response:
    """The same as JSON, to download."""
    user = await current_user(request)
    sections = await collect(request, user.id)
    await audit_record("core.data_copied", actor_id=user.id, request=request, subject="json")
    return Response(
        json.dumps(as_json(sections), ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="data-saya.json"',
            "Cache-Control": "private, no-store",
        },
    )


ROUTES = [my_data, my_data_json]
