"""Extract a package's messages and update its Indonesian and English catalogs.

Balai reads ``<package>/locale/<lang>/LC_MESSAGES/messages.po`` at start-up
(no ``.mo`` compile step). Message ids are English; Indonesian (``id``) is the
default language, so every msgid needs an Indonesian translation; the English
catalog (``en``) may leave ``msgstr ""`` empty, which shows the msgid itself.

For plugin authors
------------------
1. Mark text in Python with ``tk._("Pay %(amount)s", amount=tk.rupiah(x))``
   (also ``tk.gettext``, ``tk.ngettext``, ``tk.pgettext``) and in templates with
   ``{{ _("Your bills") }}`` or ``{{ ngettext("%(num)s bill", "%(num)s bills", n) }}``.
   Text you hand to the core as data is extracted too, as long as it is a
   string literal in the call: ``PluginInfo`` title and description,
   ``NavItem`` label, ``Role`` title, ``HomeTile`` title and text, ``Widget``
   (and ``Widget.figure/gauge/chart/table``) title, note and columns, ``Dataset``
   title and description, ``DatasetColumn`` description, ``Job`` description,
   ``Importer`` title and description, ``ImportColumn`` description
   and the form fields' (``tk.TextField`` …) label, hint and missing
   (see ``MSGID_ARGUMENTS``). Text picked from data at run time cannot be
   found: keep such msgids as literals somewhere in your code, e.g.
   ``STATUS = {"open": tk._("Open")}`` evaluated inside a function.
2. From the Balai repository (or any environment with ``balai`` and this
   script), update your catalogs::

       uv run python tools/i18n.py update plugins/pajak      # a distribution folder
       uv run python tools/i18n.py update path/to/balai_pasar  # or the package itself
       uv run python tools/i18n.py update --package balai_pasar  # or an installed one

   New msgids are added to ``locale/id`` and ``locale/en`` (creating them if
   needed) with empty translations; msgids no longer used are dropped;
   existing translations are kept. Line numbers are left out to keep diffs
   small.
3. Open ``locale/id/LC_MESSAGES/messages.po`` and fill every empty ``msgstr``
   in formal Indonesian (``Anda``); keep each ``%(name)s`` exactly as in the
   msgid. Fill ``locale/en`` only where the English should differ.
4. Check before committing (exits 1 and lists what is missing)::

       uv run python tools/i18n.py check plugins/pajak

   It also reports translations whose ``%(name)s`` placeholders differ from
   the msgid, a lone ``%`` (write ``%%``), and text built before translation
   (``tk._(f"Hi {name}")`` never translates: write
   ``tk._("Hi %(name)s", name=name)``). The repository's
   ``tests/test_catalogs.py`` runs the same checks on every installed plugin,
   and ``balai.testing.assert_catalog_complete`` in a plugin's own tests.

Msgids that the core already translates (``Save``, ``Name``...) need no
entry in your catalog. The core's translation wins over yours for the same
msgid, so when a word means something else in your plugin, give it a
context: ``tk.pgettext("tax bill", "Open")`` (``msgctxt`` in the ``.po``).

The core itself: ``uv run python tools/i18n.py update core`` extracts from
``core/src/balai`` and every theme's templates, and fills empty Indonesian
translations from ``themes/*/MSGIDS.txt`` (``msgid<TAB>translation`` lines)
when present. ``--suggestions FILE`` does the same for any package.

What is extracted where is set in ``balai.i18n_check.MAPPING`` (mirrored by
``babel.cfg`` at the repository root). The code lives in the installed
package :mod:`balai.i18n_check` (this script only runs it), so outside the
repository ``python -m balai.i18n_check update|check ...`` does the same, and a
plugin's own test can call ``balai.testing.assert_catalog_complete("balai_pasar")``.
"""

from __future__ import annotations

import sys

from balai.i18n_check import (  # noqa: F401 (the script's names, for tests and old callers)
    KEYWORDS,
    LANGUAGES,
    MAPPING,
    MSGID_ARGUMENTS,
    PLURAL_FORMS,
    SOURCE_LANGUAGE,
    Problem,
    Target,
    _walked_from,
    catalog_path,
    check,
    core_catalog,
    core_target,
    extract,
    extract_python_and_values,
    extract_typed_values,
    load_mapping,
    main,
    missing_translations,
    misused_calls,
    msgid_of,
    new_catalog,
    package_target,
    path_target,
    placeholder_mismatches,
    placeholder_problem,
    placeholders,
    read_catalog,
    read_suggestions,
    shadowed_translations,
    stray_percents,
    target_for,
    update,
)

if __name__ == "__main__":
    sys.exit(main())
