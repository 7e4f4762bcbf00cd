"""Translations (gettext catalogs per package) and id-ID formatting.

Message ids are English; Indonesian is the default language of every city.
Each package keeps ``locale/<lang>/LC_MESSAGES/messages.po`` next to its
code; the catalogs are read from the ``.po`` files at start-up (no compile
step) and merged, the core's first. The language of the current request lives
in a context variable, so :func:`gettext` works in handlers and templates.
"""

from __future__ import annotations

import contextvars
import io
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

DEFAULT_LOCALE = "id"
LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}

_current_locale: contextvars.ContextVar[str] = contextvars.ContextVar(
    "balai_locale", default=DEFAULT_LOCALE
)


def read_catalog(po_file: Path, locale: str) -> Translations:
    """Turn one ``.po`` file into a gettext translations object."""
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer)


class Catalogs:
    """Merged translations per language for a set of packages."""

    def __init__(self, locale_dirs: Iterable[Path]) -> None:
        self._by_locale: dict[str, NullTranslations] = {}
        dirs = list(locale_dirs)
        for locale in LANGUAGES:
            merged: Translations | None = None
            for folder in dirs:
                po_file = folder / locale / "LC_MESSAGES" / "messages.po"
                if not po_file.exists():
                    continue
                loaded = read_catalog(po_file, locale)
                if merged is None:
                    merged = loaded
                else:
                    # Earlier packages win: a plugin cannot retranslate the core.
                    loaded.merge(merged)
                    merged = loaded
            self._by_locale[locale] = merged or NullTranslations()

    def get(self, locale: str) -> NullTranslations:
        """The translations of ``locale`` (identity for unknown ones)."""
        return self._by_locale.get(locale) or _IDENTITY


# Used where no catalogs were activated: messages come back untranslated.
_IDENTITY = NullTranslations()

# The translations object of the current request or task, chosen once by
# :func:`activate`: a page calls gettext dozens of times, and one context
# variable read per call is all it costs (no catalog and locale lookups).
_active: contextvars.ContextVar[NullTranslations] = contextvars.ContextVar(
    "balai_translations", default=_IDENTITY
)


def activate(catalogs: Catalogs, locale: str) -> None:
    """Use ``catalogs`` in ``locale`` for the rest of the current task."""
    locale = locale if locale in LANGUAGES else DEFAULT_LOCALE
    _current_locale.set(locale)
    _active.set(catalogs.get(locale))


def current_locale() -> str:
    """The language of the current request or task."""
    return _current_locale.get()


def translations() -> NullTranslations:
    """The translations object of the current request or task."""
    return _active.get()


def translate(message: str) -> str:
    """Translate ``message`` without filling variables (for Jinja's newstyle gettext)."""
    return _active.get().gettext(message)


def translate_plural(singular: str, plural: str, n: int) -> str:
    """Pick and translate the plural form without filling variables (for Jinja)."""
    return _active.get().ngettext(singular, plural, n)


def gettext(message: str, **variables: object) -> str:
    """Translate ``message`` into the current language, then fill ``%(name)s``."""
    text = _active.get().gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: object) -> str:
    """Translate a message with a count; ``%(num)s`` is filled with ``n``."""
    text = _active.get().ngettext(singular, plural, n)
    return text % {"num": n, **variables}


def pgettext(context: str, message: str) -> str:
    """Translate ``message`` in ``context`` (for words with several meanings)."""
    return _active.get().pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` as a msgid to translate where it is shown, not here (data labels)."""
    return message


def rupiah(amount: int | None) -> str:
    """Format whole rupiah the Indonesian way: ``Rp1.250.000``, ``-Rp5.000``.

    PUEBI writes no space after ``Rp`` and groups thousands with dots.
    """
    if amount is None:
        return ""
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise TypeError("Money is whole rupiah as an int")
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(amount):,}".replace(",", ".")


#: Thousands and decimal separators per language (PUEBI for Indonesian).
_SEPARATORS = {"id": (".", ","), "en": (",", ".")}


def format_number(value: int | float | None, decimals: int = 0) -> str:
    """A number in the current language's notation: ``1.234,5`` (id), ``1,234.5`` (en).

    ``decimals`` fixes the digits after the separator; an int with
    ``decimals=0`` shows no fraction. ``None`` gives an empty string.
    """
    if value is None:
        return ""
    thousands, point = _SEPARATORS.get(current_locale(), _SEPARATORS["id"])
    text = f"{value:,.{decimals}f}"
    return text.translate({ord(","): thousands, ord("."): point})


def format_when(value: datetime | date | None, tz: ZoneInfo, *, with_time: bool = True) -> str:
    """Show a stored UTC time in the city's zone, in the current language.

    Naive datetimes are taken to be UTC (that is how they are stored).
    """
    if value is None:
        return ""
    locale = current_locale()
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=ZoneInfo("UTC"))
        local = value.astimezone(tz)
        if not with_time:
            # Same day-month-year order as with a time (CLDR's English "long" is "August 17, 2026").
            return format_date(local.date(), format="d MMMM y", locale=locale)
        zone = local.tzname() or ""
        return f"{format_datetime(local, format='d MMMM y, HH.mm', locale=locale)} {zone}".strip()
    return format_date(value, format="d MMMM y", locale=locale)
