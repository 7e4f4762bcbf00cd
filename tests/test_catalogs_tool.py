"""``tools/i18n.py``: what it extracts, how it updates catalogs, what it reports."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

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

PLUGIN_PY = """
from balai import toolkit as tk

@tk.hookimpl
def plugin_info():
    return tk.PluginInfo(slug="pasar", title="Market", dimension=tk.Dimension.ECONOMY,
                         version="0.1.0", description="Local shops of the city.")

@tk.hookimpl
def nav_items(request):
    return [tk.NavItem("Shops", "/pasar/"), tk.NavItem(href="/pasar/cari", label="Find a shop")]

@tk.hookimpl
def roles():
    return [tk.Role("pasar.officer", "Market officer", ("pasar.verify",))]

@tk.hookimpl
def home_tiles(request):
    return [tk.HomeTile(title="Shop local", text="Buy from %(city)s's shops.", href="/pasar/")]

@tk.hookimpl
def dashboard_widgets(request, period):
    return [
        tk.Widget.figure("pasar.shops", tk.Dimension.ECONOMY, "Open shops", 3,
                         note="Verified only"),
        tk.Widget.table("pasar.top", tk.Dimension.ECONOMY, "Top shops", ["Shop", "Sales"], []),
    ]

@tk.hookimpl
def datasets():
    return [tk.Dataset("shops", "Shops per district", "Counted monthly.", tk.Dimension.ECONOMY,
                       (tk.DatasetColumn("district", "string", "District name"),), fetch)]

@tk.hookimpl
def jobs():
    return [tk.Job("pasar.close", close, description="Close stale carts")]

def messages(n, nop, label):
    tk.flash(None, tk._("Saved."))
    tk.gettext("Bill for %(nop)s", nop=nop)
    tk.ngettext("%(num)s shop", "%(num)s shops", n)
    tk.pgettext("verb", "Order")
    tk._(label)  # not a literal: nothing to extract
    print(f"{tk._('login'):<10} {tk.ngettext('%(num)s row', '%(num)s rows', n)}")
    tk.NavItem(label, "/x/")  # neither
