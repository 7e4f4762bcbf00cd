"""Translations, rupiah and dates for id-ID, and the language of a request."""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
from balai import i18n
from balai.config import Config
from balai.i18n import (
    Catalogs,
    activate,
    current_locale,
    format_when,
    gettext,
    ngettext,
    pgettext,
    rupiah,
)
from balai.tenants import City, current_city_or_none
from balai.web.tenancy import LANG_COOKIE, CityDispatcher
from balai.web.themes import ThemeEnvironments, discover_themes
from hypothesis import given
from hypothesis import strategies as st

CORE_LOCALE = Path(i18n.__file__).parent / "locale"
T = TypeVar("T")


def in_language(catalogs: Catalogs, lang: str, func: Callable[[], T]) -> T:
    """Run ``func`` with ``lang`` active, without leaking it into other tests."""

    def run() -> T:
        activate(catalogs, lang)
        return func()

    return contextvars.copy_context().run(run)


def write_po(folder: Path, lang: str, entries: dict[Any, Any], plural_forms: str = "") -> Path:
    """Write a small ``messages.po`` under ``folder/<lang>/LC_MESSAGES``."""
    header = plural_forms or (
        "nplurals=1; plural=0;" if lang == "id" else "nplurals=2; plural=(n != 1);"
    )
    lines = [
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=utf-8\\n"',
        f'"Language: {lang}\\n"',
        f'"Plural-Forms: {header}\\n"',
        "",
    ]
    for msgid, msgstr in entries.items():
        if msgid == "#fuzzy":
            lines.append("#, fuzzy")
            msgid, msgstr = msgstr
        if isinstance(msgid, tuple):
            lines += [f'msgid "{msgid[0]}"', f'msgid_plural "{msgid[1]}"']
            lines += [f'msgstr[{i}] "{s}"' for i, s in enumerate(msgstr)]
        elif isinstance(msgid, str) and "\x04" in msgid:
            context, text = msgid.split("\x04")
            lines += [f'msgctxt "{context}"', f'msgid "{text}"', f'msgstr "{msgstr}"']
        else:
            lines += [f'msgid "{msgid}"', f'msgstr "{msgstr}"']
        lines.append("")
    po = folder / lang / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_text("\n".join(lines), encoding="utf-8")
    return folder


# --- rupiah ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (0, "Rp0"),
        (5, "Rp5"),
        (999, "Rp999"),
        (1000, "Rp1.000"),
        (15000, "Rp15.000"),
        (1250000, "Rp1.250.000"),
        (1_500_000_000, "Rp1.500.000.000"),
        (-5000, "-Rp5.000"),
        (-1, "-Rp1"),
        (None, ""),
    ],
)
def test_rupiah_follows_puebi(amount, shown):
    assert rupiah(amount) == shown


@pytest.mark.parametrize("amount", [1250000.0, 0.5, True, False, Decimal("1000"), "1000"])
def test_rupiah_refuses_anything_but_whole_rupiah(amount):
    with pytest.raises(TypeError):
        rupiah(amount)


def test_rupiah_has_no_space_of_any_kind():
    shown = rupiah(1250000)
    assert not any(ch.isspace() for ch in shown)
    assert "\u00a0" not in shown and "\u202f" not in shown


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_rupiah_reads_back_to_the_same_amount(amount):
    shown = rupiah(amount)
    digits = shown.removeprefix("-").removeprefix("Rp")
    groups = digits.split(".")
    assert all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3
    assert int("".join(groups)) * (-1 if shown.startswith("-") else 1) == amount


# --- dates and times -----------------------------------------------------------------

NOON_WIB = datetime(2026, 1, 15, 1, 30, tzinfo=UTC)  # 08.30 in Jakarta


