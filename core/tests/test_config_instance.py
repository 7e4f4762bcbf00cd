"""The instance file: every mistake stops start-up with the key path and the reason."""

from __future__ import annotations

import logging
from importlib.metadata import EntryPoint

import msgspec
import pytest
from balai import plugins as plugin_loading
from balai import toolkit as tk
from balai.config import ConfigError, load_config
from balai.testing import TEST_SECRET_KEY, write_config
from balai.web.app import create_app
from test_platform_uji_plugin import SLUG, uji_registry

ENV = {"BALAI_SECRET_KEY": TEST_SECRET_KEY}


def _load(tmp_path, text: str):
    path = tmp_path / "balai.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, environ=ENV)


def _error(tmp_path, text: str) -> ConfigError:
    with pytest.raises(ConfigError) as failure:
        _load(tmp_path, text)
    return failure.value


CITY = '[cities.malang]\nname = "Kota Malang"\n'


def test_a_good_file_is_read_whole(tmp_path):
    config = _load(
        tmp_path,
        CITY + 'hosts = ["Malang.Example.id"]\ntimezone = "Asia/Makassar"\nlocale = "en"\n'
        '[cities.semarang]\nname = "Kota Semarang"\n[instance]\ndevelopment = true\n',
    )
    assert list(config.cities) == ["malang", "semarang"]
    malang = config.cities["malang"]
    assert (malang.name, malang.timezone, malang.locale) == ("Kota Malang", "Asia/Makassar", "en")
    assert config.city_for_host("malang.example.id:8080") is malang
    assert config.development is True
    assert config.secret_key == TEST_SECRET_KEY


def test_secrets_and_database_come_from_the_environment(tmp_path):
    path = tmp_path / "balai.toml"
    path.write_text(CITY, encoding="utf-8")
    env = {**ENV, "DATABASE_URL": "postgresql://db/balai", "REDIS_URL": "redis://r:6379/1"}
    config = load_config(path, environ=env)
    assert config.database_url == "postgresql://db/balai"
    assert config.redis_url == "redis://r:6379/1"
    assert config.redis_prefix == "balai:"
    assert load_config(path, environ=ENV).database_url.startswith("sqlite:///")
    shared = load_config(path, environ={**env, "REDIS_KEY_PREFIX": "kota-b:"})
    assert shared.redis_prefix == "kota-b:"


def test_bad_toml(tmp_path):
    error = _error(tmp_path, CITY + "plugins = [\n")
    assert error.path.endswith("balai.toml")
    assert "not valid TOML" in error.reason


def test_unreadable_file(tmp_path):
    with pytest.raises(ConfigError) as failure:
        load_config(tmp_path / "missing.toml", environ=ENV)
    assert "cannot read the file" in str(failure.value)


@pytest.mark.parametrize(
    ("text", "path", "reason"),
    [
        (CITY + 'colour = "merah"\n', "cities.malang.colour", "unknown field"),
        (CITY + "[instance]\nworkers = 2\nturbo = true\n", "instance.turbo", "unknown field"),
        (CITY + 'hosts = "malang.id"\n', "cities.malang.hosts", "Expected `array`"),
        (
            CITY + '[instance]\nmax_body_bytes = "banyak"\n',
            "instance.max_body_bytes",
            "Expected `int`",
        ),
        ("[cities.malang]\nhosts = []\n", "cities.malang.name", "missing required field"),
        (CITY + 'timezone = "Asia/Bandung"\n', "cities.malang.timezone", "unknown time zone"),
        (CITY + 'locale = "fr"\n', "cities.malang.locale", "must be one of"),
        ('[cities.Malang_Kota]\nname = "X"\n', "cities.Malang_Kota", "city slug"),
        ("[instance]\ndevelopment = true\n", "cities", ""),
        (
            CITY + 'hosts = ["kota.id"]\n[cities.batu]\nname = "Kota Batu"\nhosts = ["KOTA.id"]\n',
            "cities.batu.hosts",
            "already used by malang",
        ),
        (CITY + 'plugins = ["uji", "uji"]\n', "cities.malang.plugins", "listed twice"),
        (CITY + 'base_url = "layanan.kota.id"\n', "cities.malang.base_url", "http"),
        (CITY + 'base_url = "https://kota.id/?a=1"\n', "cities.malang.base_url", "http"),
    ],
    ids=[
        "unknown-city-key",
        "unknown-instance-key",
        "wrong-type",
        "wrong-type-instance",
        "missing-name",
        "bad-time-zone",
        "bad-locale",
        "bad-slug",
        "no-city",
        "duplicate-host",
        "plugin-twice",
        "base-url-without-scheme",
        "base-url-with-query",
    ],
)
def test_mistakes_name_the_key_path(tmp_path, text, path, reason):
    error = _error(tmp_path, text)
    assert error.path == path
    assert reason in error.reason
    assert str(error).startswith(f"{path}: ")


