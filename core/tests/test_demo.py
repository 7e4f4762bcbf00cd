"""The demo's seeding: accounts per city, plugin demo data, idempotent restarts."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from pathlib import Path

import balai
import pytest
from balai import core_plugin, demo
from balai.asgi import connected
from balai.auth.accounts import authenticate
from balai.hookimpl import hookimpl
from balai.plugins import CORE, PluginRegistry
from balai.tables import RoleGrant, User
from balai.tenants import city_scope
from balai.testing import write_config
from balai.types import DemoAccount, DemoReport, Dimension, Permission, PluginInfo, Role
from balai.web.app import create_app


class Pasar:
    """A test plugin with a role and demo data (no tables)."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.seeded: list[str] = []

    @hookimpl
    def plugin_info(self):
        return PluginInfo(
            slug="pasar", title="Market", dimension=Dimension.ECONOMY, version="1.2.3"
        )

    @hookimpl
    def permissions(self):
        return [Permission("pasar.manage", "Manage the market")]

    @hookimpl
    def roles(self):
        return [
            Role("pasar.officer", "Market officer", ("pasar.manage",), department="Diskopindag")
        ]

    @hookimpl
    async def seed_demo(self, city):
        if self.fail:
            raise RuntimeError("the market burned down")
        self.seeded.append(city.slug)
        return DemoReport(
            accounts=[DemoAccount(city.slug, "pedagang@pasar.test", "pedagang-2026", "merchant")],
            summary=["12 stalls"],
        )


def registry_with(*plugins: tuple[str, object]) -> PluginRegistry:
    registry = PluginRegistry()
    registry.register(core_plugin, CORE)
    for slug, obj in plugins:
        registry.register(obj, slug)
    return registry


@pytest.fixture
def no_env_database(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)


@pytest.fixture
def config(tmp_path, no_env_database):
    return write_config(tmp_path / "instance", {"malang": ["pasar"], "semarang": []})


@pytest.fixture
def make_app(config, balai_database_url, balai_test_databases, balai_fast_passwords):
    """Apps with the test plugin on the test database (SQLite, or PostgreSQL when set), migrated."""

    def make(plugin):
        bound = replace(config, database_url=balai_database_url)
        app = create_app(bound, registry=registry_with(("pasar", plugin)))
        balai_test_databases.prepare(app.ui.database)
        return app

    return make


def run_in(app, city_slug, fn):
    async def scoped():
        async with connected(app):
            with city_scope(app.ui.config.cities[city_slug]):
                return await fn()

    return asyncio.run(scoped())


async def accounts():
    rows = await User.select(User.email).order_by(User.id)
    grants = await RoleGrant.select(RoleGrant.role, RoleGrant.user.email)
    return [r["email"] for r in rows], {(g["user.email"], g["role"]) for g in grants}


def test_prepare_migrates_a_new_database_with_a_line_per_app(config, balai_fast_passwords):
    app = create_app(config, registry=registry_with(("pasar", Pasar())))
    lines: list[str] = []

    asyncio.run(demo.prepare(app, say=lines.append))

    core_migrations = len(list((Path(balai.__file__).parent / "migrations").glob("balai_*.py")))
    assert f"Migrating balai: {core_migrations} migration(s)" in lines
    assert asyncio.run(app.ui.database.pending()) == {}


def test_seed_creates_each_citys_accounts_and_plugin_data_once(make_app):
    plugin = Pasar()
    app = make_app(plugin)
    lines: list[str] = []

    seeds = asyncio.run(demo.prepare(app, say=lines.append))

    malang_emails, malang_grants = run_in(app, "malang", accounts)
    assert malang_emails == [
        "warga@malang.test",
        "admin@malang.test",
        "core.user_manager@malang.test",
        "pasar.officer@malang.test",
    ]
    assert ("admin@malang.test", "city_admin") in malang_grants
    assert ("pasar.officer@malang.test", "pasar.officer") in malang_grants
    assert not any(email == "warga@malang.test" for email, _ in malang_grants)
    semarang_emails, _ = run_in(app, "semarang", accounts)
    assert "pasar.officer@semarang.test" not in semarang_emails  # not enabled there
    assert "admin@semarang.test" in semarang_emails
    assert plugin.seeded == ["malang"]
    by_city = {s.city: s for s in seeds}
    assert by_city["malang"].plugins == {"pasar": ["12 stalls"]}
    assert DemoAccount("malang", "pedagang@pasar.test", "pedagang-2026", "merchant") in (
        by_city["malang"].accounts
    )

    again = asyncio.run(demo.prepare(app, say=lines.append))

    assert run_in(app, "malang", accounts)[0] == malang_emails
    assert run_in(app, "semarang", accounts)[0] == semarang_emails
    assert plugin.seeded == ["malang"]
    assert [s.accounts for s in again] == [s.accounts for s in seeds]
    assert "already seeded" in lines[-1]


