"""Open311 GeoReport v2 for the city, at ``/api/pengaduan/georeport/v2/``.

Resources, each as ``.json`` or ``.xml``: ``services`` (the categories),
``services/{service_code}`` (a definition; no extra attributes), ``POST
requests`` (a report, with an API key the city registered), ``GET requests``
(search by id, service, status and date, newest first, at most
``page_size``) and ``requests/{service_request_id}``. A search without
``start_date`` covers the :data:`DEFAULT_DAYS` days up to ``end_date`` (or
now), the window the specification suggests by default; a page holds at most
:data:`MAX_PAGE` requests (``page_size``, default 50): fewer than the
specification's suggested 1,000, so that a page stays fast at a million
reports; clients page back with ``end_date``. Times are W3C (ISO
8601 with the city's offset); status is ``open`` or ``closed``. Errors are
the specification's list of ``{code, description}``: 400 for a missing or
bad field, 403 for a wrong key, 404 for an unknown id. Only the JSON forms
are in the OpenAPI document (it describes JSON answers only).

Contact fields of a request (name, e-mail, phone, device) are not stored:
the client application keeps its user and is the way back to them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

import msgspec
from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, Parameter, RequestBody
from litestar.openapi.spec import Schema as S
from litestar.params import FromPath

from balai_pengaduan.handling.workflow import CLOSED_STATES, FLOW, NUMBERS, OPEN_STATES
from balai_pengaduan.open311 import formats, keys
from balai_pengaduan.reports import service
from balai_pengaduan.settings import Category, city_settings
from balai_pengaduan.tables import Photo, Report

OPEN = {**tk.PUBLIC, "exclude_from_csrf": True}
TAGS = ["Open311 GeoReport v2"]
MAX_DESCRIPTION = 2000
MAX_PAGE = 200  # requests per search page (page_size 1..200)
DEFAULT_DAYS = 90  # a search without start_date: this many days up to end_date or now
_CODE = r"[a-z0-9][a-z0-9_-]{0,39}"
_NUMBER = r"[A-Za-z0-9-]{10,30}"
CODES = re.compile(rf"^{_CODE}(,{_CODE})*$")
NUMBERS_LIST = re.compile(rf"^{_NUMBER}(,{_NUMBER})*$")
STATUSES = re.compile(r"^(open|closed)(,(open|closed))*$")
W3C = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})$"
)
DEGREES = re.compile(r"^-?[0-9]{1,3}(\.[0-9]{1,15})?([eE]-?[0-9]{1,3})?$")


class Service(msgspec.Struct):
    """One service (category) of the city."""

    service_code: str
    service_name: str
    description: str
    metadata: bool
    type: str
    keywords: str
    group: str


class Attribute(msgspec.Struct):
    """An extra question of a service (none are asked here)."""

    variable: bool
    code: str
    datatype: str
    required: bool
    datatype_description: str
    order: int
    description: str


class ServiceDefinition(msgspec.Struct):
    """A service's definition: its code and extra attributes."""

    service_code: str
    attributes: list[Attribute]


class ServiceRequest(msgspec.Struct):
    """A report as Open311 shows it (no reporter)."""

    service_request_id: str
    status: str
    status_notes: str
    service_name: str
    service_code: str
    description: str
    agency_responsible: str
    service_notice: str
    requested_datetime: str
    updated_datetime: str
    expected_datetime: str
    address: str
    address_id: str
    zipcode: str
    lat: float | None
    long: float | None
    media_url: str


class Created(msgspec.Struct):
    """The answer to a new request: its id at once."""

    service_request_id: str
    service_notice: str
    account_id: str


class Open311Error(msgspec.Struct):
    """One error, as the specification writes it."""

    code: int
    description: str


ERRORS = list[Open311Error]


def _w3c(moment: datetime | None) -> str:
    if moment is None:
        return ""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(tk.current_city().tz).isoformat(timespec="seconds")


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or category.name,
        "metadata": False,
        "type": "realtime",
        "keywords": "darurat" if category.emergency else "",
        "group": category.group,
    }