def test_a_citys_base_url_is_given_or_comes_from_its_first_host(tmp_path):
    config = _load(
        tmp_path,
        '[cities.malang]\nname = "Kota Malang"\nbase_url = "https://layanan.malangkota.go.id/"\n'
        '[cities.batu]\nname = "Kota Batu"\nhosts = ["Layanan.BatuKota.go.id", "batu.id"]\n'
        '[cities.kediri]\nname = "Kota Kediri"\n',
    )
    malang, batu, kediri = (config.cities[s] for s in ("malang", "batu", "kediri"))
    assert malang.absolute_url("/masuk") == "https://layanan.malangkota.go.id/masuk"
    assert batu.absolute_url("bayar/INV-1") == "https://layanan.batukota.go.id/bayar/INV-1"
    assert kediri.absolute_url("/masuk") == "/masuk"


# --- plugins named by the file ----------------------------------------------------


def _config(tmp_path, plugins, settings=None, **instance):
    options = {"malang": {"settings": settings}} if settings else None
    return write_config(
        tmp_path,
        {"malang": plugins, "semarang": []},
        instance=instance,
        city_options=options,
        environ=ENV,
    )


def test_plugin_settings_are_validated_and_bound(tmp_path):
    config = _config(tmp_path, [SLUG], {SLUG: {"max_notes": 3}})
    app = create_app(config, registry=uji_registry())
    settings = app.ui.config.cities["malang"].settings_for(SLUG)
    assert (settings.max_notes, settings.greeting) == (3, "Selamat datang")
    defaults = create_app(_config(tmp_path / "b", [SLUG]), registry=uji_registry())
    assert defaults.ui.config.cities["malang"].settings_for(SLUG).max_notes == 10


@pytest.mark.parametrize(
    ("settings", "path", "reason"),
    [
        ({"max_notes": "banyak"}, "cities.malang.settings.uji.max_notes", "Expected `int`"),
        ({"warna": "merah"}, "cities.malang.settings.uji.warna", "unknown field"),
    ],
)
def test_invalid_plugin_settings_stop_start_up(tmp_path, settings, path, reason):
    config = _config(tmp_path, [SLUG], {SLUG: settings})
    with pytest.raises(ConfigError) as failure:
        create_app(config, registry=uji_registry())
    assert failure.value.path == path
    assert reason in failure.value.reason


def test_settings_for_a_plugin_the_city_does_not_enable_stop_start_up(tmp_path):
    config = _config(tmp_path, [], {SLUG: {"max_notes": 3}})
    with pytest.raises(ConfigError) as failure:
        create_app(config, registry=uji_registry())
    assert failure.value.path == "cities.malang.settings.uji"
    assert "does not enable" in failure.value.reason


def test_built_in_services_take_settings_in_every_city(tmp_path):
    config = _config(tmp_path, [], {"files": {"max_image_bytes": 1_000_000}})
    app = create_app(config, registry=uji_registry())
    assert app.ui.config.cities["malang"].settings_for("files").max_image_bytes == 1_000_000


def test_a_plugin_that_is_not_installed_stops_start_up(tmp_path):
    with pytest.raises(ConfigError) as failure:
        create_app(_config(tmp_path, [SLUG, "pasar_malam"]), registry=uji_registry())
    assert failure.value.path == "cities.malang.plugins"
    assert "'pasar_malam' is not installed" in failure.value.reason


