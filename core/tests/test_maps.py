"""The platform's map piece: vendored Leaflet, the city's tile server, the map pages' policy."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from balai.config import ConfigError, load_config
from balai.testing import TEST_SECRET_KEY
from balai.web.maps import POLICY_KEY, map_setup, tile_origin
from balai.web.security import CSP, SecurityHeaders

VENDOR = Path(__file__).resolve().parents[2] / "themes" / "default" / "static" / "vendor"
LEAFLET = VENDOR / "leaflet"
LEAFLET_VERSION = "1.9.4"
# sha256 of package/dist/leaflet.js and leaflet.css in the npm tarball leaflet-1.9.4.tgz
# (registry integrity sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL
# +YR3XnWyZAxwQixURb+FA74PA==, split over two lines).
LEAFLET_SHA256 = {
    "leaflet.js": "db49d009c841f5ca34a888c96511ae936fd9f5533e90d8b2c4d57596f4e5641a",
    "leaflet.css": "a7837102824184820dfa198d1ebcd109ff6d0ff9a2672a074b9a1b4d147d04c6",
}
CITY = '[cities.malang]\nname = "Kota Malang"\n'
OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def test_leaflet_is_exactly_the_npm_release_with_its_licence():
    for name, digest in LEAFLET_SHA256.items():
        assert hashlib.sha256((LEAFLET / name).read_bytes()).hexdigest() == digest, name
    assert f"Leaflet {LEAFLET_VERSION}, a JS library" in (LEAFLET / "leaflet.js").read_text()
    assert "Redistribution and use in source and binary forms" in (LEAFLET / "LICENSE").read_text()
    note = (LEAFLET / "VERSION").read_text()
    assert LEAFLET_VERSION in note and all(d in note for d in LEAFLET_SHA256.values())
    for image in ("marker-icon.png", "marker-icon-2x.png", "marker-shadow.png"):
        assert (LEAFLET / "images" / image).stat().st_size > 0


def _load(tmp_path, text):
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "balai.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, environ={"BALAI_SECRET_KEY": TEST_SECRET_KEY})


def test_a_city_names_its_tile_server_and_its_attribution(tmp_path):
    config = _load(
        tmp_path,
        CITY + f'map_tiles = "{OSM}"\nmap_attribution = " © OpenStreetMap contributors "\n',
    )
    city = config.cities["malang"]
    assert city.map_tiles == OSM
    assert city.map_attribution == "© OpenStreetMap contributors"
    assert _load(tmp_path / "b", CITY).cities["malang"].map_tiles == ""


@pytest.mark.parametrize(
    "tiles",
    [
        "http://tile.openstreetmap.org/{z}/{x}/{y}.png",  # not https
        "https://tile.openstreetmap.org/{z}/{x}.png",  # no {y}
        "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png",  # a host pattern, not a host
        "https://*.example.id/{z}/{x}/{y}.png",
        "https://user@tiles.example.id/{z}/{x}/{y}.png",
        "https://tiles.example.id/{z}/{x}/{y}.png'; script-src *",
        "tiles.example.id/{z}/{x}/{y}.png",
    ],
)
def test_a_bad_tile_template_stops_start_up(tmp_path, tiles):
    with pytest.raises(ConfigError) as failure:
        _load(tmp_path, CITY + f'map_tiles = "{tiles}"\nmap_attribution = "x"\n')
    assert failure.value.path == "cities.malang.map_tiles"


def test_tiles_without_an_attribution_stop_start_up(tmp_path):
    with pytest.raises(ConfigError) as failure:
        _load(tmp_path, CITY + f'map_tiles = "{OSM}"\n')
    assert failure.value.path == "cities.malang.map_attribution"


def test_the_tile_origin_is_scheme_and_host():
    assert tile_origin(OSM) == "https://tile.openstreetmap.org"
    assert tile_origin("https://peta.kota.id:8443/t/{z}/{x}/{y}?k=1") == "https://peta.kota.id:8443"
    assert tile_origin("") == ""


async def _headers(mark) -> dict[bytes, bytes]:
    """The headers SecurityHeaders sends for one response whose page called ``mark(scope)``."""

    async def app(scope, receive, send):
        mark(scope)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    sent = []

    async def send(message):
        sent.append(message)

    await SecurityHeaders(app, hsts=False)({"type": "http", "path": "/"}, None, send)
    return dict(sent[0]["headers"])


async def test_only_a_page_that_draws_a_map_widens_the_policy():
    from balai.tenants import City

    city = City(slug="malang", name="Kota Malang", map_tiles=OSM, map_attribution="© OSM")
    plain = await _headers(lambda scope: None)
    assert plain[b"content-security-policy"] == CSP.encode()
    assert plain[b"permissions-policy"] == b"camera=(), microphone=(), geolocation=()"
    with_map = await _headers(lambda scope: map_setup(scope, city))
    csp = with_map[b"content-security-policy"].decode()
    assert "img-src 'self' data: https://tile.openstreetmap.org;" in csp
    assert csp.replace(" https://tile.openstreetmap.org", "") == CSP
    assert with_map[b"permissions-policy"] == b"camera=(), microphone=(), geolocation=(self)"
    no_tiles = await _headers(lambda scope: map_setup(scope, City(slug="x", name="X")))
    assert no_tiles[b"content-security-policy"] == CSP.encode()


async def test_a_page_may_allow_the_camera_for_itself():
    from types import SimpleNamespace

    from balai.toolkit import allow_camera

    headers = await _headers(lambda scope: allow_camera(SimpleNamespace(scope=scope)))
    assert headers[b"permissions-policy"] == b"camera=(self), microphone=(), geolocation=()"
    assert POLICY_KEY == "balai.page_policy"


def _picker_page(tiles: str, data: dict | None = None) -> str:
    """``ui.map_picker`` drawn for a two-field form, with or without the city's tile server."""
    import jinja2
    from balai.forms.fields import TextField
    from balai.forms.form import Form

    class PlaceForm(Form):
        latitude = TextField("Latitude", required=False, max_length=20)
        longitude = TextField("Longitude", required=False, max_length=20)

    templates = Path(__file__).resolve().parents[2] / "themes" / "default" / "templates"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_null_translations(newstyle=True)
    page = env.from_string(
        '{% import "components.html" as ui with context %}'
        "{{ ui.map_picker('Where', form.latitude, form.longitude, (-8.05, 112.57, -7.9, 112.7)) }}"
    )
    return page.render(
        form=PlaceForm(data),
        map_setup=lambda: {"tiles": tiles, "attribution": "© Peta"},
        static=lambda path: "/static/" + path,
    )


def test_the_map_picker_fills_the_forms_fields_and_keeps_them_without_a_map():
    drawn = _picker_page("https://tiles.example/{z}/{x}/{y}.png", {"latitude": "-7.97"})
    assert 'data-map-picker data-tiles="https://tiles.example/{z}/{x}/{y}.png"' in drawn
    assert 'data-lat="f-latitude" data-lon="f-longitude"' in drawn
    assert 'data-bounds="-8.05,112.57,-7.9,112.7"' in drawn
    assert "vendor/leaflet/leaflet.js" in drawn and "js/map.js" in drawn
    fields = drawn[drawn.index("data-picker-fields") :]
    assert 'name="latitude"' in fields and 'value="-7.97"' in fields  # kept after an error
    plain = _picker_page("")  # no tile server: typed fields only, no script
    assert "data-map-picker" not in plain and "leaflet" not in plain
    assert 'name="latitude"' in plain and 'name="longitude"' in plain
