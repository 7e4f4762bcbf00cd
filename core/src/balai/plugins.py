"""Finding, loading and calling plugins.

The plugin manager lives on the :class:`PluginRegistry`, which lives on the
application; there is no module-global manager. Entry points are loaded one
by one so that a broken plugin is named with its cause instead of hiding the
others. "Enabled for this city" is applied in one place, :meth:`for_city`.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import entry_points
from types import CoroutineType
from typing import Any

import msgspec
import pluggy

from balai import hookspecs
from balai.tenants import City
from balai.types import PluginInfo

log = logging.getLogger("balai.plugins")

ENTRY_POINT_GROUP = "balai.plugins"
CORE = "core"
# Slugs of the core's own features, registered by balai.builtins; always enabled.
BUILTIN_SLUGS = frozenset(
    {
        CORE,
        "jobs",
        "files",
        "audit",
        "notifications",
        "payments",
        "payments_sandbox",
        "partners",
        "dashboard",
        "opendata",
        "imports",
        "documents",
    }
)


class PluginError(RuntimeError):
    """A plugin could not be loaded or declares something invalid."""

    def __init__(self, slug: str, cause: str) -> None:
        super().__init__(f"plugin {slug!r}: {cause}")
        self.slug = slug
        self.cause = cause


@dataclass
class LoadedPlugin:
    """A registered plugin and what it said about itself."""

    slug: str
    obj: Any
    info: PluginInfo
    settings_schema: type[msgspec.Struct] | None


# Hook results that are never awaitable: most hooks answer synchronously with
# one of these, and a type check is several times cheaper than
# ``inspect.isawaitable`` (an ABC check), which pages pay per hook result.
_PLAIN = frozenset({list, tuple, dict, str, int, bool, type(None)})


async def resolve(value: Any) -> Any:
    """Await ``value`` if it is awaitable: the one helper every hook result passes."""
    if type(value) in _PLAIN or not inspect.isawaitable(value):
        return value
    return await value


class PluginRegistry:
    """The plugin manager of one application, with the plugins it loaded."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager("balai")
        self.pm.add_hookspecs(hookspecs)
        self.plugins: dict[str, LoadedPlugin] = {}
        self.failed: dict[str, PluginError] = {}
        self._city_hooks: dict[tuple[str, str], Any] = {}
        self._city_impls: dict[
            tuple[str, str], list[tuple[Any, tuple[str, ...], frozenset[str]]]
        ] = {}

    # --- loading -----------------------------------------------------------

    def load_entry_points(self, only: Iterable[str] | None = None) -> None:
        """Load installed plugins one by one, recording failures by name.

        Args:
            only: When given, load just these entry-point names.
        """
        wanted = set(only) if only is not None else None
        for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            if wanted is not None and ep.name not in wanted:
                continue
            if ep.name in self.plugins:
                continue
            if ep.name in BUILTIN_SLUGS:
                self.failed[ep.name] = PluginError(ep.name, "this name is reserved for the core")
                continue
            try:
                obj = ep.load()
            except Exception as exc:  # a broken plugin must not hide the others
                self.failed[ep.name] = PluginError(
                    ep.name, f"failed to import {ep.value}: {type(exc).__name__}: {exc}"
                )
                log.warning("%s", self.failed[ep.name])
                continue
            try:
                self.register(obj, ep.name)
            except PluginError as exc:
                self.failed[ep.name] = exc
                log.warning("%s", exc)

    def register(self, obj: Any, slug: str) -> LoadedPlugin:
        """Register ``obj`` (a module or object with hook implementations) as ``slug``."""
        try:
            self.pm.register(obj, name=slug)
        except (ValueError, pluggy.PluginValidationError) as exc:
            raise PluginError(slug, f"invalid hook implementation: {exc}") from exc
        try:
            loaded = self._describe(obj, slug)
        except PluginError:
            self.pm.unregister(obj)
            raise
        self.plugins[slug] = loaded
        self._city_hooks.clear()
        self._city_impls.clear()
        return loaded

    def _describe(self, obj: Any, slug: str) -> LoadedPlugin:
        info = self.call_one(obj, "plugin_info")
        if not isinstance(info, PluginInfo):
            raise PluginError(slug, "plugin_info() must return a toolkit.PluginInfo")
        if info.slug != slug:
            raise PluginError(slug, f"plugin_info().slug is {info.slug!r}, entry point is {slug!r}")
        schema = self.call_one(obj, "settings_schema")
        if schema is not None:
            if not (isinstance(schema, type) and issubclass(schema, msgspec.Struct)):
                raise PluginError(slug, "settings_schema() must return a msgspec.Struct class")
            try:
                msgspec.convert({}, schema)
            except msgspec.ValidationError as exc:
                raise PluginError(
                    slug, f"settings schema needs a default for every field ({exc})"
                ) from exc
        return LoadedPlugin(slug=slug, obj=obj, info=info, settings_schema=schema)

    def call_one(self, obj: Any, hook_name: str, **kwargs: Any) -> Any:
        """Call one plugin's implementation of a synchronous start-up hook."""
        for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
            if impl.plugin is obj:
                return impl.function(**{k: kwargs[k] for k in impl.argnames if k in kwargs})
        return None

    def each(self, hook_name: str, **kwargs: Any) -> dict[str, Any]:
        """Call a start-up hook on every plugin; results keyed by plugin slug."""
        results: dict[str, Any] = {}
        for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
            args = {k: kwargs[k] for k in impl.argnames if k in kwargs}
            results[impl.plugin_name] = impl.function(**args)
        return results

    def declared(self, hook_name: str) -> dict[str, Any]:
        """Call a declaration hook on every plugin; it must answer synchronously."""
        results = self.each(hook_name)
        for slug, value in results.items():
            if inspect.iscoroutine(value):
                value.close()
                raise PluginError(slug, f"{hook_name}() must be a plain function, not async")
        return results

    # --- per city ----------------------------------------------------------

    def for_city(self, city: City, hook_name: str) -> Any:
        """The hook caller for ``hook_name`` limited to plugins ``city`` enabled."""
        key = (city.slug, hook_name)
        caller = self._city_hooks.get(key)
        if caller is None:
            disabled = [
                p.obj
                for slug, p in self.plugins.items()
                if slug not in BUILTIN_SLUGS and not city.enables(slug)
            ]
            caller = self.pm.subset_hook_caller(hook_name, remove_plugins=disabled)
            self._city_hooks[key] = caller
        return caller

    async def gather(self, city: City, hook_name: str, /, **kwargs: Any) -> list[Any]:
        """Call a per-city hook and return its flattened, awaited results.

        Pages call several hooks per request, so the implementations that
        :meth:`for_city` selects are kept with their argument names and
        called in pluggy's order (last registered first); no hook uses
        wrappers, which is what pluggy's machinery would add. The
        implementation's ``function`` is read at each call, as pluggy does.
        Results are awaited when awaitable, sequences flattened and ``None``
        dropped, in one loop (no generator or argument dict per call).
        """
        given = kwargs.keys()
        items: list[Any] = []
        for impl, names, wanted in self._impls(city, hook_name):
            # Most implementations take every argument the page passes: no new dict then.
            if wanted == given:
                value = impl.function(**kwargs)
            else:
                value = impl.function(**{k: kwargs[k] for k in names})
            if type(value) is CoroutineType or (
                type(value) not in _PLAIN and inspect.isawaitable(value)
            ):
                value = await value
            if value is None:
                continue
            if type(value) is list or isinstance(value, list | tuple):
                items.extend([v for v in value if v is not None])
            else:
                items.append(value)
        return items

    async def gather_from(self, city: City, hook_name: str, /, **kwargs: Any) -> list[Any]:
        """As :meth:`gather`, each result paired with the slug of the plugin that gave it.

        For results that refer to the plugin's own files (a home tile's icon
        in its static folder). Returns ``(slug, result)`` pairs.
        """
        pairs: list[tuple[str, Any]] = []
        for impl, names, _wanted in self._impls(city, hook_name):
            value = impl.function(**{k: kwargs[k] for k in names})
            if inspect.isawaitable(value):
                value = await value
            values = value if isinstance(value, list | tuple) else [value]
            pairs.extend((impl.plugin_name, v) for v in values if v is not None)
        return pairs

    def _impls(self, city: City, hook_name: str) -> list[tuple[Any, list[str], frozenset[str]]]:
        """The implementations :meth:`for_city` selects, in call order, with their arguments."""
        key = (city.slug, hook_name)
        impls = self._city_impls.get(key)
        if impls is None:
            impls = [
                (impl, impl.argnames, frozenset(impl.argnames))
                for impl in reversed(self.for_city(city, hook_name).get_hookimpls())
            ]
            self._city_impls[key] = impls
        return impls

    def enabled(self, city: City) -> list[LoadedPlugin]:
        """The loaded plugins ``city`` enabled, in the order its file lists them."""
        return [self.plugins[s] for s in city.plugins if s in self.plugins]
