"""The `balai` command line: check, plugins, migrate, create-user, serve, demo."""

from __future__ import annotations

import asyncio
from pathlib import Path

import balai.asgi
import balai.web.app
import pytest
import tomli_w
from balai import core_plugin
from balai.asgi import connected
from balai.auth.accounts import authenticate
from balai.cli import main
from balai.hookimpl import hookimpl
from balai.plugins import CORE, PluginError, PluginRegistry
from balai.tables import RoleGrant, User
from balai.tenants import city_scope
from balai.testing import write_config
from balai.types import Dimension, Permission, PluginInfo, Role
from click.testing import CliRunner

PASSWORD = "kata-sandi-kuat-2026"


class Pasar:
    """A test plugin with a role, standing in for an installed one."""

    @hookimpl
    def plugin_info(self):
        return PluginInfo(
            slug="pasar", title="Market", dimension=Dimension.ECONOMY, version="9.9.9"
        )

    @hookimpl
    def permissions(self):
        return [Permission("pasar.manage", "Manage the market")]

    @hookimpl
    def roles(self):
        return [Role("pasar.officer", "Market officer", ("pasar.manage",))]


def fake_registry(plugins=None):
    registry = PluginRegistry()
    registry.register(core_plugin, CORE)
    registry.register(Pasar(), "pasar")
    registry.failed["rusak"] = PluginError("rusak", "failed to import balai_rusak.plugin: boom")
    return registry


@pytest.fixture(autouse=True)
def installed(monkeypatch):
    """The CLI sees the core, the test plugin `pasar` and a broken `rusak`, nothing else."""
    monkeypatch.setattr(balai.web.app, "build_registry", fake_registry)
    for name in ("DATABASE_URL", "REDIS_URL", "BALAI_SECRET_KEY", "BALAI_CONFIG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def config_file(tmp_path):
    write_config(tmp_path / "instance", {"malang": ["pasar"], "semarang": []})
    return tmp_path / "instance" / "balai.toml"


@pytest.fixture
def runner():
    return CliRunner()


def invoke(runner, *args, **kwargs):
    return runner.invoke(main, [str(a) for a in args], **kwargs)


def query(config_file, city_slug, fn):
    app = balai.asgi.build_admin_app(config_file)

    async def scoped():
        async with connected(app):
            with city_scope(app.ui.config.cities[city_slug]):
                return await fn()

    return asyncio.run(scoped())


# --- help ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("demo", "--reset"),
        ("serve", "--workers"),
        ("migrate", "--backwards"),
        ("create-user", "--password-stdin"),
        ("plugins", "--config"),
        ("check", "--config"),
        ("new-plugin", "--title"),
    ],
)
def test_every_command_has_help(runner, command, expected):
    result = invoke(runner, command, "--help")
    assert result.exit_code == 0
    assert expected in result.output


def test_main_help_lists_the_commands(runner):
    result = invoke(runner, "--help")
    for command in ("demo", "serve", "migrate", "create-user", "plugins", "check", "new-plugin"):
        assert command in result.output


# --- check ------------------------------------------------------------------------------


def test_check_accepts_a_good_file(runner, config_file):
    result = invoke(runner, "check", "--config", config_file)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK")
    assert "malang (1 plugins)" in result.output


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"timezone": "Mars/Olympus"}, "cities.malang.timezone"),
        ({"plugins": ["pasar", "tidak_ada"]}, "cities.malang.plugins"),
        ({"plugins": ["rusak"]}, "cities.malang.plugins"),
        ({"settings": {"pasar": {"x": 1}}}, "cities.malang.settings.pasar"),
    ],
)
def test_check_names_the_key_and_the_reason(runner, tmp_path, change, key):
    city = {"name": "Kota Malang", "plugins": ["pasar"], **change}
    path = tmp_path / "bad.toml"
    path.write_text(tomli_w.dumps({"instance": {"development": True}, "cities": {"malang": city}}))

    result = invoke(runner, "check", "--config", path)

    assert result.exit_code == 1
    assert key in result.output


def test_check_refuses_production_without_secret(runner, tmp_path):
    write_config(tmp_path / "prod", {"malang": []}, instance={"development": False}, environ={})
    result = invoke(runner, "check", "--config", tmp_path / "prod" / "balai.toml")
    assert result.exit_code == 1
    assert "BALAI_SECRET_KEY" in result.output


