"""The application factory: config + installed plugins -> one ASGI application.

The same factory serves the demo, production workers and tests. The core's
own features are registered as the plugin ``core`` through the same hooks
that plugins use.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module
from pathlib import Path
from typing import Any

from litestar import Litestar, Router
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.logging.config import LoggingConfig
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import YamlRenderPlugin
from litestar.static_files import create_static_files_router
from litestar.stores.base import Store
from litestar.types import Receive, Scope, Send

from balai import __version__, core_plugin, signing
from balai.audit.log import record as audit_record
from balai.audit.log import record_denial
from balai.auth.access import (
    AccessRules,
    city_guard,
    require_officer,
    undeclared_permissions,
    unguarded_routes,
)
from balai.auth.sessions import DatabaseStore, SessionConfig
from balai.auth.throttle import Throttle
from balai.builtins import builtin_plugins
from balai.config import REDIS_SOCKET_TIMEOUT, Config, ConfigError, bind_plugins, ensure_secret
from balai.crypto.keys import KeyringError, keyring_for
from balai.crypto.keys import install as install_keyring
from balai.db.database import Database
from balai.db.replica import ReadRouting, ReplicaRoute
from balai.documents.service import activate as activate_documents
from balai.files import service as files_service
from balai.i18n import Catalogs, format_number, rupiah, translate, translate_plural
from balai.imports.service import activate as activate_imports
from balai.jobs.service import JobService
from balai.notifications.runtime import activate as activate_notifications
from balai.plugins import BUILTIN_SLUGS, CORE, PluginError, PluginRegistry, resolve
from balai.web.access_log import AccessLog
from balai.web.csrf import csrf_middleware
from balai.web.errors import handle_exception
from balai.web.pages import CITYLESS_PUBLIC
from balai.web.rendering import BASE_ROOT_KEY, tanggal
from balai.web.requests import BalaiRequest
from balai.web.security import SecurityHeaders
from balai.web.tenancy import CityDispatcher
from balai.web.themes import ThemeEnvironments, discover_themes

log = logging.getLogger("balai")
SESSION_LIFETIME = timedelta(days=14)


class StartupError(RuntimeError):
    """The application cannot start; the message says why."""


@dataclass
class UI:
    """What request handlers reach through ``request.app.state.ui``."""

    config: Config
    registry: PluginRegistry
    themes: ThemeEnvironments
    catalogs: Catalogs
    access: AccessRules
    database: Database
    throttle: Throttle
    redis: Any = None
    jobs: Any = None
    # Records a refused request (403) after the answer is sent: the audit
    # service's, handed down so that the web layer imports no service.
    record_denial: Callable[[Any, str], Awaitable[None]] | None = None
    # Appends to the audit log (balai.audit.log.record), for the same reason:
    # the sign-in machinery records refused sessions through it.
    audit_record: Callable[..., Awaitable[None]] | None = None


def package_dir(obj: Any) -> Path:
    """The folder of the package a plugin object was defined in."""
    module = obj if hasattr(obj, "__path__") or hasattr(obj, "__file__") else None
    name = getattr(module, "__name__", None) or type(obj).__module__
    top = import_module(name.split(".")[0]) if "." in name else import_module(name)
    if hasattr(top, "__path__"):
        return Path(next(iter(top.__path__)))
    return Path(top.__file__).parent  # type: ignore[arg-type]


def build_registry(plugins: Iterable[str] | None) -> PluginRegistry:
    """A registry with the core and the installed plugins (or just ``plugins``)."""
    registry = PluginRegistry()
    for slug, obj in builtin_plugins().items():
        registry.register(obj, slug)
    registry.load_entry_points(only=plugins)
    return registry


class BalaiApp:
    """The ASGI application: access log, security headers, city dispatch, then litestar."""

    def __init__(self, litestar: Litestar, ui: UI) -> None:
        self.litestar = litestar
        self.ui = ui
        dispatcher = CityDispatcher(litestar, ui.config, ui.catalogs)
        inner: Any = SecurityHeaders(dispatcher, hsts=not ui.config.development)
        if ui.database.replica is not None:
            inner = ReadRouting(
                inner,
                sticky_seconds=ui.config.replica_sticky_seconds,
                cookie_path=ui.config.root_path or "/",
                secure=not ui.config.development,
            )
        self._asgi = AccessLog(inner)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI event."""
        if scope["type"] in ("http", "websocket"):
            scope[BASE_ROOT_KEY] = scope.get("root_path", "")  # type: ignore[literal-required]
        await self._asgi(scope, receive, send)


