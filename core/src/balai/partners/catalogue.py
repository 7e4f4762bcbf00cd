"""The catalogue feed for delivery partners: ``GET /api/mitra/v1.0/catalogue/products``.

The products of the merchants who chose to publish to partners, read from
every plugin answering ``partner_catalogue`` (the UMKM market first), for a
partner with the ``catalogue`` service, signed as every partner request is
(:mod:`balai.partners.auth`; the query string is part of the signed path).

**Incremental.** Without ``since`` the answer starts from the beginning;
each answer gives ``nextSince``, an opaque cursor (a position per source,
``(changed_at, ref)``), and ``hasMore``. Asked with ``since`` it holds only
what changed after: products added or changed, and **tombstones**
(``removed: true``) for products deleted, hidden, or whose merchant opted
out or was suspended. The cursor stays :data:`SETTLE` behind the clock, so
a change committed a moment late by a concurrent writer is still read (a
product may come twice: partners upsert by ``id``).

**Conditional.** Each answer has a strong ``ETag`` (a digest of its body)
and, when it holds anything, ``Last-Modified`` (its newest change). A
request with a matching ``If-None-Match``, or without one and with an
``If-Modified-Since`` not older than the answer's newest change (only when
the answer is complete, ``hasMore`` false: dates are whole seconds), is
answered ``304`` with no body.

**Photos** are absolute URLs (the city's ``base_url``, else the address the
partner called) and only of files the files service serves to anyone
(``public``); another photo is left out (``photoUrl`` null).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.openapi.spec import OpenAPIResponse, OpenAPIType, Operation, Parameter
from litestar.openapi.spec import Schema as S
from litestar.params import Parameter as Query

from balai.files.service import file_url
from balai.files.tables import FileRecord
from balai.files.types import Visibility
from balai.partners import answers, api, auth
from balai.partners.api import RESPONSES, SIGNED_HEADERS, SnapBody
from balai.partners.feed_types import CatalogueCursor, CatalogueItem, CatalogueSource
from balai.partners.types import PartnerService
from balai.payments.ledger import now_utc
from balai.tenants import City, current_city
from balai.web.api_docs import ApiError, error_responses

log = logging.getLogger("balai.partners.catalogue")

FEED = "61"  # the feed's SNAP service code: this platform's choice, unverified
SETTLE = timedelta(seconds=5)
DEFAULT_LIMIT = 200
MAX_LIMIT = 500
CURSOR = re.compile(r"^[A-Za-z0-9_\-]{1,2000}={0,2}$")


async def sources(registry: Any, city: City) -> dict[str, CatalogueSource]:
    """The city's catalogue sources by plugin slug (``partner_catalogue`` answers)."""
    pairs = await registry.gather_from(city, "partner_catalogue", city=city)
    return dict(pairs)


def encode_cursor(positions: dict[str, CatalogueCursor]) -> str:
    """``nextSince``: the position reached in each source, as an opaque text."""
    data = {
        slug: [at.changed_at.astimezone(UTC).isoformat(), at.ref]
        for slug, at in sorted(positions.items())
    }
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode()


def decode_cursor(text: str, service: str = FEED) -> dict[str, CatalogueCursor]:
    """The positions of a ``since`` cursor; anything not made by :func:`encode_cursor` is a 400."""
    if not CURSOR.match(text):
        raise answers.invalid_field(service, "since")
    try:
        data = json.loads(base64.urlsafe_b64decode(text.encode()))
        positions = {
            str(slug): CatalogueCursor(datetime.fromisoformat(at).astimezone(UTC), int(ref))
            for slug, (at, ref) in data.items()
        }
    except (binascii.Error, ValueError, TypeError, AttributeError, OverflowError) as exc:
        raise answers.invalid_field(service, "since") from exc
    return positions


@dataclass(frozen=True)
class FeedPage:
    """One answer of the feed: the items (with their source) and where the next one starts."""

    items: list[tuple[str, CatalogueItem]]
    positions: dict[str, CatalogueCursor]
    has_more: bool