# --- broken plugins ------------------------------------------------------------------


def _fake_entry_points(monkeypatch, *points: EntryPoint) -> None:
    def fake(*, group: str):
        assert group == plugin_loading.ENTRY_POINT_GROUP
        return list(points)

    monkeypatch.setattr(plugin_loading, "entry_points", fake)


MISSING = EntryPoint(name="rusak", value="balai_rusak_tidak_ada.plugin", group="balai.plugins")


def test_a_plugin_that_fails_to_import_is_named_with_its_cause(monkeypatch):
    _fake_entry_points(monkeypatch, MISSING)
    registry = plugin_loading.PluginRegistry()
    registry.load_entry_points()
    assert "rusak" not in registry.plugins
    cause = str(registry.failed["rusak"])
    assert "rusak" in cause
    assert "balai_rusak_tidak_ada.plugin" in cause
    assert "ModuleNotFoundError" in cause


def test_a_broken_plugin_enabled_by_a_city_stops_start_up(tmp_path, monkeypatch):
    _fake_entry_points(monkeypatch, MISSING)
    with pytest.raises(ConfigError) as failure:
        create_app(_config(tmp_path, ["rusak"]))
    assert failure.value.path == "cities.malang.plugins"
    assert "rusak" in failure.value.reason
    assert "ModuleNotFoundError" in failure.value.reason


def test_a_broken_plugin_no_city_enables_is_only_a_warning(tmp_path, monkeypatch, caplog):
    _fake_entry_points(monkeypatch, MISSING)
    with caplog.at_level(logging.WARNING, logger="balai.plugins"):
        app = create_app(_config(tmp_path, []))
    assert "rusak" in app.ui.registry.failed
    assert "rusak" in caplog.text and "ModuleNotFoundError" in caplog.text


def test_strict_mode_refuses_any_broken_plugin(tmp_path, monkeypatch):
    _fake_entry_points(monkeypatch, MISSING)
    with pytest.raises(ConfigError) as failure:
        create_app(_config(tmp_path, [], strict=True))
    assert failure.value.path == "plugins.rusak"


class NeedsKey(msgspec.Struct):
    """Settings with a field that has no default."""

    api_key: str


class BadSchemaPlugin:
    """A plugin that declares settings a city cannot leave empty."""

    @tk.hookimpl
    def plugin_info(self):
        return tk.PluginInfo(slug="kunci", title="Key", dimension=tk.Dimension.ECONOMY, version="1")

    @tk.hookimpl
    def settings_schema(self):
        return NeedsKey


class WrongSlugPlugin:
    """A plugin whose info names another slug than its entry point."""

    @tk.hookimpl
    def plugin_info(self):
        return tk.PluginInfo(
            slug="lain", title="Other", dimension=tk.Dimension.ECONOMY, version="1"
        )


@pytest.mark.parametrize(
    ("plugin", "slug", "cause"),
    [
        (BadSchemaPlugin(), "kunci", "needs a default for every field"),
        (WrongSlugPlugin(), "salah", "plugin_info().slug is 'lain'"),
    ],
)
def test_a_plugin_declaring_something_invalid_is_refused_by_name(plugin, slug, cause):
    registry = plugin_loading.PluginRegistry()
    with pytest.raises(plugin_loading.PluginError) as failure:
        registry.register(plugin, slug)
    assert failure.value.slug == slug
    assert cause in str(failure.value)
    assert slug not in registry.plugins
    assert registry.pm.get_plugin(slug) is None  # nothing half-registered is left


def test_an_invalid_plugin_loaded_from_an_entry_point_is_recorded(monkeypatch, tmp_path):
    point = EntryPoint(name="kunci", value=f"{__name__}:BAD_SCHEMA", group="balai.plugins")
    _fake_entry_points(monkeypatch, point)
    with pytest.raises(ConfigError) as failure:
        create_app(_config(tmp_path, ["kunci"]))
    assert "kunci" in failure.value.reason
    assert "needs a default for every field" in failure.value.reason


BAD_SCHEMA = BadSchemaPlugin()