def object_storage(config: Config) -> Any:
    """The instance's S3-compatible bucket as file storage (``None``: local disk)."""
    if config.file_storage != "s3":
        return None
    from balai.files.s3 import S3Storage

    return S3Storage(
        config.s3_bucket,
        endpoint_url=config.s3_endpoint_url,
        region=config.s3_region,
        prefix=config.s3_prefix,
    )


def create_app(
    config: Config,
    *,
    plugins: Iterable[str] | None = None,
    registry: PluginRegistry | None = None,
) -> BalaiApp:
    """Build the application for ``config``.

    Args:
        config: A configuration from :func:`balai.config.load_config`.
        plugins: Load only these installed plugins (default: all installed).
        registry: A prepared registry (tests register plugin objects directly).

    Raises:
        ConfigError: the configuration does not fit the installed plugins.
        StartupError: a route lacks a guard, a permission is undeclared, etc.
    """
    registry = registry or build_registry(plugins)
    config = ensure_secret(bind_plugins(config, registry))
    try:
        install_keyring(
            keyring_for(
                config.data_keys, config.index_key, config.data_dir, development=config.development
            )
        )
    except KeyringError as exc:
        raise ConfigError("BALAI_DATA_KEYS", str(exc)) from exc

    perms = [p for ps in registry.declared("permissions").values() for p in (ps or [])]
    roles = [r for rs in registry.declared("roles").values() for r in (rs or [])]
    try:
        access = AccessRules(perms, roles)
    except ValueError as exc:
        raise StartupError(str(exc)) from exc

    apps = [a for found in registry.declared("piccolo_apps").values() for a in (found or [])]
    replica = (
        ReplicaRoute(config.database_replica_url, max_lag_seconds=config.replica_max_lag_seconds)
        if config.database_replica_url
        else None
    )
    database = Database(config.database_url, apps, replica=replica)

    plugin_dirs = [
        package_dir(p.obj) for s, p in registry.plugins.items() if s not in BUILTIN_SLUGS
    ]
    themes = ThemeEnvironments(
        discover_themes(),
        [d / "templates" for d in plugin_dirs],
        gettext=translate,
        ngettext=translate_plural,
        auto_reload=config.development,
    )
    themes.filters.update({"rupiah": rupiah, "tanggal": tanggal, "angka": format_number})
    for city in config.cities.values():
        if city.theme not in themes.themes:
            raise ConfigError(f"cities.{city.slug}.theme", f"no theme named {city.theme!r}")
    catalogs = Catalogs([package_dir(core_plugin) / "locale", *(d / "locale" for d in plugin_dirs)])

    redis = None
    session_store: Store = DatabaseStore()
    if config.redis_url:
        from litestar.stores.redis import RedisStore
        from redis.asyncio import Redis

        redis = Redis.from_url(
            config.redis_url,
            socket_timeout=REDIS_SOCKET_TIMEOUT,
            socket_connect_timeout=REDIS_SOCKET_TIMEOUT,
        )
        session_store = RedisStore(redis, namespace=f"{config.redis_prefix}session")
    ui = UI(
        config=config,
        registry=registry,
        themes=themes,
        catalogs=catalogs,
        access=access,
        database=database,
        throttle=Throttle(redis=redis, prefix=config.redis_prefix),
        record_denial=record_denial,
        audit_record=audit_record,
        redis=redis,
    )
    try:
        ui.jobs = JobService.build(registry, config, redis)
    except PluginError as exc:
        raise StartupError(str(exc)) from exc
    ui.jobs.activate()
    files_service.configure(config.data_dir, object_storage(config))
    signing.configure(config.secret_key)
    try:
        activate_notifications(ui)
    except ValueError as exc:
        raise StartupError(str(exc)) from exc
    try:
        activate_imports(ui)
        activate_documents(ui)
    except PluginError as exc:
        raise StartupError(str(exc)) from exc

    route_handlers: list[Any] = [_static_routers(themes, registry, plugin_dirs)]
    for slug, plugin in registry.plugins.items():
        routes = registry.call_one(plugin.obj, "register_routes")
        if routes is None:
            continue
        builtin = slug in BUILTIN_SLUGS
        prefix = "" if slug == CORE else f"/{plugin.info.url_path}"
        opt = {"service": slug} if builtin else {"plugin": slug}
        # city_guard runs wherever it can refuse. On a built-in cityless route it
        # never does, and litestar copies the handler for every guard call
        # (~25 µs of the city home page's CPU), so those routes go without it.
        pages = list(routes.pages)
        free = [h for h in pages if builtin and h.opt.get("cityless")]
        guarded = [h for h in pages if h not in free]
        # The OpenAPI document describes the JSON API (routes.api) only, not the pages.
        if free:
            route_handlers.append(
                Router(path=prefix or "/", route_handlers=free, opt=opt, include_in_schema=False)
            )
        if guarded:
            route_handlers.append(
                Router(
                    path=prefix or "/",
                    route_handlers=guarded,
                    opt=opt,
                    guards=[city_guard],
                    include_in_schema=False,
                )
            )
        if routes.office:
            route_handlers.append(
                Router(
                    path=f"/kelola{prefix}",
                    route_handlers=list(routes.office),
                    opt={**opt, "office": True},
                    guards=[city_guard, require_officer],
                    include_in_schema=False,
                )
            )
        if routes.api:
            route_handlers.append(
                Router(
                    path=f"/api{prefix}",
                    route_handlers=list(routes.api),
                    opt=opt,
                    guards=[city_guard],
                )
            )

    async def on_startup(app: Litestar) -> None:
        await database.open()
        for result in registry.each("startup", app=app).values():
            await resolve(result)
        await ui.jobs.start()  # after the plugins' start-up: jobs may use what it prepared
        # Everything built so far lives as long as the process: move it out of the
        # collector's sight, so that full collections (tens of ms each with the
        # plugins loaded) stop walking it; measured ~60-100 µs less CPU per page.
        gc.collect()
        gc.freeze()

    async def on_shutdown(app: Litestar) -> None:
        await ui.jobs.stop()
        await database.close()
        if redis is not None:
            await redis.aclose()

    cookie_path = config.root_path or "/"  # a proxy's mount path: cookies stay under it
    csrf_config = CSRFConfig(
        secret=config.secret_key,
        cookie_name="balai_csrf",
        cookie_path=cookie_path,
        cookie_secure=not config.development,
        cookie_httponly=True,
        header_name="x-csrftoken",
    )
    litestar = Litestar(
        route_handlers=route_handlers,  # city_guard is on the routers (see above)
        request_class=BalaiRequest,
        stores={"sessions": session_store},
        middleware=[
            SessionConfig(
                store="sessions",
                key="balai_session",
                path=cookie_path,
                max_age=int(SESSION_LIFETIME.total_seconds()),
                secure=not config.development,
                httponly=True,
                samesite="lax",
            ).middleware_with(csrf_config),
            # In place of csrf_config (same checks, a shorter path for page views).
            csrf_middleware(csrf_config),
        ],
        exception_handlers={Exception: handle_exception},
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
        request_max_body_size=config.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="Balai API",
            version=__version__,
            path="/api/schema",
            render_plugins=[YamlRenderPlugin()],
            openapi_router=Router(
                path="/api/schema",
                route_handlers=[],
                opt=CITYLESS_PUBLIC,
                include_in_schema=False,
            ),
        ),
        logging_config=LoggingConfig(log_exceptions="debug", configure_root_logger=False),
        debug=False,
        state=State({"ui": ui}),
    )
    missing = unguarded_routes(litestar, [city_guard])
    if missing:
        raise StartupError("Routes without a guard or opt=PUBLIC: " + ", ".join(missing))
    undeclared = undeclared_permissions(litestar, access)
    if undeclared:
        raise StartupError("Guards name undeclared permissions: " + ", ".join(undeclared))
    ui.jobs.bind(litestar)  # jobs reach the app through their JobContext
    return BalaiApp(litestar, ui)


def _static_routers(
    themes: ThemeEnvironments, registry: PluginRegistry, plugin_dirs: list[Path]
) -> Router:
    routers: list[Any] = []
    opt = {**CITYLESS_PUBLIC, "same_for_all": True}  # cacheable whoever asks
    for name in themes.themes:
        routers.append(
            create_static_files_router(
                path=f"/t/{name}",
                directories=themes.static_dirs(name),
                name=f"static-theme-{name}",
                opt=opt,
                cache_control=None,
                include_in_schema=False,
            )
        )
    for (slug, _), folder in zip(
        [(s, p) for s, p in registry.plugins.items() if s not in BUILTIN_SLUGS],
        plugin_dirs,
        strict=True,
    ):
        if (folder / "static").is_dir():
            routers.append(
                create_static_files_router(
                    path=f"/p/{slug}",
                    directories=[folder / "static"],
                    name=f"static-plugin-{slug}",
                    opt=opt,
                    include_in_schema=False,
                )
            )
    return Router(path="/static", route_handlers=routers, opt=opt)
