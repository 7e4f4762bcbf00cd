"""The per-request path's shortcuts keep litestar's behaviour.

Page views take a shorter CSRF path, the session middleware skips the
route's encoder lookup for plain JSON sessions, and hook results are
gathered in one loop; each must answer exactly as the longer way did. Also the
home tiles' icons: a theme symbol by name, or an SVG file of the plugin.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

import pytest
from balai.auth.accounts import create_user
from balai.auth.sessions import RotatingSessionBackend, SessionConfig
from balai.plugins import PluginRegistry
from balai.tenants import City
from balai.types import HomeTile, NavItem
from balai.web.rendering import csrf_input
from litestar.middleware.csrf import CSRFMiddleware as LitestarCSRFMiddleware
from markupsafe import Markup

PASSWORD = "rahasia-panjang-42"
TOKEN_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')


def _set_cookie_names(response) -> list[str]:
    return [v.split("=", 1)[0] for k, v in response.headers.multi_items() if k == "set-cookie"]


def test_a_first_page_view_sets_the_csrf_cookie_its_form_carries(client):
    page = client.get("/malang/masuk")
    assert page.status_code == 200
    assert _set_cookie_names(page) == ["balai_csrf"]
    cookie = client.cookies.get("balai_csrf")
    assert TOKEN_FIELD.search(page.text).group(1) == cookie


def test_later_page_views_reuse_the_cookie_and_set_none(client):
    first = client.get("/malang/masuk")
    cookie = client.cookies.get("balai_csrf")
    again = client.get("/malang/masuk")
    assert "balai_csrf" in _set_cookie_names(first)
    assert _set_cookie_names(again) == []
    assert TOKEN_FIELD.search(again.text).group(1) == cookie


def test_a_form_posted_with_the_page_token_passes_and_a_stale_cookie_does_not(
    client, city_run, post_form
):
    city_run("malang", lambda: create_user(name="Sari", email="sari@example.id", password=PASSWORD))
    client.get("/malang/masuk")
    cookie = client.cookies.get("balai_csrf")
    forged = cookie[:-1] + ("0" if cookie[-1] != "0" else "1")
    refused = client.post(
        "/malang/masuk",
        data={"login": "sari@example.id", "password": PASSWORD, "_csrf_token": forged},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    accepted = post_form("/malang/masuk", {"login": "sari@example.id", "password": PASSWORD})
    assert accepted.status_code == 303


def test_the_app_uses_the_balai_csrf_middleware_with_litestars_checks(balai_app):
    from balai.web.csrf import CSRFMiddleware

    assert issubclass(CSRFMiddleware, LitestarCSRFMiddleware)
    assert CSRFMiddleware._csrf_tokens_match is LitestarCSRFMiddleware._csrf_tokens_match
    kinds = [m.middleware for m in balai_app.litestar.middleware]
    assert CSRFMiddleware in kinds
    # Session first, then CSRF (the order litestar's csrf_config gave).
    assert kinds.index(CSRFMiddleware) > 0


def test_an_unchanged_logged_in_page_view_writes_no_session(client, login_as):
    login_as()
    assert client.get("/malang/").status_code == 200
    page = client.get("/malang/")
    assert page.status_code == 200
    assert "balai_session" not in _set_cookie_names(page)


@pytest.mark.parametrize(
    "session",
    [
        {"user:malang": 7},
        {"user:malang": 7, "_flash": [["success", "Tersimpan."]], "next": "/malang/pajak/"},
        {"n": 1.5, "ok": True, "none": None},
    ],
)
def test_the_plain_json_shortcut_writes_what_litestar_writes(session):
    backend = RotatingSessionBackend(SessionConfig(store="sessions"))
    assert backend._serialized(session, None) == backend.serialize_data(session, None)


def test_values_msgspec_cannot_write_take_litestars_serializer():
    backend = RotatingSessionBackend(SessionConfig(store="sessions"))
    session = {"where": PurePosixPath("/tmp/x")}
    assert backend._serialized(session, None) == backend.serialize_data(session, None)
    assert backend._serialized(session, None) == b'{"where":"/tmp/x"}'


def test_csrf_input_escapes_the_token():
    field = csrf_input('a"<b>')
    assert isinstance(field, Markup)
    assert field == '<input type="hidden" name="_csrf_token" value="a&#34;&lt;b&gt;">'


def test_nav_items_and_tiles_are_immutable_values():
    item = NavItem("Property tax", "/pajak/", order=30)
    assert item == NavItem("Property tax", "/pajak/", 30, None)
    assert hash(item) == hash(NavItem("Property tax", "/pajak/", 30))
    with pytest.raises(AttributeError):
        item.label = "Other"  # type: ignore[misc]
    tile = HomeTile(title="Pajak", text="Cek NOP", href="/pajak/")
    assert (tile.icon, tile.order) == ("", 100)
    with pytest.raises(AttributeError):
        tile.href = "/x/"  # type: ignore[misc]


class _Sync:
    @staticmethod
    def nav_items(request):
        return [NavItem("Sync", "/a/", 2), None]


class _Async:
    @staticmethod
    async def nav_items(request):
        return (NavItem("Async", "/b/", 1),)


class _Nothing:
    @staticmethod
    def nav_items():  # takes none of the arguments the page passes
        return None


class _Single:
    @staticmethod
    def nav_items(request):
        return NavItem("Single", "/c/", 3)


async def test_gather_awaits_flattens_drops_none_and_passes_only_named_arguments():
    from balai.hookimpl import hookimpl

    registry = PluginRegistry()
    for holder in (_Sync, _Async, _Nothing, _Single):
        plugin = type(holder.__name__, (), {"nav_items": hookimpl(holder.nav_items)})
        registry.pm.register(plugin, name=holder.__name__)
    city = City(slug="malang", name="Kota Malang")
    found = await registry.gather(city, "nav_items", request="the request")
    # Last registered first, as pluggy calls them.
    assert found == [
        NavItem("Single", "/c/", 3),
        NavItem("Async", "/b/", 1),
        NavItem("Sync", "/a/", 2),
    ]


def test_the_current_page_is_marked_in_the_header_from_the_page_path(client):
    page = client.get("/malang/masuk")
    assert 'href="/malang/masuk" aria-current="page"' in page.text
    assert 'href="/malang/daftar" aria-current' not in page.text
    other = client.get("/malang/daftar")
    assert 'href="/malang/daftar" aria-current="page"' in other.text


def test_a_page_whose_menu_link_ends_in_a_slash_is_marked_current(client):
    page = client.get("/malang/data/")
    assert page.status_code == 200
    assert 'class="site-nav-link" href="/malang/data/" aria-current="page"' in page.text
    home = client.get("/malang/")
    assert 'href="/malang/data/" aria-current' not in home.text


class _Tiles:
    @staticmethod
    def home_tiles(request):
        return [HomeTile("Own", "Its own drawing", "/own/", icon="tiles/own.svg"), None]


class _ThemeTiles:
    @staticmethod
    async def home_tiles(request):
        return HomeTile("Themed", "An icon of the set", "/themed/", icon="house")


async def test_gather_from_names_the_plugin_of_each_result():
    from balai.hookimpl import hookimpl

    registry = PluginRegistry()
    for holder in (_Tiles, _ThemeTiles):
        plugin = type(holder.__name__, (), {"home_tiles": hookimpl(holder.home_tiles)})
        registry.pm.register(plugin, name=holder.__name__.lower())
    city = City(slug="malang", name="Kota Malang")
    found = await registry.gather_from(city, "home_tiles", request="the request")
    assert [(slug, tile.title) for slug, tile in found] == [
        ("_themetiles", "Themed"),
        ("_tiles", "Own"),
    ]


def test_a_tile_icon_ending_in_svg_is_a_file_of_its_plugin_and_other_names_are_the_themes():
    from types import SimpleNamespace

    from balai import __version__
    from balai.web.pages import tile_icon

    request = SimpleNamespace(scope={})
    own = tile_icon(request, "pasar", "tiles/own.svg")
    assert own == f"/static/p/pasar/tiles/own.svg?v={__version__}"
    assert tile_icon(request, "pasar", "house") == "house"
    assert tile_icon(request, "pasar", "") == ""


def test_the_icon_macro_shows_a_url_as_an_image_and_a_name_as_a_symbol(balai_app):
    env = balai_app.ui.themes.get("default")
    template = env.from_string(
        '{% import "components.html" as ui with context %}{{ ui.icon(a) }}|{{ ui.icon(b) }}'
    )
    drawn = template.render(a="/static/p/pasar/own.svg", b="truck", static=lambda p: "/s/" + p)
    image, symbol = drawn.split("|")
    assert image == '<img class="icon" src="/static/p/pasar/own.svg" alt="" width="24" height="24">'
    assert '<use href="/s/img/icons.svg#truck"></use>' in symbol and 'aria-hidden="true"' in symbol
