"""The instance configuration: one TOML file, secrets from the environment.

A file looks like ``examples/demo.toml``. :func:`load_config` checks it whole
and raises :class:`ConfigError` naming the key path and the reason; plugin
settings are checked against each plugin's schema in :func:`bind_plugins`.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from balai.plugins import BUILTIN_SLUGS, PluginRegistry
from balai.tenants import City

LOCALES = ("id", "en")
DEFAULT_REDIS_PREFIX = "balai:"
#: Seconds a Redis command may take before the client gives up (redis-py 8 would
#: otherwise use 5 s, also for the job queue's blocking wait; see balai.jobs.queue).
REDIS_SOCKET_TIMEOUT = 10.0
#: The environment variable ``balai serve --root-path`` sets for its workers.
ROOT_PATH_ENV = "BALAI_ROOT_PATH"
_ROOT_PATH = re.compile(r"^(?:/[A-Za-z0-9._~-]+)+$")
_SLUG = re.compile(r"^[a-z][a-z0-9-]{1,38}$")


class ConfigError(ValueError):
    """The instance configuration is invalid."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class _CityFile(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    hosts: list[str] = []
    locale: str = "id"
    timezone: str = "Asia/Jakarta"
    theme: str = "default"
    plugins: list[str] = []
    region_code: str = ""
    base_url: str = ""
    map_tiles: str = ""
    map_attribution: str = ""
    settings: dict[str, dict[str, Any]] = {}


class _InstanceFile(msgspec.Struct, forbid_unknown_fields=True):
    data_dir: str = "balai-data"
    path_prefix: bool = True
    development: bool = False
    strict: bool = False
    max_body_bytes: int = 10 * 1024 * 1024
    workers: int = 2
    run_jobs: bool = True
    job_lease_seconds: int = 120
    root_path: str = ""
    file_storage: str = "local"
    s3_bucket: str = ""
    s3_endpoint_url: str = ""
    s3_region: str = ""
    s3_prefix: str = ""
    replica_max_lag_seconds: float = 5.0
    replica_sticky_seconds: int = 10


class _File(msgspec.Struct, forbid_unknown_fields=True):
    cities: dict[str, dict[str, Any]]
    instance: _InstanceFile = msgspec.field(default_factory=_InstanceFile)


@dataclass
class Config:
    """A checked instance configuration.

    Attributes:
        cities: Cities by slug, in file order.
        data_dir: Folder for the SQLite database, uploads and generated secrets.
        path_prefix: Serve each city at ``/<slug>/`` as well as on its hosts.
        development: Local development: no HSTS, cookies without ``Secure``,
            any Host header accepted.
        strict: Any plugin that fails to load stops start-up.
        database_url: From ``DATABASE_URL``; SQLite in ``data_dir`` by default.
        redis_url: From ``REDIS_URL``; sessions, throttling and jobs use it when set.
        redis_prefix: From ``REDIS_KEY_PREFIX`` (default ``balai:``); every
            key the instance writes to Redis starts with it, so instances
            (or test runs) can share one Redis server.
        secret_key: From ``BALAI_SECRET_KEY``.
        data_keys: From ``BALAI_DATA_KEYS``: ``id:key`` pairs encrypting
            personal fields, the first one active (:mod:`balai.crypto.keys`).
        index_key: From ``BALAI_INDEX_KEY``: the blind indexes' HMAC key.
        run_jobs: Each worker runs the job runner (``[instance] run_jobs``).
        job_lease_seconds: How long a job run (and an import run) stays with
            a worker that stopped renewing it (``[instance] job_lease_seconds``);
            after that another worker runs it again (:mod:`balai.jobs.runner`).
        root_path: The path a reverse proxy mounts the platform under
            (``/layanan``; ``""`` at the host's root): ``BALAI_ROOT_PATH``
            (set by ``balai serve --root-path``) or ``[instance] root_path``.
            Links, redirects and static files carry it; cookies are scoped to it.
        file_storage: ``"local"`` (``<data_dir>/files``) or ``"s3"``: an
            S3-compatible bucket (``s3_bucket``, ``s3_endpoint_url``,
            ``s3_region``, ``s3_prefix``; credentials from boto3's chain).
        database_replica_url: From ``DATABASE_REPLICA_URL``: a PostgreSQL
            streaming replica that GET pages read from (:mod:`balai.db.replica`).
        replica_max_lag_seconds: Reads go to the primary while the replica
            replays further behind (``[instance] replica_max_lag_seconds``).
        replica_sticky_seconds: After a browser's request wrote, its requests
            read from the primary this long (``[instance] replica_sticky_seconds``).
        source: The file the configuration came from.
    """

    cities: dict[str, City]
    data_dir: Path
    path_prefix: bool = True
    development: bool = False
    strict: bool = False
    max_body_bytes: int = 10 * 1024 * 1024
    workers: int = 2
    run_jobs: bool = True
    job_lease_seconds: int = 120
    root_path: str = ""
    file_storage: str = "local"
    s3_bucket: str = ""
    s3_endpoint_url: str = ""
    s3_region: str = ""
    s3_prefix: str = ""
    database_url: str = ""
    database_replica_url: str = ""
    replica_max_lag_seconds: float = 5.0
    replica_sticky_seconds: int = 10
    redis_url: str | None = None
    redis_prefix: str = DEFAULT_REDIS_PREFIX
    secret_key: str = ""
    data_keys: str = ""
    index_key: str = ""
    source: Path | None = None
    raw_settings: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    def allowed_hosts(self) -> frozenset[str]:
        """Host names (no port) this instance answers on: the cities' and their base URLs'."""
        names = {h for city in self.cities.values() for h in city.hosts}
        names.update(
            urlsplit(c.base_url).hostname or "" for c in self.cities.values() if c.base_url
        )
        return frozenset(names - {""})

    def city_for_host(self, host: str) -> City | None:
        """The city served on ``host`` (port ignored), if any."""
        name = host.split(":", 1)[0].lower()
        for city in self.cities.values():
            if name in city.hosts:
                return city
        return None