@pytest.mark.parametrize(
    ("zone", "lang", "shown"),
    [
        ("Asia/Jakarta", "id", "15 Januari 2026, 08.30 WIB"),
        ("Asia/Makassar", "id", "15 Januari 2026, 09.30 WITA"),
        ("Asia/Jayapura", "id", "15 Januari 2026, 10.30 WIT"),
        ("Asia/Jakarta", "en", "15 January 2026, 08.30 WIB"),
        ("Asia/Makassar", "en", "15 January 2026, 09.30 WITA"),
        ("Asia/Jayapura", "en", "15 January 2026, 10.30 WIT"),
    ],
)
def test_format_when_shows_utc_in_the_city_zone(zone, lang, shown):
    got = in_language(Catalogs([]), lang, lambda: format_when(NOON_WIB, ZoneInfo(zone)))
    assert got == shown


def test_format_when_crosses_midnight_into_the_next_local_day():
    late = datetime(2026, 8, 17, 20, 5, tzinfo=UTC)
    jayapura = ZoneInfo("Asia/Jayapura")
    got = in_language(Catalogs([]), "id", lambda: format_when(late, jayapura))
    assert got == "18 Agustus 2026, 05.05 WIT"
    day = in_language(Catalogs([]), "id", lambda: format_when(late, jayapura, with_time=False))
    assert day == "18 Agustus 2026"


def test_format_when_takes_naive_datetimes_as_utc():
    naive = datetime(2026, 1, 15, 1, 30)
    makassar = ZoneInfo("Asia/Makassar")
    got = in_language(Catalogs([]), "id", lambda: format_when(naive, makassar))
    assert got == "15 Januari 2026, 09.30 WITA"


