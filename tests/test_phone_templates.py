"""What keeps every page fit for a phone, checked in the templates and on the home page.

Every table of the theme and of the plugins is drawn with the stacking table
component (``ui.table_wrap``) and labels each cell for its phone layout; the
home page's and menu's icons are symbols of the theme's icon set, never emoji.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted(
    [*ROOT.glob("themes/*/templates/**/*.html"), *ROOT.glob("plugins/*/src/*/templates/**/*.html")]
)
ICON_SET = ROOT / "themes/default/static/img/icons.svg"
TABLE = re.compile(r'<table class="table[^"]*".*?</table>', re.S)


def test_there_are_templates_to_check() -> None:
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_table_stacks_on_a_phone_with_labelled_cells(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for table in TABLE.findall(text):
        assert "ui.table_wrap(" in text or 'class="table-wrap table-stack"' in text, (
            "a table outside ui.table_wrap scrolls out of sight on a phone"
        )
        unlabelled = [
            cell for cell in re.findall(r"<td\b[^>]*>", table) if "data-label=" not in cell
        ]
        assert unlabelled == [], "cells without data-label show no label on a phone"


def icon_names() -> set[str]:
    return set(re.findall(r'<symbol id="([a-z-]+)"', ICON_SET.read_text(encoding="utf-8")))


def test_the_icon_set_draws_every_symbol_in_the_text_colour() -> None:
    svg = ICON_SET.read_text(encoding="utf-8")
    assert {"menu", "chevron", "service", "house", "shop"} <= icon_names()
    assert "<style" not in svg and "<script" not in svg
    colours = set(re.findall(r'(?:fill|stroke)="(#[0-9a-fA-F]+)"', svg))
    assert colours == set(), "icons take their colour from the page (currentColor)"


def test_home_tiles_and_menu_use_the_icon_set_never_emoji(client) -> None:
    page = client.get("/malang/")
    assert page.status_code == 200
    used = set(re.findall(r'<use href="[^"]*icons\.svg[^"#]*#([a-z-]+)"', page.text))
    assert used, "the home page shows no icon of the set"
    assert used <= icon_names(), used - icon_names()
    tiles = re.findall(r'<span class="tile-icon"[^>]*>(.*?)</span>', page.text, re.S)
    assert tiles and all("<svg" in t or "<img" in t for t in tiles)
    symbols = [ch for ch in page.text if unicodedata.category(ch) == "So" and ord(ch) > 0x2FFF]
    assert symbols == [], f"emoji on the page: {symbols}"
