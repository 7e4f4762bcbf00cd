"""The demo's three cities side by side: each sees exactly the plugins it enabled."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from balai.config import load_config
from balai.plugins import BUILTIN_SLUGS
from balai.testing import TEST_SECRET_KEY, make_login_as, make_post_form, open_client
from balai.web.themes import bundled_root

DEMO = bundled_root("examples") / "demo.toml"


@pytest.fixture
def demo_app(balai_app_factory, tmp_path: Path):
    """The demo instance file with every installed plugin, on the test database."""
    config = load_config(DEMO, environ={"BALAI_SECRET_KEY": TEST_SECRET_KEY})
    # The demo's own setting: the job runner works while the pages are tested, and
    # every test's shut-down stops it (see core/tests/test_jobs_shutdown.py).
    app = balai_app_factory(replace(config, data_dir=tmp_path / "data"))
    assert app.ui.jobs.autostart
    return app


@pytest.fixture
def demo(demo_app):
    with open_client(demo_app) as client:
        yield client


def _paths(app) -> dict[str, str]:
    """URL segments of the installed plugins (not the core's built-in services)."""
    plugins = app.ui.registry.plugins
    return {slug: p.info.url_path for slug, p in plugins.items() if slug not in BUILTIN_SLUGS}


def test_the_demo_lists_its_three_cities(demo, demo_app):
    assert set(demo_app.ui.config.cities) == {"malang", "semarang", "yogyakarta"}
    page = demo.get("/")
    for city in demo_app.ui.config.cities.values():
        assert city.name in page.text
        assert f'href="/{city.slug}/"' in page.text


def test_each_city_serves_its_enabled_plugins_and_only_those(demo, demo_app):
    paths = _paths(demo_app)
    assert set(paths) >= {"umkm_market", "pajak", "wisata_heritage", "e_jkn", "sipaldi"}
    for city in demo_app.ui.config.cities.values():
        home = demo.get(f"/{city.slug}/")
        assert home.status_code == 200
        assert city.name in home.text
        for slug, path in paths.items():
            page = demo.get(f"/{city.slug}/{path}/", follow_redirects=False)
            if city.enables(slug):
                assert page.status_code != 404, (city.slug, slug)
            else:
                assert page.status_code == 404, (city.slug, slug)
                assert f'href="/{city.slug}/{path}/' not in home.text, (city.slug, slug)


def test_each_city_is_reached_on_its_own_host(demo, demo_app):
    for city in demo_app.ui.config.cities.values():
        page = demo.get("/", headers={"Host": city.hosts[0]})
        assert page.status_code == 200
        assert city.name in page.text
        others = [c.name for c in demo_app.ui.config.cities.values() if c is not city]
        assert not any(f"<title>{name}" in page.text for name in others)


def test_a_city_admin_sees_only_the_back_office_of_enabled_plugins(demo, demo_app):
    paths = _paths(demo_app)
    login_as = make_login_as(demo, demo_app, make_post_form(demo))
    login_as("city_admin", "semarang")
    office = demo.get("/semarang/kelola/")
    assert office.status_code == 200
    semarang = demo_app.ui.config.cities["semarang"]
    for slug, path in paths.items():
        link = f'href="/semarang/kelola/{path}/'
        if not semarang.enables(slug):
            assert link not in office.text, slug
            answer = demo.get(f"/semarang/kelola/{path}/", follow_redirects=False)
            assert answer.status_code == 404, slug
    # The administrator of Semarang is nobody in Malang.
    assert demo.get("/malang/kelola/", follow_redirects=False).status_code == 303


def test_city_admin_permissions_follow_the_city_plugins(demo_app):
    access = demo_app.ui.access
    for city in demo_app.ui.config.cities.values():
        granted = access.permissions_of({"city_admin"}, city)
        plugins = {name.split(".", 1)[0] for name in granted}
        assert "core" in plugins
        assert plugins - BUILTIN_SLUGS <= set(city.plugins), city.slug
