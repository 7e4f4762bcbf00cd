"""Every text the sipaldi plugin shows has its Indonesian translation.

Texts of the theme's layout that the templates reuse ("Back office") may come
from the core's catalog instead.
"""

from __future__ import annotations

from pathlib import Path

import balai
import balai_sipaldi
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from balai_sipaldi import plugin

PACKAGE = Path(balai_sipaldi.__file__).parent
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}}


def used_msgids() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        PACKAGE, METHODS, options_map=OPTIONS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    info = plugin.plugin_info()
    found |= {info.title, info.description}
    found |= {p.description for p in plugin.permissions()}
    found |= {r.title for r in plugin.roles()}
    found |= {n.label for n in plugin.nav_items(None) + plugin.office_nav_items(None)}
    found |= {t.title for t in plugin.home_tiles(None)} | {t.text for t in plugin.home_tiles(None)}
    return found


def translated_msgids(package: Path) -> set[str]:
    po_file = package / "locale" / "id" / "LC_MESSAGES" / "messages.po"
    if not po_file.exists():
        return set()
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale="id")
    return {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog if m.id and m.string}


def test_every_msgid_has_an_indonesian_translation():
    own = translated_msgids(PACKAGE)
    assert own, "the plugin's Indonesian catalog is missing or empty"
    translated = own | translated_msgids(Path(balai.__file__).parent)
    used = used_msgids()
    assert len(used) > 20
    assert sorted(used - translated) == []
