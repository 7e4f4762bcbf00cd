"""Notification templates: plain text per kind, channel and language.

A template's first line is the subject, the rest the body. For a kind
``<slug>.<what>`` the first of these that exists is used (a city theme can
override any of them, as with pages)::

    <slug>/notifications/<what>.<channel>.<lang>.txt   (a plugin's own folder)
    <slug>/notifications/<what>.<lang>.txt
    notifications/<slug>.<what>.<channel>.<lang>.txt   (the theme's folder)
    notifications/<slug>.<what>.<lang>.txt

then the same in the city's language and in Indonesian. Templates see the
caller's ``context`` plus ``recipient`` (``.name``), ``city``, ``url(path)``
(the full URL of a path inside the city, from its ``base_url``) and ``_()``
translating into the message's language.
"""

from __future__ import annotations

import contextvars
from collections.abc import Mapping
from typing import Any

import jinja2

from balai.i18n import activate


class TemplateMissingError(LookupError):
    """No template exists for a notification kind."""


def candidates(kind: str, channel: str, locales: list[str]) -> list[str]:
    """Template names to try, best first."""
    slug, _, what = kind.partition(".")
    names: list[str] = []
    for lang in dict.fromkeys(locales):
        names += [
            f"{slug}/notifications/{what}.{channel}.{lang}.txt",
            f"{slug}/notifications/{what}.{lang}.txt",
            f"notifications/{kind}.{channel}.{lang}.txt",
            f"notifications/{kind}.{lang}.txt",
        ]
    return names


_text_envs: dict[int, jinja2.Environment] = {}


def text_environment(page_env: jinja2.Environment) -> jinja2.Environment:
    """The theme's environment without HTML escaping, for plain-text messages."""
    env = _text_envs.get(id(page_env))
    if env is None:
        env = page_env.overlay(autoescape=False, keep_trailing_newline=True)
        _text_envs[id(page_env)] = env
    return env


def render(
    themes: Any,
    catalogs: Any,
    *,
    theme: str,
    kind: str,
    channel: str,
    locale: str,
    fallback_locales: list[str],
    context: Mapping[str, Any],
) -> tuple[str, str, str]:
    """Render a notification in ``locale``.

    Returns:
        ``(subject, body, locale_used)``.

    Raises:
        TemplateMissingError: no template for ``kind`` in any of the languages.
    """
    env = text_environment(themes.get(theme))
    locales = [locale, *fallback_locales]
    for name in candidates(kind, channel, locales):
        try:
            template = env.get_template(name)
        except jinja2.TemplateNotFound:
            continue
        used = name.rsplit(".", 2)[-2]
        text = contextvars.copy_context().run(_render_in, template, catalogs, used, dict(context))
        subject, _, body = text.strip("\n").partition("\n")
        return subject.strip(), body.strip("\n") + "\n", used
    tried = ", ".join(candidates(kind, channel, locales[:1]))
    raise TemplateMissingError(f"no notification template for {kind!r} (tried {tried})")


def _render_in(template: jinja2.Template, catalogs: Any, locale: str, context: dict) -> str:
    activate(catalogs, locale)
    return template.render(context)