def test_demo_password_logs_in(make_app):
    app = make_app(Pasar())
    asyncio.run(demo.prepare(app))
    password = demo.demo_password(app.ui.config.cities["semarang"])
    assert password == "demo-semarang-2026"

    assert run_in(app, "semarang", lambda: authenticate("admin@semarang.test", password))
    assert run_in(app, "malang", lambda: authenticate("admin@semarang.test", password)) is None


def test_failing_plugin_seed_leaves_the_city_empty_to_retry(make_app):
    app = make_app(Pasar(fail=True))

    with pytest.raises(RuntimeError, match="burned down"):
        asyncio.run(demo.prepare(app))

    assert run_in(app, "malang", accounts)[0] == []


def test_banner_lists_addresses_accounts_and_plugin_data(make_app):
    app = make_app(Pasar())
    seeds = asyncio.run(demo.prepare(app))

    text = demo.banner(app.ui.config, seeds, "0.0.0.0", 8123)

    assert "http://localhost:8123/malang/" in text
    assert "http://localhost:8123/semarang/" in text
    assert "http://malang.localhost:8123/" in text
    assert "admin@malang.test" in text and "demo-malang-2026" in text and "city_admin" in text
    assert "demo data  pasar: 12 stalls" in text
    assert str(app.ui.config.data_dir) in text


def test_report_file_survives_restart_and_missing_file_falls_back(make_app):
    app = make_app(Pasar())
    asyncio.run(demo.prepare(app))
    report = app.ui.config.data_dir / demo.REPORT_FILE
    saved = json.loads(report.read_text())
    assert [entry["city"] for entry in saved] == ["malang", "semarang"]

    report.unlink()
    seeds = asyncio.run(demo.prepare(app))

    malang = next(s for s in seeds if s.city == "malang")
    assert [a.login for a in malang.accounts][:2] == ["warga@malang.test", "admin@malang.test"]
    assert malang.plugins == {}


def test_data_dir_override_moves_the_sqlite_database(tmp_path, config, no_env_database):
    moved = demo.load_demo_config(config.source, tmp_path / "elsewhere")

    assert moved.data_dir == (tmp_path / "elsewhere").resolve()
    assert moved.database_url == f"sqlite:///{moved.data_dir / 'balai.db'}"


def test_reset_removes_the_sqlite_files_only(tmp_path, config):
    config.data_dir.mkdir(parents=True, exist_ok=True)
    for name in ("balai.db", "balai.db-wal", demo.REPORT_FILE, "secret.key"):
        (config.data_dir / name).write_text("x")

    removed = demo.reset_sqlite(config)

    assert sorted(p.name for p in removed) == sorted(["balai.db", "balai.db-wal", demo.REPORT_FILE])
    assert (config.data_dir / "secret.key").exists()


def test_bundled_demo_config_is_found():
    path = demo.default_config_path()
    assert path.name == "demo.toml" and path.is_file()


def test_without_missing_plugins_keeps_the_installed_ones(config):
    registry = registry_with(("pasar", Pasar()))
    wide = replace(
        config,
        cities={
            slug: replace(city, plugins=("pasar", "hilang")) for slug, city in config.cities.items()
        },
    )

    fitted, dropped = demo.without_missing_plugins(wide, registry)

    assert [c.plugins for c in fitted.cities.values()] == [("pasar",), ("pasar",)]
    assert dropped == {"malang": ["hilang"], "semarang": ["hilang"]}


def test_the_demo_links_to_where_it_serves(tmp_path):
    config = demo.load_demo_config(None, tmp_path / "data")
    served = demo.served_at(config, "0.0.0.0", 8010)
    malang = served.cities["malang"]
    assert malang.absolute_url("/masuk") == "http://localhost:8010/malang/masuk"
    assert malang.hosts == config.cities["malang"].hosts  # only the links change
