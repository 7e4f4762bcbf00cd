"""The UI component reference (docs/components.md) matches the theme's macros."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _generator() -> ModuleType:
    path = DOCS / "gen_component_reference.py"
    spec = importlib.util.spec_from_file_location("gen_component_reference", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_component_reference"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_components_md_is_up_to_date():
    committed = (DOCS / "components.md").read_text(encoding="utf-8")
    assert committed == _generator().render(), (
        "docs/components.md is stale: run `uv run python docs/gen_component_reference.py`"
    )


def test_every_macro_has_a_comment_and_an_example_that_renders():
    assert _generator().problems() == []


def test_every_macro_and_parameter_is_in_the_reference():
    generator = _generator()
    text = (DOCS / "components.md").read_text(encoding="utf-8")
    found = generator.components()
    assert {c.name for c in found} >= {"field", "select", "button", "pagination", "form_errors"}
    for component in found:
        assert f"\n## {component.name}\n" in text
        for name, _default in component.parameters:
            assert f"| `{name}` |" in text, (component.name, name)


def test_examples_render_what_they_show():
    generator = _generator()
    pages = generator.render_example(generator.EXAMPLES["pagination"])
    assert 'href="/malang/kelola/?page=3" rel="next"' in pages
    errors = generator.render_example(generator.EXAMPLES["form_errors"])
    assert 'href="#f-email"' in errors
    field = generator.render_example(generator.EXAMPLES["field"])
    assert 'aria-invalid="true"' in field and 'value="warga@contoh.id"' in field


def test_check_mode_reports_a_stale_file(tmp_path):
    generator = _generator()
    stale = tmp_path / "components.md"
    stale.write_text("# UI components\n\nold\n", encoding="utf-8")
    assert generator.main(["--check", "--output", str(stale)]) == 1
    assert generator.main(["--output", str(stale)]) == 0
    assert generator.main(["--check", "--output", str(stale)]) == 0