async def read_page(
    found: dict[str, CatalogueSource],
    after: dict[str, CatalogueCursor],
    limit: int,
    now: datetime,
) -> FeedPage:
    """The next ``limit`` changes over every source, in ``(changed_at, source, ref)`` order.

    Each source gives up to ``limit + 1``; what is left out of the page is read
    again next time, since its source's position does not pass it. A
    position never moves past ``now - SETTLE``.
    """
    merged: list[tuple[str, CatalogueItem]] = []
    for slug, source in sorted(found.items()):
        for item in await source.changes(after.get(slug), limit + 1):  # +1: is there more?
            merged.append((slug, item))
    merged.sort(key=lambda pair: (pair[1].changed_at, pair[0], pair[1].ref))
    page = merged[:limit]
    positions = {slug: at for slug, at in after.items() if slug in found}
    settled = now - SETTLE
    for slug, item in page:
        if item.changed_at <= settled:
            positions[slug] = CatalogueCursor(item.changed_at, item.ref)
    return FeedPage(page, positions, len(merged) > limit)


async def public_photos(items: list[tuple[str, CatalogueItem]]) -> set[str]:
    """The photo file ids among ``items`` that the files service serves to anyone."""
    wanted = sorted({item.photo_file for _slug, item in items if item.photo_file})
    if not wanted:
        return set()
    rows = await FileRecord.select(FileRecord.token).where(
        FileRecord.token.is_in(wanted) & (FileRecord.visibility == Visibility.PUBLIC.value)
    )
    return {row["token"] for row in rows}


def absolute(request: Request, path: str) -> str:
    """The absolute URL of a path inside the city: its ``base_url``, else the called address."""
    city = current_city()
    if city.base_url:
        return city.absolute_url(path)
    from balai.web.rendering import city_url

    return f"{request.url.scheme}://{request.url.netloc}{city_url(request, path)}"


def item_json(request: Request, slug: str, item: CatalogueItem, public: set[str]) -> dict[str, Any]:
    """A feed entry: the product, or its tombstone."""
    entry: dict[str, Any] = {
        "id": f"{slug}:{item.ref}",
        "removed": not item.listed,
        "updatedAt": item.changed_at.astimezone(UTC).isoformat(),
    }
    if not item.listed:
        return entry
    photo = item.photo_file if item.photo_file in public else ""
    entry.update(
        {
            "name": item.name,
            "price": item.price,
            "currency": "IDR",
            "unit": item.unit,
            "stock": item.stock,
            "photoUrl": absolute(request, file_url(photo)) if photo else None,
            "merchant": {
                "id": f"{slug}:{item.merchant_ref}",
                "name": item.merchant_name,
                "openingHours": item.opening_hours,
            },
        }
    )
    return entry


def _not_modified(request: Request, etag: str, newest: datetime | None, complete: bool) -> bool:
    asked = request.headers.get("if-none-match")
    if asked is not None:
        tags = {tag.strip().removeprefix("W/") for tag in asked.split(",")}
        return etag in tags or "*" in tags
    since = request.headers.get("if-modified-since")
    if since is None or newest is None or not complete:
        return False
    try:
        when = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False  # an unreadable date is ignored (RFC 9110)
    if when.tzinfo is None:
        return False
    return newest.replace(microsecond=0) <= when


def _cache_headers(etag: str, newest: datetime | None) -> dict[str, str]:
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if newest is not None:
        headers["Last-Modified"] = format_datetime(newest.astimezone(UTC), usegmt=True)
    return headers


async def feed(request: Request, registry: Any, since: str | None, limit: int) -> Response[Any]:
    """The answer to a checked feed request (a page, or 304)."""
    after = decode_cursor(since) if since else {}
    found = await sources(registry, current_city())
    page = await read_page(found, after, limit, now_utc())
    public = await public_photos(page.items)
    body = answers.success(
        FEED,
        {
            "products": [item_json(request, slug, item, public) for slug, item in page.items],
            "nextSince": encode_cursor(page.positions),
            "hasMore": page.has_more,
        },
    ).body()
    raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    etag = '"' + hashlib.sha256(raw).hexdigest()[:40] + '"'
    stamps = [item.changed_at for _slug, item in page.items]
    stamps += [at.changed_at for at in after.values()]
    newest = max(stamps, default=None)
    headers = _cache_headers(etag, newest)
    if _not_modified(request, etag, newest, not page.has_more):
        return Response(b"", status_code=304, headers=headers, media_type="application/json")
    return Response(raw, status_code=200, headers=headers, media_type="application/json")


# --- the route and its documentation ---------------------------------------------

