"""Fixtures for browser journeys: a real server on a free port and headless Chromium.

The application is built with the core's test kit (``balai.testing``): the
cities of ``balai_cities`` (Malang with every installed plugin, Semarang with
none), on the test database (SQLite, or PostgreSQL/Redis when the
``BALAI_TEST_*`` variables are set), with the Malang and Semarang themes. It is
served by uvicorn in a thread with its own event loop, so it never meets
pytest-asyncio's loop or Playwright's.

Chromium is Debian's (``/usr/bin/chromium``, or ``BALAI_CHROMIUM``); Playwright
never downloads a browser here. Without Chromium the journeys are skipped,
unless ``BALAI_REQUIRE_BROWSER=1`` (CI), which turns the skip into a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from balai.config import Config
from balai.testing import TestDatabases, build_app, write_config
from balai.testing.server import serving

CHROMIUM_ENV = "BALAI_CHROMIUM"
REQUIRE_ENV = "BALAI_REQUIRE_BROWSER"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
PHONE_VIEWPORT = {"width": 360, "height": 740}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


# A 1x1 transparent PNG: what the fake tile server answers for every tile.
TILE_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63606060600000000500017aa857500000000049454e44ae426082"
)


def serve_fake_tiles(context: Any, cities: Any) -> None:
    """Answer the cities' map tile requests in ``context`` with a blank tile.

    Tile servers are an outside service the journeys cannot reach (no network
    here): the browser still asks the city's tile host, as it would in
    production, and gets a valid image, so a failed tile is never mistaken
    for a page error.
    """
    from balai.web.maps import tile_origin

    for origin in {tile_origin(c.map_tiles) for c in cities if c.map_tiles}:
        context.route(
            f"{origin}/**",
            lambda route: route.fulfill(status=200, content_type="image/png", body=TILE_PNG),
        )


def _unavailable(reason: str) -> None:
    """Skip the test, or fail it when CI requires the browser."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1, so browser journeys must run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The Chromium executable to drive; skips (or fails in CI) when it is missing."""
    path = os.environ.get(CHROMIUM_ENV, DEFAULT_CHROMIUM)
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        _unavailable(f"Chromium not found at {path} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the playwright package is not installed (uv sync --group dev)")
    return path


@pytest.fixture(scope="session")
def artifacts_dir(pytestconfig: pytest.Config) -> Path:
    """``test-artifacts/browser/`` under the repository root (git-ignored)."""
    folder = pytestconfig.rootpath / "test-artifacts" / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def journey_config(tmp_path: Path, balai_cities: dict[str, list[str]]) -> Config:
    """The test kit's cities, each with its own city theme (as in the demo)."""
    return write_config(
        tmp_path / "instance",
        balai_cities,
        city_options={
            slug: {"theme": slug} for slug in balai_cities if slug in {"malang", "semarang"}
        },
    )


@pytest.fixture
def live_server(
    journey_config: Config,
    balai_plugins: list[str] | None,
    balai_database_url: str,
    balai_test_databases: TestDatabases,
) -> Iterator[str]:
    """A migrated app on an empty database served over HTTP; yields its base URL."""
    app = build_app(
        journey_config,
        balai_test_databases,
        database_url=balai_database_url,
        plugins=balai_plugins,
    )
    with serving(app) as base_url:
        yield base_url


@pytest.fixture
def phone_page(
    request: pytest.FixtureRequest, chromium_path: str, live_server: str, tmp_path: Path
) -> Iterator[Any]:
    """A Playwright page in headless Chromium with a 360x740 phone viewport (a small Android phone).

    JavaScript is on unless the test parametrizes this fixture indirectly
    with ``False`` (pages must work without it).

    It depends on ``live_server`` so that the server (whose database set-up
    calls ``asyncio.run``) is ready before Playwright's sync API starts its
    event loop in the test's thread, and stops only after the browser closed.

    The page collects JavaScript errors and console errors (CSP violations
    among them) in ``page.balai_errors`` for the test to check.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path / "chromium-profile"),
            executable_path=chromium_path,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=PHONE_VIEWPORT,
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            locale="id-ID",
            timezone_id="Asia/Jakarta",
            java_script_enabled=getattr(request, "param", True),
        )
        try:
            page = browser.pages[0] if browser.pages else browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
            page.on(
                "console",
                lambda msg: (
                    errors.append(f"console {msg.type}: {msg.text}")
                    if msg.type == "error"
                    else None
                ),
            )
            page.balai_errors = errors
            page.set_default_timeout(10_000)
            yield page
        finally:
            browser.close()
