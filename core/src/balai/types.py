"""Small typed values that plugins return from hooks.

Plugins build these through :mod:`balai.toolkit`; the core reads them.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec


class Dimension(enum.StrEnum):
    """The six smart-city dimensions a plugin can serve."""

    GOVERNANCE = "governance"
    LIVING = "living"
    ECONOMY = "economy"
    BRANDING = "branding"
    SOCIETY = "society"
    ENVIRONMENT = "environment"


@dataclass(frozen=True)
class PluginInfo:
    """Who a plugin is.

    Attributes:
        slug: Unique name, also the entry-point name (``umkm_market``).
        title: Human title, a gettext msgid (shown translated).
        dimension: The smart-city dimension it serves.
        version: The plugin's version.
        description: One sentence for the plugin list (a gettext msgid).
        path: URL segment for its pages; defaults to the slug with dashes.
        department: The city department that runs it (e.g. ``Bapenda``).
    """

    slug: str
    title: str
    dimension: Dimension
    version: str
    description: str = ""
    path: str = ""
    department: str = ""

    @property
    def url_path(self) -> str:
        """The URL segment of the plugin's pages."""
        return self.path or self.slug.replace("_", "-")


@dataclass(frozen=True)
class Routes:
    """Route handlers a plugin contributes, mounted under its own prefix.

    Attributes:
        pages: Citizen pages, mounted at ``/<path>/``.
        office: Back-office pages, mounted at ``/kelola/<path>/``; every one
            needs a permission guard.
        api: JSON endpoints, mounted at ``/api/<path>/`` and listed in OpenAPI.
    """

    pages: Sequence[Any] = ()
    office: Sequence[Any] = ()
    api: Sequence[Any] = ()


@dataclass(frozen=True)
class Permission:
    """A named permission, namespaced by the plugin slug (``pajak.assess``)."""

    name: str
    description: str


@dataclass(frozen=True)
class Role:
    """A default role a plugin offers, granting a set of permissions.

    Attributes:
        name: Namespaced role name (``pajak.officer``).
        title: Human title (a gettext msgid).
        permissions: Names of the permissions the role grants.
        department: The department whose officers hold it, if any.
    """

    name: str
    title: str
    permissions: tuple[str, ...]
    department: str = ""


class NavItem(msgspec.Struct, frozen=True):
    """One entry of the citizen or office navigation.

    Immutable like the other values here, but a ``msgspec.Struct`` rather
    than a dataclass: pages ask the hooks for these on every request, and a
    frozen dataclass costs over a microsecond to build (one
    ``object.__setattr__`` per field), a struct about a tenth of that.

    Attributes:
        label: A gettext msgid, translated when shown.
        href: A path inside the city (``/pajak/``), prefixed by the core.
        order: Lower comes first.
        permission: Show only to users holding this permission.
        icon: The name of an icon of the theme's set (``house``, ``shop``, ...;
            the symbols of ``themes/default/static/img/icons.svg``), shown
            beside the label in the phone menu; ``""`` for the generic one.
    """

    label: str
    href: str
    order: int = 100
    permission: str | None = None
    icon: str = ""


class HomeTile(msgspec.Struct, frozen=True):
    """A tile on the city home page pointing at a plugin's service.

    A ``msgspec.Struct`` for the same reason as :class:`NavItem`.

    Attributes:
        title: A gettext msgid, translated when shown.
        text: A gettext msgid: one line on what the service does.
        href: A path inside the city (``/pajak/``), prefixed by the core.
        icon: The name of an icon of the theme's set (``house``, ``shop``,
            ...; the symbols of ``themes/default/static/img/icons.svg``), or
            the path of an SVG file in the plugin's own static folder
            (``tile.svg``, ``icons/tile.svg``: any name ending in ``.svg``);
            ``""`` for the generic one. Emoji are not icons: machines without
            an emoji font show them as empty boxes.
        order: Lower comes first.
    """

    title: str
    text: str
    href: str
    icon: str = ""
    order: int = 100


@dataclass(frozen=True)
class SearchResult:
    """One hit of the site-wide search."""

    title: str
    href: str
    snippet: str = ""
    kind: str = ""


@dataclass(frozen=True)
class DemoAccount:
    """An account created by demo data, printed when the demo starts."""

    city: str
    login: str
    password: str
    role: str


@dataclass
class DemoReport:
    """What a plugin's demo-data hook created, for the start-up banner."""

    accounts: list[DemoAccount] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PersonalData:
    """What one service holds about a citizen, for their copy of their data (``personal_data``).

    Attributes:
        source: What these records are (a msgid: ``"Health cover applications"``).
        records: One mapping per record, field label (a msgid) -> value as
            text, in the order to show. The citizen's own data in full: this
            is their copy, not a page others see.
        kept: Why the city keeps these records when the account is erased
            (a msgid naming the law or duty), or ``""`` when they are erased.
    """

    source: str
    records: tuple[dict[str, str], ...]
    kept: str = ""
