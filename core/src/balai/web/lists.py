"""Paged lists: count the rows, clamp the page asked for, link the others.

:func:`paginate` runs a Piccolo ``select`` for one page of a request and
returns a :class:`Page`; the theme's ``ui.pagination`` macro renders its
links (``ui.pagination(page.number, page.pages, page.url)``). The page number
comes from the query string (``?page=`` by default): a page past the last is
the last page, and anything that is not a whole number from 1 is answered
with a 400 (:class:`PageNumberError`, which the error pages show in the
visitor's language), never a 500.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from litestar.exceptions import HTTPException

from balai.i18n import gettext as _
from balai.web.rendering import current_path

PER_PAGE = 20
MAX_PAGE = 100_000
MAX_PARAM_LENGTH = 200


class PageNumberError(HTTPException):
    """The page number in the query string is not a whole number from 1 (a 400).

    The error page shows its message (``shown``).
    """

    status_code = 400
    shown = True


@dataclass(frozen=True)
class Page:
    """One page of a list, and where it sits among all pages.

    Attributes:
        rows: This page's rows.
        number: This page's number (1 = the first), clamped to ``1..pages``.
        pages: How many pages there are (1 when the list is empty).
        total: How many rows all pages hold.
        per_page: Rows per page.
        base: The list's URL without the page parameter (kept filters included).
        param: The query-string parameter holding the page number.
    """

    rows: list[dict[str, Any]]
    number: int
    pages: int
    total: int
    per_page: int = PER_PAGE
    base: str = ""
    param: str = "page"
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def first_row(self) -> int:
        """The position (from 1) of this page's first row among all rows (0 when empty)."""
        return (self.number - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last_row(self) -> int:
        """The position of this page's last row among all rows."""
        return self.first_row + len(self.rows) - 1 if self.rows else 0

    def url(self, number: int) -> str:
        """The URL of page ``number``, with the list's other parameters kept."""
        params = dict(self.params)
        if number > 1:
            params[self.param] = str(number)
        return f"{self.base}?{urlencode(params)}" if params else self.base


def page_number(raw: str | None, *, last: int = MAX_PAGE) -> int:
    """The page number a visitor asked for (1 when none).

    Raises:
        PageNumberError: ``raw`` is not ASCII digits from 1 to ``last``.
    """
    raw = (raw or "").strip()
    if not raw:
        return 1
    if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= last):
        raise PageNumberError(detail=_("The page number must be a whole number from 1."))
    return int(raw)


def count_of(select: Any) -> Any:
    """A ``COUNT`` of the rows ``select`` reads (its conditions, city scope included)."""
    counter = select.table.count()
    counter.where_delegate._where = select.where_delegate._where
    return counter


async def paginate(
    request: Any,
    select: Any,
    *,
    per_page: int = PER_PAGE,
    param: str = "page",
    keep: Mapping[str, Any] | None = None,
    path: str | None = None,
) -> Page:
    """The page of ``select`` that ``request`` asks for.

    Args:
        request: The request; its query string gives the page number.
        select: A Piccolo ``select`` with its conditions and order (not its
            limit or offset). Its rows are counted with the same conditions.
        per_page: Rows per page.
        param: The query-string parameter of the page number.
        keep: The list's other parameters (filters, search words), kept in
            every page link; empty values are left out.
        path: The list's URL (default: the path the browser asked for).

    Raises:
        PageNumberError: the page number is not a whole number from 1 (400).
    """
    found = await read_page(select, page_number(request.query_params.get(param)), per_page)
    params = {k: str(v)[:MAX_PARAM_LENGTH] for k, v in (keep or {}).items() if v not in (None, "")}
    return replace(
        found,
        base=path if path is not None else current_path(request).split("?", 1)[0],
        param=param,
        params=params,
    )


async def read_page(select: Any, number: int, per_page: int = PER_PAGE) -> Page:
    """Page ``number`` of ``select`` (a page past the last is the last), with the count.

    For lists that read the page number themselves; :func:`paginate` is this
    plus the query string and the links.
    """
    total = await count_of(select)
    pages = max(1, -(-total // per_page))
    number = min(max(number, 1), pages)
    rows = await select.offset((number - 1) * per_page).limit(per_page)
    return Page(rows=rows, number=number, pages=pages, total=total, per_page=per_page)
