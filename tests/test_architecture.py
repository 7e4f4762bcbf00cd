"""Rules of the architecture that code review alone would let slip.

* The core never imports a plugin.
* A plugin imports nothing from the core but the facade ``balai.toolkit``,
  and never another plugin.
* Every hook is documented, and every hook is exercised by some test.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
from balai import hookspecs

ROOT = Path(__file__).resolve().parents[1]
CORE_SRC = ROOT / "core" / "src" / "balai"
PLUGIN_DIRS = sorted(p for p in (ROOT / "plugins").iterdir() if (p / "pyproject.toml").exists())
TEST_DIRS = [ROOT / "core" / "tests", ROOT / "tests", *(p / "tests" for p in PLUGIN_DIRS)]


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module a Python file imports, with the line it does so on."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "balai":
                found.extend((node.lineno, f"balai.{alias.name}") for alias in node.names)
            else:
                found.append((node.lineno, node.module))
    return found


def test_the_core_never_imports_a_plugin():
    offences = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in CORE_SRC.rglob("*.py")
        for line, module in imported_modules(path)
        if module.startswith("balai_")
    ]
    assert offences == []


@pytest.mark.parametrize("plugin_dir", PLUGIN_DIRS, ids=lambda p: p.name)
def test_a_plugin_imports_only_the_toolkit_and_itself(plugin_dir: Path):
    own = f"balai_{plugin_dir.name}"
    offences = []
    for path in (plugin_dir / "src").rglob("*.py"):
        for line, module in imported_modules(path):
            top = module.split(".")[0]
            if top == "balai" and module != "balai.toolkit":
                offences.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
            elif top.startswith("balai_") and top != own:
                offences.append(f"{path.relative_to(ROOT)}:{line} imports another plugin, {module}")
    assert offences == []


HOOKS = sorted(
    name
    for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
    if hasattr(fn, "balai_spec")
)


def test_hooks_are_found():
    assert {"plugin_info", "register_routes", "nav_items", "seed_demo"} <= set(HOOKS)


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_docstring(hook: str):
    doc = inspect.getdoc(getattr(hookspecs, hook)) or ""
    assert len(doc.split()) >= 8, f"hook {hook} needs a docstring that states its contract"


@pytest.fixture(scope="module")
def test_sources() -> str:
    return "\n".join(
        path.read_text(encoding="utf-8")
        for folder in TEST_DIRS
        if folder.is_dir()
        for path in folder.rglob("*.py")
        if path.name != Path(__file__).name
    )


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_exercised_by_a_test(hook: str, test_sources: str):
    assert f"def {hook}(" in test_sources or f'"{hook}"' in test_sources, (
        f"no test implements or calls the hook {hook}"
    )
