"""Cities (tenants): who they are, and which one the current work is for.

The current city lives in a context variable. The web layer sets it for each
request; the CLI, jobs and demo data set it with :func:`city_scope`. Tables
derived from :class:`balai.db.tables.CityTable` read it on every query, so a
query that runs with no city raises instead of reaching every city's rows.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo


class NoCityError(RuntimeError):
    """A city-scoped query ran outside any city."""


@dataclass(frozen=True)
class City:
    """One city served by this deployment.

    Attributes:
        slug: Short name used in URLs and rows (``malang``).
        name: Display name (``Kota Malang``).
        hosts: Host names that serve this city.
        locale: Default locale (``id`` or ``en``).
        timezone: IANA zone name (``Asia/Jakarta`` for WIB).
        theme: Theme name; falls back to ``default`` for anything it lacks.
        plugins: Enabled plugin slugs, in the order the file lists them.
        settings: Validated settings per plugin slug.
        region_code: The city's BPS/Kemendagri code (``35.73``), if known.
        base_url: Where the city's pages are, for links that leave the site
            (e-mails, documents): ``https://layanan.malangkota.go.id``; by
            default ``https://`` and the first host, or ``""`` without hosts.
        map_tiles: The tile server of the city's maps, an https URL template
            with ``{z}``, ``{x}`` and ``{y}``; ``""`` shows no map (pages keep
            their lists). Pages with a map allow exactly this host for images.
        map_attribution: Whose map the tiles are, shown on every map.
    """

    slug: str
    name: str
    hosts: tuple[str, ...] = ()
    locale: str = "id"
    timezone: str = "Asia/Jakarta"
    theme: str = "default"
    plugins: tuple[str, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    region_code: str = ""
    base_url: str = ""
    map_tiles: str = ""
    map_attribution: str = ""

    @property
    def tz(self) -> ZoneInfo:
        """The city's time zone (a ``ZoneInfo`` of ``timezone``).

        Times are stored in UTC; show one with ``moment.astimezone(city.tz)``.
        The city's today is ``datetime.now(city.tz).date()``.
        """
        return ZoneInfo(self.timezone)

    def absolute_url(self, path: str) -> str:
        """The full URL of ``path`` (a path inside the city, as ``url()`` takes).

        ``base_url`` and the path; without a base URL (no ``base_url`` and no
        ``hosts`` configured), the path alone.
        """
        if not path.startswith("/"):
            path = "/" + path
        return self.base_url + path

    def settings_for(self, plugin: str) -> Any:
        """The validated settings object of ``plugin`` for this city (or ``None``)."""
        return self.settings.get(plugin)

    def enables(self, plugin: str) -> bool:
        """Whether this city has enabled ``plugin``."""
        return plugin in self.plugins


_current: contextvars.ContextVar[City | None] = contextvars.ContextVar("balai_city", default=None)


def current_city() -> City:
    """The city the current work is for.

    Raises:
        NoCityError: when no city is set.
    """
    city = _current.get()
    if city is None:
        raise NoCityError("A city-scoped query ran outside any city; wrap it in city_scope(city).")
    return city


def current_city_or_none() -> City | None:
    """The current city, or ``None`` outside any city."""
    return _current.get()


@contextlib.contextmanager
def city_scope(city: City) -> Iterator[City]:
    """Run the enclosed block for ``city`` (CLI commands, jobs, demo data, tests)."""
    token = _current.set(city)
    try:
        yield city
    finally:
        _current.reset(token)


def set_current_city(city: City | None) -> contextvars.Token:
    """Set the current city for the rest of this task (used by the web layer)."""
    return _current.set(city)


def reset_current_city(token: contextvars.Token) -> None:
    """Undo :func:`set_current_city`."""
    _current.reset(token)


def absolute_url(path: str) -> str:
    """The full URL of ``path`` in the current city (see :meth:`City.absolute_url`).

    For links that leave the site: notifications, PDFs, QR codes.

    Raises:
        NoCityError: outside any city.
    """
    return current_city().absolute_url(path)
