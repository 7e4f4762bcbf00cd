"""Themes: where they are, and the template loader chain of each.

A theme is a folder with ``templates/`` and ``static/``. A city's theme is
searched first, then ``default``, then each plugin's own ``templates/``
folder (namespaced inside by slug), so a theme overrides any template or
asset by the same path. ``{% extends "default:core/home.html" %}`` always
reaches the original, so an override can extend what it replaces.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import jinja2

DEFAULT_THEME = "default"


def bundled_root(name: str) -> Path:
    """A folder shipped beside the code: in the wheel, or in the source checkout."""
    package_dir = Path(__file__).resolve().parents[1]
    packaged = package_dir / "_bundled" / name
    if packaged.is_dir():
        return packaged
    return package_dir.parents[2] / name


def discover_themes(extra_dirs: Iterable[Path] = ()) -> dict[str, Path]:
    """Theme folders by name: the bundled ones, then any extra roots (which win)."""
    themes: dict[str, Path] = {}
    for root in (bundled_root("themes"), *extra_dirs):
        if not root.is_dir():
            continue
        for child in sorted(root.iterdir()):
            if (child / "templates").is_dir() or (child / "static").is_dir():
                themes[child.name] = child
    if DEFAULT_THEME not in themes:
        raise RuntimeError(f"The default theme is missing (looked in {bundled_root('themes')})")
    return themes


class ThemeEnvironments:
    """One Jinja environment per theme, sharing globals and filters."""

    def __init__(
        self,
        themes: dict[str, Path],
        plugin_template_dirs: Iterable[Path],
        *,
        gettext: Callable[..., str],
        ngettext: Callable[..., str],
        auto_reload: bool = False,
    ) -> None:
        self.themes = themes
        self._plugin_dirs = [d for d in plugin_template_dirs if d.is_dir()]
        self._gettext = gettext
        self._ngettext = ngettext
        self._auto_reload = auto_reload
        self._envs: dict[str, jinja2.Environment] = {}
        self.globals: dict[str, Any] = {}
        self.filters: dict[str, Callable[..., Any]] = {}

    def _loader(self, theme: str) -> jinja2.BaseLoader:
        default_dirs = [self.themes[DEFAULT_THEME] / "templates", *self._plugin_dirs]
        original = jinja2.FileSystemLoader([str(d) for d in default_dirs])
        chain: list[jinja2.BaseLoader] = []
        if theme != DEFAULT_THEME and theme in self.themes:
            chain.append(jinja2.FileSystemLoader(str(self.themes[theme] / "templates")))
        chain.append(original)
        return jinja2.ChoiceLoader(
            [jinja2.PrefixLoader({"default": original}, delimiter=":"), *chain]
        )

    def get(self, theme: str) -> jinja2.Environment:
        """The environment of ``theme`` (built on first use)."""
        env = self._envs.get(theme)
        if env is None:
            env = jinja2.Environment(
                loader=self._loader(theme),
                autoescape=True,
                auto_reload=self._auto_reload,
                extensions=["jinja2.ext.i18n"],
                undefined=jinja2.StrictUndefined if self._auto_reload else jinja2.Undefined,
            )
            env.install_gettext_callables(self._gettext, self._ngettext, newstyle=True)
            env.globals.update(self.globals)
            env.filters.update(self.filters)
            self._envs[theme] = env
        return env

    def static_dirs(self, theme: str) -> list[Path]:
        """Static folders for ``theme``, city theme first."""
        dirs = []
        if theme != DEFAULT_THEME and theme in self.themes:
            dirs.append(self.themes[theme] / "static")
        dirs.append(self.themes[DEFAULT_THEME] / "static")
        return [d for d in dirs if d.is_dir()]
