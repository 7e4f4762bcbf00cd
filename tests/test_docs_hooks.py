"""The docs must match the code: the hook reference and the toolkit table."""

from __future__ import annotations

import importlib.util
import inspect
import sys
from pathlib import Path
from types import ModuleType

import pytest
from balai import hookspecs

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def _generator() -> ModuleType:
    return _load("gen_hook_reference", DOCS / "gen_hook_reference.py")


def _hook_names() -> list[str]:
    return [name for name, obj in vars(hookspecs).items() if hasattr(obj, "balai_spec")]


def test_hooks_md_is_up_to_date():
    generated = _generator().render(hookspecs)
    committed = (DOCS / "hooks.md").read_text(encoding="utf-8")
    assert committed == generated, (
        "docs/hooks.md is stale: run `uv run python docs/gen_hook_reference.py`"
    )


def test_every_hook_has_a_heading_and_its_signature():
    text = (DOCS / "hooks.md").read_text(encoding="utf-8")
    names = _hook_names()
    assert names, "no hook specifications found"
    for name in names:
        assert f"\n### {name}\n" in text
        params = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
        assert f"def {name}(" in text, name
        for param in filter(None, params.split(", ")):
            assert param in text


def test_check_mode_reports_a_stale_file(tmp_path):
    generator = _generator()
    stale = tmp_path / "hooks.md"
    stale.write_text("# Hook reference\n\nold\n", encoding="utf-8")
    assert generator.main(["--check", "--output", str(stale)]) == 1
    assert generator.main(["--output", str(stale)]) == 0
    assert generator.main(["--check", "--output", str(stale)]) == 0


def test_a_hook_without_docstring_is_refused(tmp_path):
    generator = _generator()
    source = tmp_path / "fake_hookspecs.py"
    source.write_text(
        "import pluggy\n"
        "hookspec = pluggy.HookspecMarker('balai')\n"
        "@hookspec\n"
        "def documented():\n"
        '    """Has a docstring."""\n'
        "@hookspec\n"
        "def undocumented():\n"
        "    pass\n",
        encoding="utf-8",
    )
    fake = _load("fake_hookspecs", source)
    with pytest.raises(ValueError, match="undocumented"):
        generator.collect_hooks(fake)


def test_docstring_markup_becomes_markdown():
    convert = _generator().rst_to_markdown
    assert (
        convert("see :mod:`balai.toolkit` and ``tk.PUBLIC``")
        == "see `balai.toolkit` and `tk.PUBLIC`"
    )
    assert convert(":class:`~balai.tenants.City`") == "`balai.tenants.City`"


def _toolkit_generator() -> ModuleType:
    return _load("gen_toolkit_reference", DOCS / "gen_toolkit_reference.py")


def test_plugin_guide_toolkit_table_is_up_to_date():
    from balai import toolkit

    guide = (DOCS / "plugin-guide.md").read_text(encoding="utf-8")
    assert _toolkit_generator().updated_guide(guide, toolkit) == guide, (
        "the toolkit table in docs/plugin-guide.md is stale: "
        "run `uv run python docs/gen_toolkit_reference.py`"
    )


def test_plugin_guide_lists_every_toolkit_name_once():
    from balai import toolkit

    guide = (DOCS / "plugin-guide.md").read_text(encoding="utf-8")
    table = guide.split("<!-- toolkit:start", 1)[1].split("<!-- toolkit:end -->", 1)[0]
    listed = [
        row.split("|")[1].strip().strip("`") for row in table.splitlines() if row.startswith("| `")
    ]
    assert sorted(listed) == sorted(toolkit.__all__)


def test_toolkit_check_mode_reports_a_stale_table(tmp_path):
    generator = _toolkit_generator()
    guide = tmp_path / "guide.md"
    guide.write_text(f"# Guide\n\n{generator.START}\n| `old` | value | gone |\n{generator.END}\n")
    assert generator.main(["--check", "--guide", str(guide)]) == 1
    assert generator.main(["--guide", str(guide)]) == 0
    assert generator.main(["--check", "--guide", str(guide)]) == 0
    assert "`old`" not in guide.read_text()


def test_toolkit_table_needs_its_markers():
    from balai import toolkit

    with pytest.raises(ValueError, match="markers"):
        _toolkit_generator().updated_guide("# no table here\n", toolkit)
