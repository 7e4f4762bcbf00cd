"""The importers every plugin declared, and which of them a city offers."""

from __future__ import annotations

import inspect
from collections.abc import Iterable

from balai.imports.types import Importer
from balai.plugins import BUILTIN_SLUGS, PluginError, PluginRegistry
from balai.tenants import City


class UnknownImporterError(LookupError):
    """No importer has that key, or the city does not enable its plugin."""


class ImporterCatalog:
    """Importers by key, collected once from the ``spreadsheet_importers`` hook."""

    def __init__(self, importers: Iterable[Importer]) -> None:
        self.importers: dict[str, Importer] = {}
        for importer in importers:
            if importer.key in self.importers:
                raise PluginError(importer.owner, f"importer {importer.key!r} is declared twice")
            self.importers[importer.key] = importer

    @classmethod
    def from_registry(cls, registry: PluginRegistry, permissions: Iterable[str]) -> ImporterCatalog:
        """Collect and check every plugin's declarations.

        Raises:
            PluginError: not ``Importer`` values, a key outside the plugin's
                namespace, an undeclared permission, a handler that is not
                ``async``, or a key declared twice.
        """
        declared = set(permissions)
        found: list[Importer] = []
        for slug, plugin in registry.plugins.items():
            try:
                importers = registry.call_one(plugin.obj, "spreadsheet_importers")
            except ValueError as exc:  # an Importer that refused its own arguments
                raise PluginError(slug, f"spreadsheet_importers(): {exc}") from exc
            if inspect.iscoroutine(importers):
                importers.close()
                raise PluginError(slug, "spreadsheet_importers() must be a plain function")
            for importer in importers or ():
                if not isinstance(importer, Importer):
                    raise PluginError(
                        slug, "spreadsheet_importers() must return tk.Importer values"
                    )
                if importer.owner != slug:
                    raise PluginError(
                        slug, f"importer {importer.key!r} must be named '{slug}.<what>'"
                    )
                if importer.permission is not None and importer.permission not in declared:
                    raise PluginError(
                        slug,
                        f"importer {importer.key!r} needs undeclared permission "
                        f"{importer.permission!r}",
                    )
                if not inspect.iscoroutinefunction(importer.handle_row):
                    raise PluginError(slug, f"importer {importer.key!r}: handle_row must be async")
                found.append(importer)
        return cls(found)

    def offered_in(self, importer: Importer, city: City) -> bool:
        """Whether ``city`` offers ``importer`` (its plugin is enabled there)."""
        return importer.owner in BUILTIN_SLUGS or city.enables(importer.owner)

    def get(self, key: str, city: City) -> Importer:
        """The importer ``key`` as offered in ``city``.

        Raises:
            UnknownImporterError: no such importer in ``city``.
        """
        importer = self.importers.get(key)
        if importer is None or not self.offered_in(importer, city):
            raise UnknownImporterError(key)
        return importer