def _path_of(exc: msgspec.ValidationError) -> tuple[str, str]:
    text = str(exc)
    match = re.search(r" - at `\$(.*)`$", text)
    key, reason = (match.group(1).lstrip("."), text[: match.start()]) if match else ("", text)
    field_name = re.search(r"(?:unknown|missing required) field `([^`]+)`", reason)
    if field_name:  # msgspec names the table; the key path should name the field too
        key = f"{key}.{field_name.group(1)}".lstrip(".")
    return key or "(file)", reason


def _parse(document: Any) -> _File:
    """Convert a decoded file, naming the city in error paths (not ``cities[...]``)."""
    cities = document.get("cities") if isinstance(document, dict) else None
    for slug, table in cities.items() if isinstance(cities, dict) else ():
        try:
            msgspec.convert(table, _CityFile)
        except msgspec.ValidationError as exc:
            key, reason = _path_of(exc)
            where = f"cities.{slug}" if key == "(file)" else f"cities.{slug}.{key}"
            raise ConfigError(where, reason) from exc
    try:
        return msgspec.convert(document, _File)
    except msgspec.ValidationError as exc:
        key, reason = _path_of(exc)
        raise ConfigError(key, reason) from exc


def load_config(
    path: str | Path,
    *,
    environ: dict[str, str] | None = None,
    available_themes: set[str] | None = None,
) -> Config:
    """Read and check an instance file, taking secrets from ``environ``.

    Raises:
        ConfigError: naming the key path and the reason.
    """
    env = os.environ if environ is None else environ
    source = Path(path)
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise ConfigError(str(source), f"cannot read the file ({exc.strerror})") from exc
    try:
        document = msgspec.toml.decode(raw)
    except msgspec.DecodeError as exc:
        raise ConfigError(str(source), f"not valid TOML: {exc}") from exc
    return _check(_parse(document), env, source, available_themes)


def _base_url(raw: str, where: str) -> str:
    """A city's ``base_url`` checked: http(s), a host, no query; without its last ``/``."""
    if not raw:
        return ""
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(
            where, "an http:// or https:// address with a host, like https://kota.go.id"
        )
    return raw.rstrip("/")


