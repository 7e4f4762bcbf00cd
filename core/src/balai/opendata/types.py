"""What an open dataset is: metadata, typed columns, a licence and aggregated rows.

Plugins return :class:`Dataset` values from the ``open_datasets`` hook. The
rows are public and downloadable: aggregated figures only, never personal
data (see the hook's documentation).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from balai.tenants import City
from balai.types import Dimension

ColumnType = Literal["string", "integer", "number", "date", "month", "boolean"]
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COLUMN = re.compile(r"^[a-z][a-z0-9_]*$")


class DatasetError(ValueError):
    """A dataset's rows do not match its declared columns."""


@dataclass(frozen=True)
class Licence:
    """The licence a dataset is published under (shown with its URL as text)."""

    name: str
    url: str


CC_BY_4 = Licence("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")


@dataclass(frozen=True)
class DatasetColumn:
    """One column of a dataset.

    Attributes:
        name: Machine name, lower case with ``_`` (also the CSV header).
        type: ``string``, ``integer``, ``number``, ``date`` (``2026-11-05``),
            ``month`` (``2026-11``) or ``boolean``.
        description: What the column holds (a gettext msgid).
    """

    name: str
    type: ColumnType
    description: str

    def __post_init__(self) -> None:
        if not _COLUMN.match(self.name):
            raise ValueError(f"column name {self.name!r} must be lower case letters, digits and _")
        if self.type not in ("string", "integer", "number", "date", "month", "boolean"):
            raise ValueError(f"column {self.name!r}: unknown type {self.type!r}")


RowFetcher = Callable[[City], Awaitable[Sequence[Mapping[str, Any]]]]


@dataclass(frozen=True)
class Dataset:
    """An open dataset of one city.

    Attributes:
        slug: URL name, lower case words joined by ``-`` (``accounts-monthly``).
        title: A gettext msgid.
        description: What the data is, where it comes from, how often it
            changes (a gettext msgid).
        dimension: The smart-city dimension it belongs to.
        columns: The columns, in order.
        fetch: ``async def fetch(city) -> rows``: each row a mapping of
            column name to value. Aggregated rows only, never personal data.
        licence: Defaults to CC BY 4.0.
        publisher: Who publishes it (a department), shown with the licence.
    """

    slug: str
    title: str
    description: str
    dimension: Dimension
    columns: tuple[DatasetColumn, ...]
    fetch: RowFetcher
    licence: Licence = CC_BY_4
    publisher: str = ""

    def __post_init__(self) -> None:
        if not _SLUG.match(self.slug) or len(self.slug) > 60:
            raise ValueError(f"dataset slug {self.slug!r} must be lower-case words joined by '-'")
        if not self.columns:
            raise ValueError(f"dataset {self.slug!r} needs at least one column")
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"dataset {self.slug!r} names a column twice")

    async def rows(self, city: City) -> list[list[Any]]:
        """The rows for ``city`` as lists in column order, values checked against the types.

        Raises:
            DatasetError: a row lacks a column or holds a value of another type.
        """
        out = []
        for index, row in enumerate(await self.fetch(city)):
            values = []
            for column in self.columns:
                if column.name not in row:
                    raise DatasetError(f"dataset {self.slug!r}: row {index} lacks {column.name!r}")
                values.append(_checked(self.slug, column, row[column.name]))
            out.append(values)
        return out


def _checked(slug: str, column: DatasetColumn, value: Any) -> Any:
    if value is None:
        return None
    kind = column.type
    ok = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "date": lambda v: isinstance(v, date | str),
        "month": lambda v: isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}", v) is not None,
    }[kind]
    if not ok(value):
        raise DatasetError(f"dataset {slug!r}: column {column.name!r} wants {kind}, got {value!r}")
    if kind == "date" and not isinstance(value, str):
        return (value.date() if isinstance(value, datetime) else value).isoformat()
    return value
