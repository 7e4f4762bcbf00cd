"""Maps on pages: the city's tile server, and the page policy a map needs.

A page shows a map by calling the theme's ``ui.map`` component, which calls
:func:`map_setup` through the page context. That marks the response: the
security headers of *that* response then allow images from the city's tile
host (``City.map_tiles``) and the browser's location for the page itself
(the "near me" buttons). Every other page keeps the strict policy, so a tile
host is never trusted where no map is shown.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from balai.tenants import City

#: The scope key of the per-response policy additions (a dict shared by scope copies).
POLICY_KEY = "balai.page_policy"


def tile_origin(template: str) -> str:
    """``https://host[:port]`` of a tile URL template (``""`` for none)."""
    if not template:
        return ""
    parts = urlsplit(template)
    return f"{parts.scheme}://{parts.netloc}"


def map_setup(scope: dict[str, Any], city: City | None) -> dict[str, str]:
    """What a map needs on this page, and mark the response to allow it.

    Returns ``tiles`` (the URL template, ``""`` when the city set no tile
    server: then the component draws no map) and ``attribution``.
    """
    policy = scope.get(POLICY_KEY)
    tiles = city.map_tiles if city else ""
    if isinstance(policy, dict):
        policy["geolocation"] = True
        if tiles:
            policy["img_origin"] = tile_origin(tiles)
    return {"tiles": tiles, "attribution": city.map_attribution if city else ""}