def test_format_when_converts_other_zones_not_just_relabels():
    in_jakarta = datetime(2026, 1, 15, 8, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
    jayapura = ZoneInfo("Asia/Jayapura")
    got = in_language(Catalogs([]), "id", lambda: format_when(in_jakarta, jayapura))
    assert got == "15 Januari 2026, 10.30 WIT"


def test_format_when_dates_and_nothing():
    jakarta = ZoneInfo("Asia/Jakarta")
    assert in_language(Catalogs([]), "id", lambda: format_when(date(2026, 8, 17), jakarta)) == (
        "17 Agustus 2026"
    )
    assert in_language(Catalogs([]), "en", lambda: format_when(date(2026, 8, 17), jakarta)) == (
        "17 August 2026"
    )
    assert format_when(None, jakarta) == ""


# --- catalogs and gettext ------------------------------------------------------------


@pytest.fixture
def core_and_plugin(tmp_path) -> Catalogs:
    """A core that translates "Save" and leaves "Market" empty, and a plugin."""
    core = write_po(
        tmp_path / "core",
        "id",
        {
            "Save": "Simpan",
            "Market": "",
            "Hello, %(name)s.": "Halo, %(name)s.",
            ("%(num)s bill", "%(num)s bills"): ["%(num)s tagihan"],
            "verb\x04Order": "Pesan",
            "#fuzzy": ("Draft", "Konsep"),
        },
    )
    write_po(tmp_path / "core", "en", {"Save": ""})
    plugin = write_po(
        tmp_path / "plugin",
        "id",
        {"Save": "Simpen", "Market": "Pasar", "Bill for %(nop)s": "Tagihan untuk %(nop)s"},
    )
    return Catalogs([core, plugin])


def test_core_wins_over_a_plugin_for_the_same_msgid(core_and_plugin):
    assert in_language(core_and_plugin, "id", lambda: gettext("Save")) == "Simpan"


def test_plugin_messages_are_merged_in(core_and_plugin):
    assert in_language(core_and_plugin, "id", lambda: gettext("Bill for %(nop)s", nop="35.73")) == (
        "Tagihan untuk 35.73"
    )


def test_an_empty_core_translation_does_not_hide_the_plugins(core_and_plugin):
    assert in_language(core_and_plugin, "id", lambda: gettext("Market")) == "Pasar"


def test_fuzzy_translations_are_not_used(core_and_plugin):
    assert in_language(core_and_plugin, "id", lambda: gettext("Draft")) == "Draft"


def test_gettext_fills_variables_after_translating(core_and_plugin):
    assert in_language(core_and_plugin, "id", lambda: gettext("Hello, %(name)s.", name="Sari")) == (
        "Halo, Sari."
    )
    assert in_language(core_and_plugin, "en", lambda: gettext("Hello, %(name)s.", name="Sari")) == (
        "Hello, Sari."
    )


def test_gettext_leaves_percent_signs_alone_without_variables(core_and_plugin):
    assert in_language(core_and_plugin, "id", lambda: gettext("100% online")) == "100% online"


def test_ngettext_uses_one_indonesian_form_and_two_english(core_and_plugin):
    def bills(n: int) -> Callable[[], str]:
        return lambda: ngettext("%(num)s bill", "%(num)s bills", n)

    assert in_language(core_and_plugin, "id", bills(1)) == "1 tagihan"
    assert in_language(core_and_plugin, "id", bills(3)) == "3 tagihan"
    assert in_language(core_and_plugin, "en", bills(1)) == "1 bill"
    assert in_language(core_and_plugin, "en", bills(3)) == "3 bills"


def test_pgettext_uses_the_context(core_and_plugin):
    assert in_language(core_and_plugin, "id", lambda: pgettext("verb", "Order")) == "Pesan"
    assert in_language(core_and_plugin, "id", lambda: pgettext("noun", "Order")) == "Order"


def test_english_falls_back_to_the_msgid(core_and_plugin):
    assert in_language(core_and_plugin, "en", lambda: gettext("Save")) == "Save"
    assert in_language(core_and_plugin, "en", lambda: gettext("Market")) == "Market"


def test_an_unknown_language_becomes_indonesian(core_and_plugin):
    assert in_language(core_and_plugin, "fr", current_locale) == "id"
    assert in_language(core_and_plugin, "fr", lambda: gettext("Save")) == "Simpan"


def test_packages_without_catalogs_are_skipped(tmp_path):
    catalogs = Catalogs([tmp_path / "nothing-here"])
    assert in_language(catalogs, "id", lambda: gettext("Save")) == "Save"


def test_without_activation_messages_pass_through():
    assert contextvars.Context().run(lambda: gettext("Hello, %(name)s.", name="Sari")) == (
        "Hello, Sari."
    )


def test_the_core_catalog_translates_its_own_pages():
    catalogs = Catalogs([CORE_LOCALE])
    assert in_language(catalogs, "id", lambda: gettext("Page not found")) == (
        "Halaman tidak ditemukan"
    )
    assert in_language(catalogs, "id", lambda: gettext("Log in")) == "Masuk"
    assert in_language(catalogs, "en", lambda: gettext("Page not found")) == "Page not found"


def test_templates_translate_with_newstyle_gettext():
    themes = ThemeEnvironments(
        discover_themes(), [], gettext=i18n.translate, ngettext=i18n.translate_plural
    )
    env = themes.get("default")
    template = env.from_string(
        '{{ _("Hello, %(name)s.", name=who) }} | {{ ngettext("%(num)d result for “%(q)s”", '
        '"%(num)d results for “%(q)s”", n, q=q) }} | {{ _("Log in") }}'
    )
    catalogs = Catalogs([CORE_LOCALE])
    context = {"who": "<Sari>", "n": 2, "q": "pajak"}
    shown_id = in_language(catalogs, "id", lambda: template.render(context))
    assert shown_id == "Halo, &lt;Sari&gt;. | 2 hasil untuk “pajak” | Masuk"
    shown_en = in_language(catalogs, "en", lambda: template.render(context))
    assert shown_en == "Hello, &lt;Sari&gt;. | 2 results for “pajak” | Log in"


# --- the language of a request -------------------------------------------------------


def make_config(tmp_path: Path) -> Config:
    """Malang speaks Indonesian by default; a made-up English-first city does not."""
    return Config(
        cities={
            "malang": City(slug="malang", name="Kota Malang", hosts=("malang.test",)),
            "expat": City(slug="expat", name="Expat City", locale="en", timezone="Asia/Makassar"),
        },
        data_dir=tmp_path,
        path_prefix=True,
        development=True,  # any Host is answered (outside development only the cities' hosts)
    )


async def dispatch(tmp_path: Path, path: str, cookie: str | None, host: str = "balai.test"):
    """Send one request through the dispatcher; return what the inner app saw."""
    seen: dict[str, Any] = {}

    async def inner(scope, receive, send):
        seen["lang"] = current_locale()
        seen["page_not_found"] = gettext("Page not found")
        city = current_city_or_none()
        seen["city"] = city.slug if city else None
        seen["root_path"] = scope["root_path"]
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    headers = [(b"host", host.encode())]
    if cookie is not None:
        headers.append((b"cookie", cookie.encode()))
    scope = {"type": "http", "path": path, "root_path": "", "headers": headers, "method": "GET"}
    sent: list[dict[str, Any]] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    dispatcher = CityDispatcher(inner, make_config(tmp_path), Catalogs([CORE_LOCALE]))
    await dispatcher(scope, receive, send)
    assert sent[0]["status"] == 204
    return seen


async def test_the_city_default_applies_without_a_cookie(tmp_path):
    seen = await dispatch(tmp_path, "/malang/masuk", None)
    assert seen == {
        "lang": "id",
        "page_not_found": "Halaman tidak ditemukan",
        "city": "malang",
        "root_path": "/malang",
    }
    assert (await dispatch(tmp_path, "/expat/", None))["lang"] == "en"


async def test_the_cookie_wins_over_the_city_default(tmp_path):
    seen = await dispatch(tmp_path, "/malang/", f"{LANG_COOKIE}=en")
    assert (seen["lang"], seen["page_not_found"]) == ("en", "Page not found")
    seen = await dispatch(tmp_path, "/expat/", f"{LANG_COOKIE}=id")
    assert (seen["lang"], seen["page_not_found"]) == ("id", "Halaman tidak ditemukan")


async def test_the_cookie_is_found_among_others_and_on_host_cities(tmp_path):
    cookie = f"balai_session=abc; {LANG_COOKIE}=en; balai_csrf=xyz"
    seen = await dispatch(tmp_path, "/", cookie, host="malang.test:8000")
    assert (seen["city"], seen["root_path"], seen["lang"]) == ("malang", "", "en")


async def test_an_unknown_cookie_value_falls_back_to_the_city_default(tmp_path):
    assert (await dispatch(tmp_path, "/expat/", f"{LANG_COOKIE}=fr"))["lang"] == "en"
    assert (await dispatch(tmp_path, "/malang/", f"{LANG_COOKIE}="))["lang"] == "id"


async def test_requests_without_a_city_use_indonesian_or_the_cookie(tmp_path):
    assert (await dispatch(tmp_path, "/", None))["lang"] == "id"
    seen = await dispatch(tmp_path, "/", f"{LANG_COOKIE}=en")
    assert (seen["city"], seen["lang"]) == (None, "en")


# --- filters in the application's templates ------------------------------------------


def test_app_templates_show_rupiah_and_city_local_times(tmp_path):
    from balai.tenants import city_scope
    from balai.web.app import create_app

    config = replace(
        make_config(tmp_path),
        secret_key="k" * 40,
        database_url=f"sqlite:///{tmp_path / 'balai.sqlite'}",
    )
    app = create_app(config, plugins=[])
    env = app.ui.themes.get("default")
    template = env.from_string(
        "{{ amount|rupiah }} | {{ when|tanggal }} | {{ when|tanggal(false) }}"
    )
    context = {"amount": 1250000, "when": datetime(2026, 8, 16, 18, 0, tzinfo=UTC)}

    def render_in(slug: str) -> Callable[[], str]:
        def render() -> str:
            with city_scope(config.cities[slug]):
                return template.render(context)

        return render

    assert in_language(app.ui.catalogs, "id", render_in("malang")) == (
        "Rp1.250.000 | 17 Agustus 2026, 01.00 WIB | 17 Agustus 2026"
    )
    assert in_language(app.ui.catalogs, "id", render_in("expat")) == (
        "Rp1.250.000 | 17 Agustus 2026, 02.00 WITA | 17 Agustus 2026"
    )
    assert in_language(app.ui.catalogs, "en", render_in("malang")).startswith(
        "Rp1.250.000 | 17 August 2026, 01.00 WIB"
    )