"""

TEMPLATE = """{% extends "base.html" %}
{# {{ _("Inside a comment") }} #}
{% block content %}
<h1>{{ _("Your shops") }}</h1>
<p>{{ _("Hello, %(name)s.", name=user.name) }}</p>
<p>{{ ngettext("%(num)s product", "%(num)s products", count) }}</p>
{% endblock %}
"""


@pytest.fixture
def package(tmp_path) -> Path:
    """A plugin package as a plugin author would lay it out."""
    root = tmp_path / "balai_pasar"
    (root / "templates" / "pasar").mkdir(parents=True)
    (root / "migrations").mkdir()
    (root / "tests").mkdir()
    (root / "__init__.py").write_text("")
    (root / "plugin.py").write_text(PLUGIN_PY)
    (root / "templates" / "pasar" / "index.html").write_text(TEMPLATE)
    (root / "migrations" / "m1.py").write_text('_("From a migration")\n')
    (root / "tests" / "test_x.py").write_text('_("From a test")\n')
    return root


def msgids(catalog) -> set[str]:
    return {i18n_tool.msgid_of(m) for m in catalog if m.id}


def test_extracts_python_templates_and_typed_values(package):
    template = i18n_tool.extract([package], project="balai_pasar")
    assert msgids(template) == {
        "Market",
        "Local shops of the city.",
        "Shops",
        "Find a shop",
        "Market officer",
        "Shop local",
        "Buy from %(city)s's shops.",
        "Saved.",
        "Bill for %(nop)s",
        "%(num)s shop",
        "Order",
        "Your shops",
        "Hello, %(name)s.",
        "%(num)s product",
        "login",
        "%(num)s row",
        "Open shops",
        "Verified only",
        "Top shops",
        "Shop",
        "Sales",
        "Shops per district",
        "Counted monthly.",
        "District name",
        "Close stale carts",
    }
    assert template.get("%(num)s row").id == ("%(num)s row", "%(num)s rows")
    plural = template.get("%(num)s product")
    assert plural.id == ("%(num)s product", "%(num)s products")
    assert template.get("Order", context="verb") is not None
    locations = {path for path, _ in template.get("Your shops").locations}
    assert locations == {"balai_pasar/templates/pasar/index.html"}


def test_a_template_that_does_not_parse_is_an_error(package):
    (package / "templates" / "pasar" / "broken.html").write_text("{{ _('x') }}{% if %}")
    with pytest.raises(Exception, match=r"(?i)expected|unexpected"):
        i18n_tool.extract([package])


def test_update_creates_both_catalogs_and_keeps_translations(package):
    locale = package / "locale"
    template = i18n_tool.extract([package], project="balai_pasar")
    counts = i18n_tool.update(locale, template, project="balai_pasar")
    assert counts == {"id": len(template), "en": len(template)}

    id_po = i18n_tool.catalog_path(locale, "id")
    text = id_po.read_text(encoding="utf-8")
    assert "nplurals=1; plural=0;" in text
    assert "EMAIL@ADDRESS" not in text
    text = text.replace('msgid "Saved."\nmsgstr ""', 'msgid "Saved."\nmsgstr "Tersimpan."')
    id_po.write_text(text, encoding="utf-8")

    (package / "plugin.py").write_text(PLUGIN_PY.replace('"Shops"', '"All shops"'))
    template = i18n_tool.extract([package], project="balai_pasar")
    i18n_tool.update(locale, template, project="balai_pasar", suggestions={"Market": "Pasar"})

    with id_po.open("rb") as handle:
        catalog = read_po(handle, locale="id")
    assert catalog.get("Saved.").string == "Tersimpan."
    assert catalog.get("Market").string == "Pasar"
    assert catalog.get("All shops").string == ""
    assert catalog.get("Shops") is None
    assert len(catalog.get("%(num)s product").string) == 1
    with i18n_tool.catalog_path(locale, "en").open("rb") as handle:
        english = read_po(handle, locale="en")
    assert english.get("Market").string == ""


def test_check_names_package_msgid_and_file(package):
    locale = package / "locale"
    template = i18n_tool.extract([package], project="balai_pasar")
    i18n_tool.update(locale, template, project="balai_pasar")
    own = i18n_tool.read_catalog(i18n_tool.catalog_path(locale, "id"), "id")
    own.get("Bill for %(nop)s").string = "Tagihan untuk %(nomor)s"
    own.get("Hello, %(name)s.").string = "Halo, %(name)s."
    core = i18n_tool.new_catalog("id", "balai")
    core.add("Saved.", "Tersimpan.")

    problems = i18n_tool.check("balai_pasar", template, own, [core])
    missing = {p.msgid for p in problems if p.reason == "no Indonesian translation"}
    assert "Saved." not in missing  # the core translates it
    assert "Hello, %(name)s." not in missing
    assert "Your shops" in missing and "Market" in missing
    [mismatch] = [p for p in problems if "placeholders" in p.reason]
    assert mismatch.msgid == "Bill for %(nop)s"
    assert "['nomor']" in mismatch.reason and "['nop']" in mismatch.reason
    line = str(next(p for p in problems if p.msgid == "Your shops"))
    assert line == (
        "balai_pasar: no Indonesian translation: 'Your shops' "
        "(used in balai_pasar/templates/pasar/index.html)"
    )


@pytest.mark.parametrize(
    ("msgid", "translation", "fits"),
    [
        ("Hello, %(name)s.", "Halo, %(name)s.", True),
        ("Hello, %(name)s.", "Halo.", False),
        ("Hello.", "Halo, %(name)s.", False),
        ("%(a)s of %(b)s", "%(b)s dari %(a)s", True),
        (("One shop", "%(num)s shops"), ("%(num)s toko",), True),
        (("%(num)s shop in %(city)s", "%(num)s shops in %(city)s"), ("%(num)s toko",), False),
        (("%(num)s shop", "%(num)s shops"), ("%(n)s toko",), False),
        ("Discount", "Diskon 10%", False),
        ("Discount", "Diskon 10%%", True),
        ("Up to 100% online", "Hingga 100% daring", True),
    ],
)
def test_placeholder_rules(msgid, translation, fits):
    catalog = i18n_tool.new_catalog("id", "t")
    message = catalog.add(msgid, translation)
    assert (i18n_tool.placeholder_problem(message) is None) is fits


def test_command_line_check_fails_until_translated(package, capsys):
    assert i18n_tool.main(["update", str(package)]) == 0
    assert i18n_tool.main(["check", str(package)]) == 1
    out = capsys.readouterr().out
    assert "balai_pasar: no Indonesian translation: 'Your shops'" in out


def test_a_distribution_folder_resolves_to_its_package(package, tmp_path):
    dist = tmp_path / "balai-pasar"
    (dist / "src").mkdir(parents=True)
    package.rename(dist / "src" / "balai_pasar")
    target = i18n_tool.target_for(str(dist))
    assert target.name == "balai_pasar"
    assert target.locale_dir == (dist / "src" / "balai_pasar" / "locale").resolve()


def test_the_core_target_covers_code_and_themes():
    target = i18n_tool.core_target()
    names = {root.name for root in target.roots}
    assert "balai" in names
    template = i18n_tool.extract(target.roots)
    where = {path for m in template for path, _ in m.locations}
    assert any(p.startswith("balai/") and p.endswith(".py") for p in where)
    assert any("/templates/" in p and p.endswith(".html") for p in where)


def test_themes_bundled_in_a_wheel_get_their_own_root(tmp_path):
    package = tmp_path / "balai"
    assert not i18n_tool._walked_from(package, package / "_bundled" / "themes")
    assert not i18n_tool._walked_from(package, tmp_path / "themes")
    assert i18n_tool._walked_from(package, package / "themes")


def test_text_built_before_translation_is_reported(tmp_path):
    root = tmp_path / "balai_pasar"
    (root / "tests").mkdir(parents=True)
    (root / "plugin.py").write_text(
        "from balai import toolkit as tk\n"
        "def f(name, label):\n"
        "    tk._(f'Hello {name}')\n"
        "    tk._('Hello %s' % name)\n"
        "    tk.gettext('Hello {}'.format(name))\n"
        "    tk._('Hello ' + name)\n"
        "    tk.pgettext('greeting', f'Hi {name}')\n"
        "    tk._('Hello %(name)s', name=name)\n"
        "    tk._(label)\n"
        "    tk.ngettext('%(num)s shop', '%(num)s shops', 2)\n"
    )
    (root / "tests" / "test_x.py").write_text("_(f'{x}')\n")
    problems = i18n_tool.misused_calls([root])
    assert [p.where for p in problems] == [f"balai_pasar/plugin.py:{n}" for n in (3, 4, 5, 6, 7)]
    assert problems[0].msgid == "f'Hello {name}'"


def test_a_plugin_translation_the_core_overrides_is_reported():
    core = i18n_tool.new_catalog("id", "balai")
    core.add("Open", "Buka")
    core.add("Save", "Simpan")
    plugin = i18n_tool.new_catalog("id", "balai_pasar")
    plugin.add("Open", "Terbuka")
    plugin.add("Save", "Simpan")
    plugin.add("Open", "Terbuka", context="status")
    [problem] = i18n_tool.shadowed_translations("balai_pasar", plugin, core)
    assert problem.msgid == "Open"
    assert "'Buka' wins over 'Terbuka'" in problem.reason


def test_babel_cfg_mirrors_the_built_in_map():
    assert i18n_tool.load_mapping(REPO_ROOT / "babel.cfg") == i18n_tool.load_mapping()
