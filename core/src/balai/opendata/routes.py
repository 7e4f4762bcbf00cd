"""Open-data pages, downloads and the JSON API.

``/data/``, ``/data/<slug>``, ``/data/<slug>.csv|.json``, ``/api/data/``, ``/api/data/<slug>``.
"""

from __future__ import annotations

import logging

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from balai.auth.access import PUBLIC
from balai.opendata import catalog
from balai.opendata.schema import DatasetData, DatasetList, summary
from balai.opendata.types import Dataset
from balai.tenants import current_city
from balai.web.api_docs import error_responses
from balai.web.rendering import city_url, render

PREVIEW_ROWS = 20
MAX_SLUG = 64
log = logging.getLogger("balai.opendata")


async def _dataset(request: Request, slug: str) -> Dataset:
    found = await catalog.find(request, slug) if len(slug) <= MAX_SLUG else None
    if found is None:
        raise NotFoundException(f"no open dataset {slug[:MAX_SLUG]!r}")
    return found


def _download_headers(filename: str) -> dict[str, str]:
    return {
        "content-disposition": f'attachment; filename="{filename}"',
        "access-control-allow-origin": "*",
    }


@get("/", opt=PUBLIC, name="opendata", include_in_schema=False)
async def index(request: Request) -> Response:
    """The city's open datasets with their descriptions and licences."""
    found = await catalog.datasets(request)
    return await render(request, "opendata/index.html", {"datasets": found})


@get("/{name:str}", opt=PUBLIC, name="opendata-dataset", include_in_schema=False)
async def dataset_page(request: Request, name: FromPath[str]) -> Response:
    """A dataset's page with a preview table, or its download as ``.csv`` / ``.json``."""
    city = current_city()
    for suffix in (".csv", ".json"):
        if name.endswith(suffix):
            dataset = await _dataset(request, name[: -len(suffix)])
            rows = await dataset.rows(city)
            filename = f"{city.slug}_{dataset.slug}{suffix}"
            if suffix == ".csv":
                return Response(
                    catalog.to_csv(dataset, rows),
                    media_type="text/csv",
                    headers=_download_headers(filename),
                )
            payload = _data(request, dataset, rows)
            return Response(
                payload, media_type="application/json", headers=_download_headers(filename)
            )
    dataset = await _dataset(request, name)
    rows = await dataset.rows(city)
    context = {
        "dataset": dataset,
        "preview": rows[:PREVIEW_ROWS],
        "row_count": len(rows),
        "api_url": city_url(request, f"/api/data/{dataset.slug}"),
    }
    return await render(request, "opendata/dataset.html", context)


def _data(request: Request, dataset: Dataset, rows: list[list]) -> DatasetData:
    return DatasetData(
        city=current_city().slug,
        dataset=summary(dataset, city_url(request, "/").rstrip("/")),
        row_count=len(rows),
        rows=catalog.records(dataset, rows),
    )


@get(
    "/",
    opt=PUBLIC,
    name="opendata-api-list",
    summary="List the city's open datasets",
    tags=["Open data"],
    responses=error_responses(404),
)
async def api_list(request: Request) -> DatasetList:
    """Every open dataset of the city with its columns, licence and download links.

    Aggregated figures only; no personal data is ever published.
    """
    base = city_url(request, "/").rstrip("/")
    found = await catalog.datasets(request)
    return DatasetList(city=current_city().slug, datasets=[summary(d, base) for d in found])


@get(
    "/{slug:str}",
    opt=PUBLIC,
    name="opendata-api-dataset",
    summary="One open dataset with its rows",
    tags=["Open data"],
    responses=error_responses(404),
)
async def api_dataset(request: Request, slug: FromPath[str]) -> DatasetData:
    """The dataset's metadata and all its rows, as objects keyed by column name."""
    dataset = await _dataset(request, slug)
    return _data(request, dataset, await dataset.rows(current_city()))


PAGES = [index, dataset_page]
API = [api_list, api_dataset]