def _operation(*, path_pattern: str | None = None, form: S | None = None) -> type[Operation]:
    """An operation whose path parameter says ``.json`` and whose body is a form."""

    @dataclass
    class Open311Operation(Operation):
        def __post_init__(self) -> None:
            if path_pattern:
                for parameter in self.parameters or []:
                    if parameter.param_in == "path":
                        parameter.schema = S(type=OpenAPIType.STRING, pattern=path_pattern)
            if form is not None:
                self.request_body = RequestBody(
                    content={"application/x-www-form-urlencoded": OpenAPIMediaType(schema=form)},
                    required=True,
                )

    return Open311Operation


# --- services ------------------------------------------------------------------------------


async def _services(fmt: str) -> Response:
    items = [_service(c) for c in city_settings().categories]
    return formats.answer(fmt, "services", "service", items)


@get(
    "/georeport/v2/services.json",
    opt=OPEN,
    name="pengaduan:o311-services",
    tags=TAGS,
    summary="The city's services (complaint categories)",
    responses=tk.error_responses(body=ERRORS | tk.ApiError),
)
async def services_json(request: Request) -> Response[list[Service]]:
    """Every category of the city as an Open311 service."""
    return await _services("json")


@get(
    "/georeport/v2/services.xml",
    opt=OPEN,
    name="pengaduan:o311-services-xml",
    include_in_schema=False,
)
async def services_xml(request: Request) -> Response:
    """The same list in XML."""
    return await _services("xml")


@get(
    "/georeport/v2/services/{service_file:str}",
    opt=OPEN,
    name="pengaduan:o311-service",
    tags=TAGS,
    summary="A service's definition (``{service_code}.json``)",
    responses=tk.error_responses(404, body=ERRORS | tk.ApiError),
    operation_class=_operation(path_pattern=rf"^{_CODE}\.json$"),
)
async def service_definition(
    request: Request, service_file: FromPath[str]
) -> Response[ServiceDefinition]:
    """The definition of one service: no extra attributes are asked."""
    parsed = formats.split_format(service_file)
    if parsed is None:
        return formats.errors("json", 404, tk._("Ask for {service_code}.json or .xml."))
    code, fmt = parsed
    category = city_settings().category(code)
    if category is None:
        return formats.errors(fmt, 404, tk._("No service of this city has that code."))
    return formats.single(
        fmt, "service_definition", {"service_code": category.code, "attributes": []}
    )


# --- requests --------------------------------------------------------------------------------


NO_NUL = r"^[^\x00]*$"  # the core refuses a NUL anywhere in a form (PostgreSQL cannot store it)


def _form_schema() -> S:
    text = S(type=OpenAPIType.STRING, pattern=NO_NUL)
    return S(
        type=OpenAPIType.OBJECT,
        required=["api_key", "service_code", "description", "lat", "long"],
        additional_properties=False,
        properties={
            "api_key": S(type=OpenAPIType.STRING, min_length=1, max_length=100, pattern=NO_NUL),
            "service_code": S(type=OpenAPIType.STRING, pattern=f"^{_CODE}$"),
            "description": S(
                type=OpenAPIType.STRING, min_length=10, max_length=MAX_DESCRIPTION, pattern=NO_NUL
            ),
            "lat": S(type=OpenAPIType.NUMBER, minimum=-90, maximum=90),
            "long": S(type=OpenAPIType.NUMBER, minimum=-180, maximum=180),
            "address_string": S(type=OpenAPIType.STRING, max_length=200, pattern=NO_NUL),
            "media_url": S(type=OpenAPIType.STRING, max_length=500, pattern=NO_NUL),
            "email": text,
            "first_name": text,
            "last_name": text,
            "phone": text,
            "device_id": text,
            "account_id": text,
            "jurisdiction_id": text,
        },
    )


def _degrees(raw: str, limit: float) -> float | None:
    if not DEGREES.match(raw):
        return None
    value = float(raw)
    return value if abs(value) <= limit else None


