"""The JSON shapes of the open-data API, as msgspec Structs (they document the OpenAPI schema)."""

from __future__ import annotations

from typing import Any

import msgspec

from balai.i18n import gettext as _
from balai.opendata.types import Dataset


class LicenceOut(msgspec.Struct):
    """The licence of a dataset."""

    name: str
    url: str


class ColumnOut(msgspec.Struct):
    """One column: machine name, type and what it holds."""

    name: str
    type: str
    description: str


class DatasetSummary(msgspec.Struct):
    """A dataset in the list, with links to its downloads."""

    slug: str
    title: str
    description: str
    dimension: str
    licence: LicenceOut
    publisher: str
    columns: list[ColumnOut]
    url: str
    csv_url: str
    json_url: str


class DatasetList(msgspec.Struct):
    """All open datasets of the city."""

    city: str
    datasets: list[DatasetSummary]


class DatasetData(msgspec.Struct):
    """One dataset's metadata and all its rows (objects keyed by column name)."""

    city: str
    dataset: DatasetSummary
    row_count: int
    rows: list[dict[str, Any]]


def summary(dataset: Dataset, base: str) -> DatasetSummary:
    """The dataset's metadata, translated, with absolute paths under ``base`` (the city prefix)."""
    return DatasetSummary(
        slug=dataset.slug,
        title=_(dataset.title),
        description=_(dataset.description),
        dimension=dataset.dimension.value,
        licence=LicenceOut(dataset.licence.name, dataset.licence.url),
        publisher=dataset.publisher,
        columns=[ColumnOut(c.name, c.type, _(c.description)) for c in dataset.columns],
        url=f"{base}/data/{dataset.slug}",
        csv_url=f"{base}/data/{dataset.slug}.csv",
        json_url=f"{base}/data/{dataset.slug}.json",
    )
