"""A plugin's routes as the conformance suite sees them: method, path, access.

Read from the built application, so the suite needs nothing from the plugin
but its slug: every litestar handler the core mounted for the plugin carries
``opt["plugin"]``, and ``opt=tk.PUBLIC`` marks those anyone may open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote


@dataclass(frozen=True)
class PluginRoute:
    """One method on one path of a plugin, inside the city.

    Attributes:
        method: ``GET`` or ``POST`` (or another unsafe method).
        path: The litestar path with typed parameters (``/pajak/usaha/{business_id:int}``).
        params: Path parameter names and their types, in order.
        public: Whether the handler carries ``opt=tk.PUBLIC``.
    """

    method: str
    path: str
    params: tuple[tuple[str, type], ...]
    public: bool

    @property
    def pattern(self) -> re.Pattern[str]:
        """A regular expression matching this route's concrete paths."""
        regex = ""
        for part in re.split(r"(\{[^}]+\})", self.path):
            if part.startswith("{"):
                kind = part[1:-1].partition(":")[2]
                regex += r"-?\d+" if kind == "int" else r"[^/]+"
            else:
                regex += re.escape(part)
        return re.compile(regex.rstrip("/") + "/?")

    def url(self, city: str, values: dict[str, Any]) -> str:
        """The route's path in ``city`` with ``values`` for its parameters."""
        path = self.path
        for name, _ in self.params:
            path = re.sub(r"\{" + name + r"(:[^}]*)?\}", quote(str(values[name]), safe=""), path)
        return f"/{city}{path}"

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def plugin_routes(app: Any, slug: str) -> list[PluginRoute]:
    """Every route the plugin (or built-in service) ``slug`` declares, OPTIONS and HEAD left out."""
    found: list[PluginRoute] = []
    for route in app.litestar.routes:
        for handler in getattr(route, "route_handlers", ()):
            if slug not in (handler.opt.get("plugin"), handler.opt.get("service")):
                continue
            params = tuple((p.name, p.type) for p in route.path_parameters.values())
            for method in sorted(handler.http_methods - {"OPTIONS", "HEAD"}):
                found.append(
                    PluginRoute(method, route.path, params, bool(handler.opt.get("public")))
                )
    return sorted(set(found), key=lambda r: (r.path, r.method))


def route_of(routes: list[PluginRoute], method: str, path: str) -> PluginRoute | None:
    """The route answering ``method`` on ``path`` (a path inside the city), if any."""
    for route in sorted(routes, key=lambda r: len(r.params)):  # fixed segments win
        if route.method == method and route.pattern.fullmatch(path):
            return route
    return None