class DegreesField(tk.Field):
    """``lat`` or ``long`` as Open311 clients send them (decimal, maybe with an exponent)."""

    def __init__(self, label: str, *, limit: float, **options: Any) -> None:
        super().__init__(label, **options)
        self.limit = limit

    def parse(self, text: str) -> float:
        """The degrees, within ``±limit``."""
        value = _degrees(text, self.limit)
        if value is None:
            raise tk.FieldError(tk._("lat and long must both be decimal degrees."))
        return value


class RequestForm(tk.Form):
    """The fields of a POST service request, by the specification's names.

    Each refusal is worded as the specification's error ``description``;
    what the fields cannot say alone (a service of this city, a place) the
    route checks.
    """

    api_key = tk.TextField("api_key", max_length=100, required=False)
    service_code = tk.TextField(
        "service_code",
        max_length=40,
        required=False,
        invalid=tk.N_("No service of this city has that service_code."),
    )
    description = tk.TextField(
        "description",
        multiline=True,
        min_length=10,
        max_length=MAX_DESCRIPTION,
        required=False,
        invalid=tk.N_("description must have 10 to 2000 characters."),
    )
    lat = DegreesField(
        "lat", limit=90, required=False, invalid=tk.N_("lat and long must both be decimal degrees.")
    )
    long = DegreesField(
        "long",
        limit=180,
        required=False,
        invalid=tk.N_("lat and long must both be decimal degrees."),
    )
    address_string = tk.TextField(
        "address_string",
        max_length=200,
        required=False,
        invalid=tk.N_("address_string must have at most 200 characters."),
    )
    media_url = tk.TextField(
        "media_url",
        max_length=500,
        required=False,
        invalid=tk.N_("media_url must have at most 500 characters."),
    )


async def _create(request: Request, fmt: str) -> Response:
    form = RequestForm(await request.form())
    await form.validate()
    clean, refused = form.clean, form.errors
    client = await keys.client_for(clean.get("api_key") or "")
    if client is None:
        return formats.errors(fmt, 403, tk._("The api_key is missing or not valid."))
    problems: list[str] = list(dict.fromkeys(refused.values()))
    code = clean.get("service_code") or ""
    category = city_settings().category(code) if code else None
    if "service_code" not in refused:
        if not code:
            problems.append(tk._("service_code is required."))
        elif category is None:
            problems.append(tk._("No service of this city has that service_code."))
    description = clean.get("description") or ""
    if not description and "description" not in refused:
        problems.append(tk._("description must have 10 to 2000 characters."))
    lat, long = clean.get("lat"), clean.get("long")
    address = clean.get("address_string") or ""
    if "lat" in refused or "long" in refused:
        pass  # worded above
    elif lat is not None or long is not None:
        if lat is None or long is None:
            problems.append(tk._("lat and long must both be decimal degrees."))
        else:
            bounds = city_settings().bounds
            if bounds is not None and not bounds.contains(lat, long):
                problems.append(tk._("The location is outside the city."))
    elif not address and "address_string" not in refused:
        problems.append(tk._("A location is required: lat and long, or address_string."))
    if problems or category is None:
        return formats.errors(fmt, 400, *problems)
    row = await service.create(
        service.NewReport(
            category=category,
            description=description,
            address=address,
            latitude=lat,
            longitude=long,
            source="open311",
            client_id=client["id"],
        )
    )
    notice = (
        tk._(
            "Urgent: call %(number)s if lives are at risk.", number=city_settings().emergency_number
        )
        if category.emergency
        else ""
    )
    item = {"service_request_id": row["number"], "service_notice": notice, "account_id": ""}
    return formats.answer(fmt, "service_requests", "request", [item], status=201)


@post(
    "/georeport/v2/requests.json",
    opt=OPEN,
    name="pengaduan:o311-create",
    tags=TAGS,
    summary="Make a service request (a report) with the client's api_key",
    status_code=201,
    responses=tk.error_responses(403, body=ERRORS | tk.ApiError),
    operation_class=_operation(form=_form_schema()),
)
async def create_json(request: Request) -> Response[list[Created]]:
    """A new report from a client application; its number at once."""
    return await _create(request, "json")