def check_tile_template(raw: str, where: str) -> str:
    """A city's ``map_tiles`` checked: an https URL template with ``{z}``, ``{x}`` and ``{y}``.

    The host is what the Content-Security-Policy of map pages allows for
    images, so it must be a plain host (no user part, no wildcard).
    """
    if not raw:
        return ""
    parts = urlsplit(raw.replace("{", "").replace("}", ""))
    host = urlsplit(raw).netloc
    if (
        parts.scheme != "https"
        or not host
        or any(c in host for c in "@{}*")
        or any(f"{{{k}}}" not in raw for k in "zxy")
        or any(c in raw for c in " \"'<>")
    ):
        raise ConfigError(
            where,
            "an https:// tile address with {z}, {x} and {y}, "
            "like https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        )
    return raw


def _check(
    parsed: _File, env: Any, source: Path | None, available_themes: set[str] | None
) -> Config:
    if not parsed.cities:
        raise ConfigError("cities", "at least one city is needed")
    cities: dict[str, City] = {}
    seen_hosts: dict[str, str] = {}
    raw_settings: dict[str, dict[str, dict[str, Any]]] = {}
    for slug, raw_city in parsed.cities.items():
        where = f"cities.{slug}"
        try:
            c = msgspec.convert(raw_city, _CityFile)
        except msgspec.ValidationError as exc:
            key, reason = _path_of(exc)
            raise ConfigError(f"{where}.{key}" if key != "(file)" else where, reason) from exc
        if not _SLUG.match(slug):
            raise ConfigError(where, "a city slug is 2-39 lower-case letters, digits or dashes")
        if c.locale not in LOCALES:
            raise ConfigError(f"{where}.locale", f"must be one of {', '.join(LOCALES)}")
        try:
            ZoneInfo(c.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"{where}.timezone", f"unknown time zone {c.timezone!r}") from exc
        if available_themes is not None and c.theme not in available_themes:
            raise ConfigError(
                f"{where}.theme",
                f"no theme {c.theme!r} (have: {', '.join(sorted(available_themes))})",
            )
        for host in c.hosts:
            host_l = host.lower()
            if host_l in seen_hosts:
                raise ConfigError(
                    f"{where}.hosts", f"{host!r} is already used by {seen_hosts[host_l]}"
                )
            seen_hosts[host_l] = slug
        if len(set(c.plugins)) != len(c.plugins):
            raise ConfigError(f"{where}.plugins", "a plugin is listed twice")
        base_url = _base_url(c.base_url, f"{where}.base_url") or (
            f"https://{c.hosts[0].lower()}" if c.hosts else ""
        )
        map_tiles = check_tile_template(c.map_tiles, f"{where}.map_tiles")
        if map_tiles and not c.map_attribution.strip():
            raise ConfigError(
                f"{where}.map_attribution", "say whose map the tiles are (the tile licence asks it)"
            )
        raw_settings[slug] = c.settings
        cities[slug] = City(
            slug=slug,
            name=c.name,
            hosts=tuple(h.lower() for h in c.hosts),
            locale=c.locale,
            timezone=c.timezone,
            theme=c.theme,
            plugins=tuple(c.plugins),
            region_code=c.region_code,
            base_url=base_url,
            map_tiles=map_tiles,
            map_attribution=c.map_attribution.strip(),
        )
    data_dir = Path(parsed.instance.data_dir)
    if not data_dir.is_absolute():
        data_dir = (Path.cwd() / data_dir).resolve()
    database_url = env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'balai.db'}"
    root_path = check_root_path(env.get(ROOT_PATH_ENV) or parsed.instance.root_path)
    instance = parsed.instance
    if instance.job_lease_seconds < 1:
        raise ConfigError("instance.job_lease_seconds", "must be at least 1")
    if instance.file_storage not in ("local", "s3"):
        raise ConfigError("instance.file_storage", 'must be "local" or "s3"')
    if instance.file_storage == "s3" and not instance.s3_bucket.strip():
        raise ConfigError("instance.s3_bucket", 'name the bucket when file_storage = "s3"')
    replica_url = env.get("DATABASE_REPLICA_URL", "").strip()
    if replica_url and not (
        database_url.startswith(("postgres://", "postgresql://"))
        and replica_url.startswith(("postgres://", "postgresql://"))
    ):
        raise ConfigError(
            "DATABASE_REPLICA_URL", "a read replica needs PostgreSQL for it and for DATABASE_URL"
        )
    if not 0 <= instance.replica_max_lag_seconds <= 86400:
        raise ConfigError("instance.replica_max_lag_seconds", "between 0 and 86400 seconds")
    if not 0 <= instance.replica_sticky_seconds <= 3600:
        raise ConfigError("instance.replica_sticky_seconds", "between 0 and 3600 seconds")
    return Config(
        cities=cities,
        data_dir=data_dir,
        path_prefix=parsed.instance.path_prefix,
        development=parsed.instance.development,
        strict=parsed.instance.strict,
        max_body_bytes=parsed.instance.max_body_bytes,
        workers=parsed.instance.workers,
        run_jobs=parsed.instance.run_jobs,
        job_lease_seconds=instance.job_lease_seconds,
        root_path=root_path,
        file_storage=instance.file_storage,
        s3_bucket=instance.s3_bucket.strip(),
        s3_endpoint_url=instance.s3_endpoint_url.strip(),
        s3_region=instance.s3_region.strip(),
        s3_prefix=instance.s3_prefix,
        database_url=database_url,
        database_replica_url=replica_url,
        replica_max_lag_seconds=instance.replica_max_lag_seconds,
        replica_sticky_seconds=instance.replica_sticky_seconds,
        redis_url=env.get("REDIS_URL") or None,
        redis_prefix=env.get("REDIS_KEY_PREFIX") or DEFAULT_REDIS_PREFIX,
        secret_key=env.get("BALAI_SECRET_KEY", ""),
        data_keys=env.get("BALAI_DATA_KEYS", ""),
        index_key=env.get("BALAI_INDEX_KEY", ""),
        source=source,
        raw_settings=raw_settings,
    )