_PRODUCT = S(
    type=OpenAPIType.OBJECT,
    required=["id", "removed", "updatedAt"],
    properties={
        "id": S(type=OpenAPIType.STRING, description="<source>:<product id>"),
        "removed": S(type=OpenAPIType.BOOLEAN, description="A tombstone: drop the product."),
        "updatedAt": S(type=OpenAPIType.STRING, format="date-time"),
        "name": S(type=OpenAPIType.STRING),
        "price": S(type=OpenAPIType.INTEGER, description="Whole rupiah per unit."),
        "currency": S(type=OpenAPIType.STRING, enum=["IDR"]),
        "unit": S(type=OpenAPIType.STRING),
        "stock": S(type=OpenAPIType.INTEGER),
        "photoUrl": S(one_of=[S(type=OpenAPIType.STRING), S(type=OpenAPIType.NULL)]),
        "merchant": S(
            type=OpenAPIType.OBJECT,
            properties={
                "id": S(type=OpenAPIType.STRING),
                "name": S(type=OpenAPIType.STRING),
                "openingHours": S(type=OpenAPIType.STRING),
            },
        ),
    },
)
FEED_BODY = S(
    type=OpenAPIType.OBJECT,
    required=["responseCode", "responseMessage", "products", "nextSince", "hasMore"],
    properties={
        "responseCode": S(type=OpenAPIType.STRING),
        "responseMessage": S(type=OpenAPIType.STRING),
        "products": S(type=OpenAPIType.ARRAY, items=_PRODUCT),
        "nextSince": S(type=OpenAPIType.STRING),
        "hasMore": S(type=OpenAPIType.BOOLEAN),
    },
)


def signed_get(body: S) -> type[Operation]:
    """An operation class for a signed GET: its SNAP headers, its 200 body and a bodiless 304."""

    @dataclass
    class SignedGet(Operation):
        """A signed GET with conditional headers and a documented 304."""

        def __post_init__(self) -> None:
            self.parameters = [
                *(self.parameters or []),
                *(
                    Parameter(
                        name=n,
                        param_in="header",
                        required=True,
                        schema=S(type=OpenAPIType.STRING, pattern=auth.HEADER_FORMS[n.lower()]),
                        description=d,
                    )
                    for n, d in SIGNED_HEADERS.items()
                ),
                Parameter(
                    name="If-None-Match",
                    param_in="header",
                    required=False,
                    schema=S(type=OpenAPIType.STRING, max_length=200),
                    description="The ETag of an earlier answer: 304 when nothing changed.",
                ),
                Parameter(
                    name="If-Modified-Since",
                    param_in="header",
                    required=False,
                    schema=S(type=OpenAPIType.STRING, max_length=40),
                    description="An HTTP date: 304 when nothing changed since (complete answers).",
                ),
            ]
            responses = dict(self.responses or {})
            ok = responses.get("200")
            if isinstance(ok, OpenAPIResponse) and ok.content:
                for media in ok.content.values():
                    media.schema = body
            responses["304"] = OpenAPIResponse(
                description="Not Modified: the answer would be the one the partner holds."
            )
            self.responses = responses

    return SignedGet


@get(
    "/v1.0/catalogue/products",
    opt=api.OPEN,
    name="partners-catalogue",
    summary="The catalogue feed: products changed since a cursor, with tombstones",
    tags=["Partners"],
    # A malformed query is refused by the framework before the signature is read.
    responses={**RESPONSES, **error_responses(400, body=SnapBody | ApiError)},
    operation_class=signed_get(FEED_BODY),
)
async def catalogue_feed(
    request: Request,
    since: Annotated[
        str | None,
        Query(pattern=CURSOR.pattern, description="nextSince of the previous answer"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> Response[SnapBody]:
    """Products of the merchants who publish to partners, incrementally and conditionally."""
    ui = request.app.state.ui
    try:
        verified = await auth.transaction(
            request, FEED, PartnerService.CATALOGUE.value, ui.config.secret_key
        )
        del verified  # checked: any partner with the service reads the same feed
        return await feed(request, ui.registry, since, limit)
    except answers.Refused as refused:
        log.info("catalogue request answered %s", refused.answer.code)
        return Response(refused.answer.body(), status_code=refused.answer.status)


ROUTES = [catalogue_feed]
