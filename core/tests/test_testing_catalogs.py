"""``balai.testing.assert_catalog_complete``: a plugin's own translation check."""

from __future__ import annotations

import importlib

import pytest
from balai.scaffold import create_plugin
from balai.testing import assert_catalog_complete


@pytest.fixture
def catalog(tmp_path, monkeypatch):
    """A freshly generated plugin ``balai_taman_uji`` on the import path; its id catalog."""
    created = create_plugin("taman_uji", tmp_path, title="Parks", title_id="Taman")
    monkeypatch.syspath_prepend(str(created.root / "src"))
    importlib.invalidate_caches()
    return (
        created.root / "src" / "balai_taman_uji" / "locale" / "id" / "LC_MESSAGES" / "messages.po"
    )


def test_a_generated_plugin_is_complete(catalog):
    assert_catalog_complete("balai_taman_uji")


def test_a_missing_translation_is_named_with_the_fix(catalog):
    text = catalog.read_text(encoding="utf-8")
    assert 'msgid "Parks"\nmsgstr "Taman"' in text
    catalog.write_text(text.replace('msgid "Parks"\nmsgstr "Taman"', 'msgid "Parks"\nmsgstr ""'))
    with pytest.raises(AssertionError) as failure:
        assert_catalog_complete("balai_taman_uji")
    report = str(failure.value)
    assert "balai_taman_uji: no Indonesian translation: 'Parks'" in report
    assert "python -m balai.i18n_check update" in report


def test_a_new_text_in_the_code_is_caught(catalog):
    routes = catalog.parents[3] / "routes.py"
    routes.write_text(
        routes.read_text(encoding="utf-8") + '\n\ndef _label():\n    return tk._("Opening hours")\n'
    )
    with pytest.raises(AssertionError, match="'Opening hours'"):
        assert_catalog_complete("balai_taman_uji")


def test_a_translation_that_drops_a_placeholder_is_reported(catalog):
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text + '\nmsgid "%(count)s parks"\nmsgstr "taman"\n', encoding="utf-8")
    with pytest.raises(AssertionError, match="placeholders"):
        assert_catalog_complete("balai_taman_uji")


def test_an_unknown_package_fails_the_test():
    with pytest.raises(AssertionError, match="balai_tidak_ada"):
        assert_catalog_complete("balai_tidak_ada")
