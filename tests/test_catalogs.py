"""Every message of the core and of each installed plugin has an Indonesian translation.

Msgids are extracted from each package's Python code and templates (the core
also from every theme) with ``tools/i18n.py``, the same extraction that
``uv run python tools/i18n.py update <package>`` writes into the catalogs. A
failure lists each missing msgid by package, with the files that use it, and
says which command to run.
"""

from __future__ import annotations

import importlib.util
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from balai.plugins import ENTRY_POINT_GROUP

REPO_ROOT = Path(__file__).resolve().parents[1]


def _load_tool():
    """``tools/i18n.py`` (a script, not an installed module), loaded once."""
    name = "balai_i18n_tool"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "tools" / "i18n.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


i18n_tool = _load_tool()


def _plugin_packages() -> dict[str, str]:
    """Import package of each installed plugin, by entry-point name."""
    return {
        ep.name: ep.module.split(".")[0]
        for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)
    }


def _targets():
    yield pytest.param(i18n_tool.core_target(), id="core")
    for slug, package in _plugin_packages().items():
        if importlib.util.find_spec(package) is None:
            continue  # the registry's own tests report plugins that do not import
        yield pytest.param(i18n_tool.package_target(package), id=slug)


TARGETS = list(_targets())


@pytest.fixture(scope="module")
def core_catalog() -> Catalog:
    catalog = i18n_tool.core_catalog()
    assert catalog is not None, "the core has no locale/id/LC_MESSAGES/messages.po"
    return catalog


def _report(problems, target, what: str) -> str:
    command = (
        "uv run python tools/i18n.py update core"
        if target.name == "balai"
        else f"uv run python tools/i18n.py update --package {target.name}"
    )
    lines = "\n".join(f"  - {p}" for p in problems)
    return (
        f"{len(problems)} {what} in {target.name} "
        f"({i18n_tool.catalog_path(target.locale_dir, 'id')}):\n{lines}\n"
        f"Run `{command}`, then translate the empty msgstr entries of locale/id."
    )


@pytest.mark.parametrize("target", TARGETS)
def test_every_msgid_has_an_indonesian_translation(target, core_catalog):
    template = i18n_tool.extract(target.roots, project=target.name)
    own = i18n_tool.read_catalog(i18n_tool.catalog_path(target.locale_dir, "id"), "id")
    fallbacks = [] if target.name == "balai" else [core_catalog]
    problems = i18n_tool.missing_translations(target.name, template, own, fallbacks)
    assert not problems, _report(problems, target, "untranslated msgid(s)")


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_translations_keep_the_msgid_placeholders(target, lang):
    catalog = i18n_tool.read_catalog(i18n_tool.catalog_path(target.locale_dir, lang), lang)
    problems = i18n_tool.placeholder_mismatches(target.name, catalog)
    assert not problems, _report(problems, target, f"{lang} placeholder mismatch(es)")


@pytest.mark.parametrize("target", [t for t in TARGETS if t.id != "core"])
def test_plugin_translations_are_not_shadowed_by_the_core(target, core_catalog):
    own = i18n_tool.read_catalog(i18n_tool.catalog_path(target.locale_dir, "id"), "id")
    problems = i18n_tool.shadowed_translations(target.name, own, core_catalog)
    assert not problems, _report(problems, target, "translation(s) hidden by the core's")


@pytest.mark.parametrize("target", TARGETS)
def test_no_text_is_built_before_translation(target):
    problems = i18n_tool.misused_calls(target.roots)
    assert not problems, (
        "\n".join(str(p) for p in problems)
        + "\nPass variables as keywords: _('Hello %(name)s', name=name)."
    )


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_core_ships_both_catalogs(lang):
    target = i18n_tool.core_target()
    catalog = i18n_tool.read_catalog(i18n_tool.catalog_path(target.locale_dir, lang), lang)
    assert catalog is not None
    extracted = {i18n_tool.msgid_of(m) for m in i18n_tool.extract(target.roots) if m.id}
    listed = {i18n_tool.msgid_of(m) for m in catalog if m.id}
    missing = sorted(extracted - listed)
    assert not missing, (
        f"the core's {lang} catalog lacks {missing}; run `uv run python tools/i18n.py update core`"
    )


def test_the_core_catalog_is_not_empty_and_speaks_indonesian(core_catalog):
    translated = {m.id: m.string for m in core_catalog if m.id and isinstance(m.id, str)}
    assert translated["Log in"] == "Masuk"
    assert translated["Log out"] == "Keluar"
    assert translated["Password"] == "Kata sandi"
    assert translated["Page not found"] == "Halaman tidak ditemukan"
    assert core_catalog.num_plurals == 1


def _runtime_msgids() -> dict[str, list[str]]:
    """Texts the core looks up from data, by where they come from."""
    from balai.dashboard.collect import DIMENSION_TITLES, FEEDERS
    from balai.payments.providers import builtin_providers
    from balai.payments.types import InvoiceStatus

    return {
        "InvoiceStatus (payments.labels.status_title)": [
            s.value.capitalize() for s in InvoiceStatus
        ],
        "payments.labels.provider_title of the built-in providers": [
            p.title for p in builtin_providers()
        ],
        "dashboard.collect.DIMENSION_TITLES": list(DIMENSION_TITLES.values()),
        "dashboard.collect.FEEDERS": list(FEEDERS.values()),
    }


def test_texts_the_core_picks_at_run_time_are_translated(core_catalog):
    missing = [
        f"  - {source}: {text!r}"
        for source, texts in _runtime_msgids().items()
        for text in texts
        if not (core_catalog.get(text) is not None and core_catalog.get(text).string)
    ]
    assert not missing, (
        "texts looked up at run time lack an Indonesian translation:\n"
        + "\n".join(missing)
        + "\nWrite each out as _('...') where it is chosen (see payments/labels.py) or list it"
        " in core/src/balai/locale/runtime_msgids.py, run"
        " `uv run python tools/i18n.py update core` and translate it."
    )