@post(
    "/georeport/v2/requests.xml",
    opt=OPEN,
    name="pengaduan:o311-create-xml",
    include_in_schema=False,
    status_code=201,
)
async def create_xml(request: Request) -> Response:
    """The same in XML."""
    return await _create(request, "xml")


async def _as_requests(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    settings = city_settings()
    ids = [r["id"] for r in rows]
    photos: dict[int, str] = {}
    if ids:
        for p in await Photo.select(Photo.report_id, Photo.file_id).where(
            Photo.report_id.is_in(ids) & (Photo.cleared == True)  # noqa: E712
        ):
            photos.setdefault(p["report_id"], tk.absolute_url(tk.file_url(p["file_id"])))
    out = []
    for r in rows:
        category = settings.category(r["category"])
        department = settings.department(r["department"])
        place = ", ".join(x for x in (r["address"], r["kelurahan"]) if x)
        out.append(
            {
                "service_request_id": r["number"],
                "status": "open" if r["status"] in OPEN_STATES else "closed",
                "status_notes": FLOW.label(r["status"]),
                "service_name": category.name if category else r["category"],
                "service_code": r["category"],
                "description": r["description"],
                "agency_responsible": department.name if department else r["department"],
                "service_notice": "",
                "requested_datetime": _w3c(r["created_at"]),
                "updated_datetime": _w3c(r["updated_at"]),
                "expected_datetime": _w3c(r["resolution_due"])
                if r["status"] in OPEN_STATES
                else "",
                "address": place,
                "address_id": "",
                "zipcode": "",
                "lat": r["latitude"],
                "long": r["longitude"],
                "media_url": photos.get(r["id"], ""),
            }
        )
    return out


COLUMNS = (
    Report.id,
    Report.number,
    Report.status,
    Report.category,
    Report.department,
    Report.description,
    Report.created_at,
    Report.updated_at,
    Report.resolution_due,
    Report.address,
    Report.kelurahan,
    Report.latitude,
    Report.longitude,
)


def _moment(raw: str | None) -> datetime | bool | None:
    """The time sent (W3C); ``None`` when absent; ``False`` when malformed (or empty)."""
    if raw is None:
        return None
    if not W3C.match(raw):
        return False
    try:
        moment = datetime.fromisoformat(raw.upper().replace(" ", "T"))
    except ValueError:
        return False
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def list_select(
    codes: list[str], statuses: list[str], start: datetime | None, end: datetime | None, size: int
):
    """The search, newest first: index (city, created_at) or (city, category, created_at)."""
    query = Report.select(*COLUMNS)
    if codes:
        query = query.where(Report.category.is_in(codes))
    if statuses and set(statuses) != {"open", "closed"}:
        wanted = OPEN_STATES if statuses[0] == "open" else CLOSED_STATES
        query = query.where(Report.status.is_in(list(wanted)))
    if start is not None:
        query = query.where(Report.created_at >= start)
    if end is not None:
        query = query.where(Report.created_at <= end)
    return (
        query.order_by(Report.created_at, ascending=False)
        .order_by(Report.id, ascending=False)
        .limit(size)
    )


async def _search(request: Request, fmt: str) -> Response:
    # A parameter sent empty is malformed, as the document says (absent is fine);
    # the framework's query_params drop empty values, so read the query string.
    query = request.scope.get("query_string", b"").decode("latin-1")
    params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
    ids_raw = params.get("service_request_id")
    codes_raw = params.get("service_code")
    status_raw = params.get("status")
    start, end = _moment(params.get("start_date")), _moment(params.get("end_date"))
    size_raw = params.get("page_size")
    size = tk.plain_int(size_raw) if size_raw is not None else 50
    problems = []
    if ids_raw is not None and not NUMBERS_LIST.match(ids_raw):
        problems.append(tk._("service_request_id is a comma-separated list of request ids."))
    if codes_raw is not None and not CODES.match(codes_raw):
        problems.append(tk._("service_code is a comma-separated list of service codes."))
    if status_raw is not None and not STATUSES.match(status_raw):
        problems.append(tk._("status is open, closed, or both separated by a comma."))
    if start is False or end is False:
        problems.append(tk._("Dates are W3C date-times, such as 2026-12-01T00:00:00+07:00."))
    if size is None or not 1 <= size <= MAX_PAGE:
        problems.append(tk._("page_size is a whole number from 1 to 200."))
    if problems:
        return formats.errors(fmt, 400, *problems)
    if start is None:
        start = (end or datetime.now(UTC)) - timedelta(days=DEFAULT_DAYS)
    if ids_raw:
        numbers = [n for n in (NUMBERS.parse(x) for x in ids_raw.split(",")[:MAX_PAGE]) if n]
        rows = await Report.select(*COLUMNS).where(Report.number.is_in(numbers)) if numbers else []
    else:
        rows = await list_select(
            codes_raw.split(",") if codes_raw else [],
            status_raw.split(",") if status_raw else [],
            start or None,
            end or None,
            size,
        )
    return formats.answer(fmt, "service_requests", "request", await _as_requests(rows))


_QUERY = {
    "service_request_id": rf"^{_NUMBER}(,{_NUMBER})*$",
    "service_code": rf"^{_CODE}(,{_CODE})*$",
    "status": r"^(open|closed)(,(open|closed))*$",
}


@dataclass
class SearchOperation(Operation):
    """The search's query parameters, with the forms the handler accepts."""

    def __post_init__(self) -> None:
        fields = [
            Parameter(
                name=name,
                param_in="query",
                required=False,
                schema=S(type=OpenAPIType.STRING, pattern=pattern),
            )
            for name, pattern in _QUERY.items()
        ]
        fields += [
            Parameter(
                name=name,
                param_in="query",
                required=False,
                description=description,
                schema=S(type=OpenAPIType.STRING, format="date-time"),
            )
            for name, description in (
                ("start_date", f"Default: {DEFAULT_DAYS} days before end_date (or now)."),
                ("end_date", "Default: now."),
            )
        ]
        fields.append(
            Parameter(
                name="page_size",
                param_in="query",
                required=False,
                description=f"Requests per page, newest first: 1 to {MAX_PAGE}, default 50.",
                schema=S(type=OpenAPIType.INTEGER, minimum=1, maximum=MAX_PAGE),
            )
        )
        self.parameters = fields


@get(
    "/georeport/v2/requests.json",
    opt=OPEN,
    name="pengaduan:o311-search",
    tags=TAGS,
    summary="Search requests by id, service, status and date (newest first)",
    responses=tk.error_responses(body=ERRORS | tk.ApiError),
    operation_class=SearchOperation,
)
async def search_json(request: Request) -> Response[list[ServiceRequest]]:
    """Requests of the city matching the filters."""
    return await _search(request, "json")


@get(
    "/georeport/v2/requests.xml",
    opt=OPEN,
    name="pengaduan:o311-search-xml",
    include_in_schema=False,
)
async def search_xml(request: Request) -> Response:
    """The same in XML."""
    return await _search(request, "xml")


@get(
    "/georeport/v2/requests/{request_file:str}",
    opt=OPEN,
    name="pengaduan:o311-request",
    tags=TAGS,
    summary="One request (``{service_request_id}.json``)",
    responses=tk.error_responses(404, body=ERRORS | tk.ApiError),
    operation_class=_operation(path_pattern=rf"^{_NUMBER}\.json$"),
)
async def one_request(
    request: Request, request_file: FromPath[str]
) -> Response[list[ServiceRequest]]:
    """One request, as a list of one (as the specification answers)."""
    parsed = formats.split_format(request_file)
    if parsed is None:
        return formats.errors("json", 404, tk._("Ask for {service_request_id}.json or .xml."))
    raw, fmt = parsed
    number = NUMBERS.parse(raw)
    row = await Report.select(*COLUMNS).where(Report.number == number).first() if number else None
    if row is None:
        return formats.errors(fmt, 404, tk._("No request of this city has that id."))
    return formats.answer(fmt, "service_requests", "request", await _as_requests([row]))


API = [
    services_json,
    services_xml,
    service_definition,
    create_json,
    create_xml,
    search_json,
    search_xml,
    one_request,
]
