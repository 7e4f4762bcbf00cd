"""Every route declares its access: a guard or the explicit public marker."""

from __future__ import annotations

import pytest
from balai import toolkit as tk
from balai.auth.access import city_guard, unguarded_routes
from balai.plugins import BUILTIN_SLUGS
from balai.web.app import StartupError, create_app
from litestar import get
from litestar.response import Response
from test_platform_uji_plugin import uji_registry


def test_no_route_of_the_core_or_any_installed_plugin_lacks_a_guard(balai_app_factory):
    registry = uji_registry(all_installed=True)
    plugins = [slug for slug in registry.plugins if slug not in BUILTIN_SLUGS]
    app = balai_app_factory(cities={"malang": plugins, "semarang": []}, registry=registry)
    assert len(app.litestar.routes) > 5
    assert unguarded_routes(app.litestar, [city_guard]) == []


@get("/terbuka-tanpa-tanda", name="uji-unmarked")
async def unmarked_page() -> Response:
    """A page that forgot to say who may open it."""
    return Response("oops")


@get("/kantor", name="uji-office-no-permission", guards=[tk.require_login])
async def office_without_permission() -> Response:
    """An office page guarded by login only."""
    return Response("oops")


def test_a_plugin_route_without_guard_or_public_marker_stops_start_up(balai_config):
    with pytest.raises(StartupError) as failure:
        create_app(balai_config, registry=uji_registry(extra_pages=(unmarked_page,)))
    assert "/uji/terbuka-tanpa-tanda" in str(failure.value)


def test_an_office_route_needs_a_permission_guard(balai_config):
    with pytest.raises(StartupError) as failure:
        create_app(balai_config, registry=uji_registry(extra_office=(office_without_permission,)))
    assert "/kelola/uji/kantor" in str(failure.value)
    assert "require_permission" in str(failure.value)


def test_public_marker_and_guards_are_both_accepted(balai_config):
    app = create_app(balai_config, registry=uji_registry())
    paths = {route.path for route in app.litestar.routes}
    assert {"/uji", "/uji/rusak", "/masuk", "/kelola/pengguna"} <= paths