def test_check_on_a_missing_file(runner, tmp_path):
    result = invoke(runner, "check", "--config", tmp_path / "nope.toml")
    assert result.exit_code == 1
    assert "cannot read the file" in result.output


# --- plugins -----------------------------------------------------------------------------


def test_plugins_lists_installed_and_failed(runner):
    result = invoke(runner, "plugins")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["plugin", "version", "title", "dimension"]
    assert lines[2].split() == ["pasar", "9.9.9", "Market", "economy"]
    assert "FAILED rusak: failed to import balai_rusak.plugin: boom" in result.output
    assert not any(line.startswith("core") for line in lines)


def test_plugins_with_a_config_shows_a_column_per_city(runner, tmp_path):
    write_config(tmp_path / "i", {"malang": ["pasar", "belum"], "semarang": []}, environ={})
    result = invoke(runner, "plugins", "--config", tmp_path / "i" / "balai.toml")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["plugin", "version", "title", "dimension", "malang", "semarang"]
    assert lines[2].split() == ["pasar", "9.9.9", "Market", "economy", "enabled", "-"]
    assert lines[3].split() == ["belum", "NOT", "INSTALLED", "enabled", "-"]


def test_plugins_with_a_config_shows_built_in_services_enabled_everywhere(
    runner, tmp_path, monkeypatch
):
    from balai.builtins import builtin_plugins

    def with_jobs(plugins=None):
        registry = fake_registry(plugins)
        registry.register(builtin_plugins()["jobs"], "jobs")
        return registry

    monkeypatch.setattr(balai.web.app, "build_registry", with_jobs)
    write_config(tmp_path / "i", {"malang": ["pasar"], "semarang": []}, environ={})
    result = invoke(runner, "plugins", "--config", tmp_path / "i" / "balai.toml")
    assert result.exit_code == 0, result.output
    jobs = next(line for line in result.output.splitlines() if line.startswith("jobs "))
    assert jobs.split()[-2:] == ["enabled", "enabled"]


def test_makemigrations_names_what_is_missing(runner):
    unknown = invoke(runner, "makemigrations", "tidakada")
    assert unknown.exit_code == 1 and "tidakada" in unknown.output
    no_app = invoke(runner, "makemigrations", "pasar")
    assert no_app.exit_code == 1 and "piccolo_apps" in no_app.output


# --- migrate -----------------------------------------------------------------------------


# The core app's migration modules (the count grows as the core does).
CORE_MIGRATIONS = len(list((Path(balai.__file__).parent / "migrations").glob("balai_*.py")))


def test_migrate_applies_then_has_nothing_to_do(runner, config_file):
    first = invoke(runner, "migrate", "--config", config_file)
    assert first.exit_code == 0, first.output
    assert f"balai: applying {CORE_MIGRATIONS} migration(s)" in first.output
    assert "up to date" in first.output

    again = invoke(runner, "migrate", "--config", config_file)
    assert again.exit_code == 0
    assert "Nothing to migrate" in again.output


def test_migrate_backwards_asks_first(runner, config_file):
    invoke(runner, "migrate", "--config", config_file)

    refused = invoke(runner, "migrate", "--config", config_file, "--backwards", input="n\n")
    assert refused.exit_code == 1
    assert "Continue?" in refused.output
    assert query(config_file, "malang", User.count) == 0  # the table is still there

    done = invoke(runner, "migrate", "--config", config_file, "--backwards", "--yes")
    assert done.exit_code == 0, done.output
    assert "balai: rolled back" in done.output
    again = invoke(runner, "migrate", "--config", config_file)
    assert f"balai: applying {CORE_MIGRATIONS} migration(s)" in again.output


# --- create-user -------------------------------------------------------------------------


@pytest.fixture
def migrated(runner, config_file, balai_fast_passwords):
    assert invoke(runner, "migrate", "--config", config_file).exit_code == 0
    return config_file


def create(runner, config_file, *extra, password=PASSWORD):
    return invoke(
        runner,
        "create-user",
        "--config",
        config_file,
        "--city",
        "malang",
        "--name",
        "Siti Rahmawati",
        *extra,
        "--password-stdin",
        input=password + "\n",
    )


