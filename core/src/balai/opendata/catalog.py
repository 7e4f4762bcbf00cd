"""The datasets of the current city: gathered from the plugins, found by slug, serialised."""

from __future__ import annotations

import csv
import io
import json
import logging
from typing import Any

from litestar import Request

from balai.i18n import gettext as _
from balai.opendata.types import Dataset
from balai.tenants import current_city

log = logging.getLogger("balai.opendata")


async def datasets(request: Request) -> list[Dataset]:
    """The city's datasets from every enabled plugin, by title; slugs unique."""
    city = current_city()
    found = await request.app.state.ui.registry.gather(city, "open_datasets", city=city)
    by_slug: dict[str, Dataset] = {}
    for item in found:
        if not isinstance(item, Dataset):
            log.warning(
                "open_datasets returned %r, not a toolkit.Dataset; skipped", type(item).__name__
            )
            continue
        if item.slug in by_slug:
            log.warning("open dataset slug %r given twice; the second is skipped", item.slug)
            continue
        by_slug[item.slug] = item
    return sorted(by_slug.values(), key=lambda d: _(d.title))


async def find(request: Request, slug: str) -> Dataset | None:
    """The city's dataset named ``slug``, or ``None``."""
    return next((d for d in await datasets(request) if d.slug == slug), None)


def to_csv(dataset: Dataset, rows: list[list[Any]]) -> str:
    """Header of column names, then the rows (``None`` as an empty cell)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in dataset.columns])
    for row in rows:
        writer.writerow(["" if v is None else _csv_cell(v) for v in row])
    return buffer.getvalue()


def _csv_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def records(dataset: Dataset, rows: list[list[Any]]) -> list[dict[str, Any]]:
    """Rows as objects keyed by column name."""
    names = [c.name for c in dataset.columns]
    return [dict(zip(names, row, strict=True)) for row in rows]


def to_json(payload: Any) -> str:
    """Compact UTF-8 JSON."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