def check_root_path(raw: str) -> str:
    """A proxy's mount path as ``/a/b`` (``""`` for none; a trailing ``/`` is dropped).

    Raises:
        ConfigError: not an absolute path of plain segments.
    """
    path = raw.strip().rstrip("/")
    if path and (not _ROOT_PATH.match(path) or {".", ".."} & set(path.split("/"))):
        raise ConfigError(
            "instance.root_path",
            f"{raw!r} is not a path such as /layanan (letters, digits, '-', '_', '.')",
        )
    return path


def ensure_secret(config: Config) -> Config:
    """Give a development instance a secret kept in its data folder.

    Production (``development = false``) must set ``BALAI_SECRET_KEY``.

    Raises:
        ConfigError: when production runs without a secret.
    """
    if config.secret_key:
        if len(config.secret_key) < 32:
            raise ConfigError("BALAI_SECRET_KEY", "must be at least 32 characters")
        return config
    if not config.development:
        raise ConfigError(
            "BALAI_SECRET_KEY", "set this environment variable (32+ random characters)"
        )
    key_file = config.data_dir / "secret.key"
    key_file.parent.mkdir(parents=True, exist_ok=True)
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return replace(config, secret_key=key_file.read_text().strip())


def bind_plugins(config: Config, registry: PluginRegistry) -> Config:
    """Check each city's plugins against what is installed and validate settings.

    A plugin that failed to load stops start-up when a city enables it (or
    always, in strict mode).

    Raises:
        ConfigError: naming the city, the plugin and the cause.
    """
    if config.strict and registry.failed:
        first = next(iter(registry.failed.values()))
        raise ConfigError(f"plugins.{first.slug}", first.cause)
    cities: dict[str, City] = {}
    builtins = [s for s in registry.plugins if s in BUILTIN_SLUGS]
    for slug, city in config.cities.items():
        settings: dict[str, Any] = {}
        given = config.raw_settings.get(slug, {})
        for name in given:
            if name not in city.plugins and name not in BUILTIN_SLUGS:
                raise ConfigError(
                    f"cities.{slug}.settings.{name}",
                    "settings for a plugin the city does not enable",
                )
        for plugin in city.plugins:
            where = f"cities.{slug}.plugins"
            if plugin in registry.failed:
                raise ConfigError(where, registry.failed[plugin].args[0])
            if plugin not in registry.plugins:
                raise ConfigError(where, f"plugin {plugin!r} is not installed")
        for plugin in [*builtins, *city.plugins]:
            loaded = registry.plugins[plugin]
            raw = given.get(plugin, {})
            if loaded.settings_schema is None:
                if raw and plugin not in BUILTIN_SLUGS:  # built-ins may read their own table
                    raise ConfigError(
                        f"cities.{slug}.settings.{plugin}", "this plugin takes no settings"
                    )
                continue
            try:
                settings[plugin] = msgspec.convert(raw, loaded.settings_schema, strict=False)
            except msgspec.ValidationError as exc:
                key, reason = _path_of(exc)
                raise ConfigError(
                    f"cities.{slug}.settings.{plugin}.{key}".rstrip("."), reason
                ) from exc
        cities[slug] = replace(city, settings=settings)
    return replace(config, cities=cities)
