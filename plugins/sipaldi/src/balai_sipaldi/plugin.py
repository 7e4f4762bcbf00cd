"""Everything the ``sipaldi`` plugin contributes to Balai, in one place.

SIPALDI (*Sistem Pengelolaan Air Limbah Domestik*): the city's domestic
wastewater services, run by DLH. The skeleton shows the desludging fee and
the truck's planned visits to citizens, and the bookings to officers.
"""

from __future__ import annotations

from balai import toolkit as tk

from balai_sipaldi import __version__, demo, routes
from balai_sipaldi.settings import DesludgingSettings

SLUG = "sipaldi"
DEPARTMENT = "DLH"
MANAGE = routes.MANAGE
# Words (Indonesian and English) that lead the site-wide search to this service.
# Bookings hold home addresses and are never searched.
SEARCH_WORDS = frozenset(
    {
        "sipaldi",
        "tinja",
        "septik",
        "septic",
        "sedot",
        "wc",
        "lumpur",
        "iplt",
        "limbah",
        "desludging",
        "wastewater",
        "sewage",
    }
)


@tk.hookimpl
def plugin_info() -> tk.PluginInfo:
    """Who the plugin is."""
    return tk.PluginInfo(
        slug=SLUG,
        title="Septic tank desludging",
        dimension=tk.Dimension.ENVIRONMENT,
        version=__version__,
        description="Book the city's truck to empty your septic tank safely.",
        department=DEPARTMENT,
    )


@tk.hookimpl
def settings_schema() -> type[DesludgingSettings]:
    """What a city can set: the disposal fee per cubic metre."""
    return DesludgingSettings


@tk.hookimpl
def piccolo_apps() -> list[str]:
    """The bookings table and its migrations."""
    return ["balai_sipaldi.piccolo_app"]


@tk.hookimpl
def register_routes() -> tk.Routes:
    """The public fee and visits page and the officers' list."""
    return tk.Routes(pages=routes.PAGES, office=routes.OFFICE)


@tk.hookimpl
def permissions() -> list[tk.Permission]:
    """Scheduling the city's desludging trucks."""
    return [tk.Permission(MANAGE, "Schedule desludging bookings")]


@tk.hookimpl
def roles() -> list[tk.Role]:
    """DLH's wastewater officers."""
    return [tk.Role("sipaldi.officer", "Wastewater officer", (MANAGE,), department=DEPARTMENT)]


@tk.hookimpl
def nav_items(request) -> list[tk.NavItem]:
    """Desludging in the citizens' menu."""
    return [tk.NavItem("Septic tank desludging", "/sipaldi/", order=60, icon="truck")]


@tk.hookimpl
def office_nav_items(request) -> list[tk.NavItem]:
    """The bookings list, for wastewater officers."""
    return [tk.NavItem("Desludging bookings", "/kelola/sipaldi/", order=60, permission=MANAGE)]


@tk.hookimpl
def home_tiles(request) -> list[tk.HomeTile]:
    """A tile leading to desludging."""
    return [
        tk.HomeTile(
            title="Septic tank desludging",
            text="Book the city's truck to empty your septic tank safely.",
            href="/sipaldi/",
            icon="truck",
            order=60,
        )
    ]


@tk.hookimpl
def search(request, query: str) -> list[tk.SearchResult]:
    """Wastewater words find the service page; bookings are never searched."""
    if not SEARCH_WORDS.intersection(query.lower().split()):
        return []
    return [
        tk.SearchResult(
            title=tk._("Septic tank desludging"),
            href="/sipaldi/",
            snippet=tk._("Book the city's truck to empty your septic tank safely."),
            kind=tk._("Service"),
        )
    ]


@tk.hookimpl
async def seed_demo(city: tk.City) -> tk.DemoReport:
    """Bookings around today, done, cancelled and planned."""
    return await demo.seed(city)