def test_create_user_with_roles_from_stdin(runner, migrated):
    result = create(
        runner,
        migrated,
        "--email",
        "Siti@Malang.test",
        "--role",
        "pasar.officer",
        "--role",
        "city_admin",
    )
    assert result.exit_code == 0, result.output
    assert "pasar.officer, city_admin" in result.output

    async def check():
        grants = await RoleGrant.select(RoleGrant.role, RoleGrant.user.email)
        return await authenticate("siti@malang.test", PASSWORD), grants

    user_id, grants = query(migrated, "malang", check)
    assert user_id is not None
    assert {(g["user.email"], g["role"]) for g in grants} == {
        ("siti@malang.test", "pasar.officer"),
        ("siti@malang.test", "city_admin"),
    }
    assert query(migrated, "semarang", User.count) == 0


def test_create_user_prompts_twice_for_the_password(runner, migrated):
    result = invoke(
        runner,
        "create-user",
        "--config",
        migrated,
        "--city",
        "malang",
        "--name",
        "Budi Santoso",
        "--phone",
        "0812 3456 7890",
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("Password") >= 1
    assert PASSWORD not in result.output
    assert query(migrated, "malang", lambda: authenticate("081234567890", PASSWORD))


def test_create_user_refuses_an_unknown_role_listing_the_valid_ones(runner, migrated):
    result = create(runner, migrated, "--email", "a@malang.test", "--role", "pajak.officer")
    assert result.exit_code == 1
    assert "pajak.officer" in result.output
    assert "city_admin, core.user_manager, pasar.officer" in result.output
    assert query(migrated, "malang", User.count) == 0


def test_create_user_role_of_a_plugin_the_city_lacks_is_unknown(runner, migrated):
    result = invoke(
        runner,
        "create-user",
        "--config",
        migrated,
        "--city",
        "semarang",
        "--name",
        "Agus",
        "--email",
        "agus@semarang.test",
        "--role",
        "pasar.officer",
        "--password-stdin",
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 1
    assert "city_admin, core.user_manager" in result.output


def test_create_user_reports_each_bad_field(runner, migrated):
    result = create(runner, migrated, "--email", "bukan-email", password="pendek")
    assert result.exit_code == 1
    assert "email:" in result.output
    assert "password:" in result.output
    assert query(migrated, "malang", User.count) == 0


def test_create_user_refuses_a_duplicate_email(runner, migrated):
    assert create(runner, migrated, "--email", "dua@malang.test").exit_code == 0
    again = create(runner, migrated, "--email", "dua@malang.test")
    assert again.exit_code == 1
    assert "already exists" in again.output


def test_create_user_needs_exactly_one_login(runner, migrated):
    both = create(runner, migrated, "--email", "a@malang.test", "--phone", "081234567890")
    assert both.exit_code == 2
    neither = create(runner, migrated)
    assert neither.exit_code == 2


def test_create_user_unknown_city(runner, migrated):
    result = invoke(
        runner,
        "create-user",
        "--config",
        migrated,
        "--city",
        "surabaya",
        "--name",
        "Agus",
        "--email",
        "agus@x.test",
        "--password-stdin",
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 1
    assert "malang, semarang" in result.output


def test_create_user_before_migrating_says_so(runner, config_file):
    result = create(runner, config_file, "--email", "a@malang.test")
    assert result.exit_code == 1
    assert "balai migrate" in result.output


# --- serve -------------------------------------------------------------------------------


@pytest.fixture
def uvicorn_calls(monkeypatch):
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append((args, kwargs)))
    return calls


def test_serve_starts_workers_on_the_import_string(runner, migrated, uvicorn_calls, monkeypatch):
    monkeypatch.setenv("BALAI_CONFIG", "")  # restored after the test; the command sets it
    result = invoke(runner, "serve", "--config", migrated, "--port", 8123, "--workers", 3)
    assert result.exit_code == 0, result.output
    ((args, kwargs),) = uvicorn_calls
    assert args == ("balai.asgi:app",)
    assert kwargs["workers"] == 3 and kwargs["port"] == 8123 and kwargs["host"] == "127.0.0.1"
    assert balai.asgi.config_path_from_env() == migrated.resolve()


def test_serve_refuses_pending_migrations(runner, config_file, uvicorn_calls):
    result = invoke(runner, "serve", "--config", config_file)
    assert result.exit_code == 2
    assert "balai migrate" in result.output
    assert uvicorn_calls == []


def test_serve_refuses_production_without_secret(runner, tmp_path, uvicorn_calls):
    write_config(tmp_path / "prod", {"malang": []}, instance={"development": False}, environ={})
    result = invoke(runner, "serve", "--config", tmp_path / "prod" / "balai.toml")
    assert result.exit_code == 2
    assert "BALAI_SECRET_KEY" in result.output
    assert uvicorn_calls == []


def test_serve_refuses_an_invalid_file(runner, tmp_path, uvicorn_calls):
    path = tmp_path / "bad.toml"
    path.write_text('[instance]\nworkers = "many"\n[cities.malang]\nname = "Kota Malang"\n')
    result = invoke(runner, "serve", "--config", path)
    assert result.exit_code == 2
    assert "instance.workers" in result.output
    assert uvicorn_calls == []


def test_asgi_module_builds_the_app_from_the_environment(migrated, monkeypatch):
    monkeypatch.setattr(balai.asgi, "_app", None)
    monkeypatch.setenv("BALAI_CONFIG", str(migrated))
    app = balai.asgi.app
    assert isinstance(app, balai.web.app.BalaiApp)
    assert balai.asgi.app is app  # built once per process
    assert set(app.ui.config.cities) == {"malang", "semarang"}


def test_asgi_module_without_config_says_what_to_set(monkeypatch):
    monkeypatch.setattr(balai.asgi, "_app", None)
    with pytest.raises(balai.asgi.NotReadyError, match="BALAI_CONFIG"):
        balai.asgi.app  # noqa: B018 (the attribute access is the test)


# --- demo --------------------------------------------------------------------------------


def test_demo_seeds_prints_the_banner_and_serves(
    runner, config_file, tmp_path, monkeypatch, balai_fast_passwords
):
    import balai.demo

    served = []
    monkeypatch.setattr(
        balai.demo, "serve", lambda app, host, port, **_: served.append((host, port))
    )
    data = tmp_path / "demo-data"

    result = invoke(runner, "demo", "--config", config_file, "--data-dir", data, "--port", 8765)

    assert result.exit_code == 0, result.output
    assert "Migrating balai" in result.output
    assert "http://127.0.0.1:8765/malang/" in result.output
    assert "pasar.officer@malang.test" in result.output
    assert "demo-malang-2026" in result.output
    assert served == [("127.0.0.1", 8765)]
    assert (data / "balai.db").exists()

    again = invoke(runner, "demo", "--config", config_file, "--data-dir", data, "--reset")
    assert again.exit_code == 0, again.output
    assert "Removed" in again.output and "balai.db" in again.output
    assert "Migrating balai" in again.output


def test_demo_with_a_plugin_that_is_not_installed_says_which(runner, tmp_path):
    write_config(tmp_path / "i", {"malang": ["belum_ada"]}, environ={})
    result = invoke(runner, "demo", "--config", tmp_path / "i" / "balai.toml")
    assert result.exit_code == 1
    assert "belum_ada" in result.output and "not installed" in result.output


def test_the_language_a_command_chose_does_not_outlive_it(runner, monkeypatch):
    from balai.i18n import current_locale

    monkeypatch.setenv("LANG", "id_ID.UTF-8")
    before = current_locale()
    assert invoke(runner, "plugins").exit_code == 0
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert invoke(runner, "plugins").exit_code == 0
    assert current_locale() == before


def test_bundled_demo_runs_without_the_plugins_that_are_missing(
    runner, tmp_path, monkeypatch, balai_fast_passwords
):
    import balai.demo

    served = []
    monkeypatch.setattr(balai.demo, "serve", lambda app, host, port, **_: served.append(port))

    result = invoke(runner, "demo", "--data-dir", tmp_path / "data")

    assert result.exit_code == 0, result.output
    assert "malang runs without umkm_market, pajak, wisata_heritage, e_jkn, sipaldi" in (
        result.output
    )
    assert "http://127.0.0.1:8000/yogyakarta/" in result.output
    assert "admin@yogyakarta.test" in result.output
    assert served == [8000]
