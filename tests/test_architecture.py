"""Rules of the architecture that code review alone would let slip.

* The core never imports a plugin.
* A plugin imports nothing from the core but the facade ``balai.toolkit``,
  and never another plugin.
* No two modules import each other, directly or through others (an import
  inside a function counts too: it hides the circle, it does not break it).
* The core's lower layers (db, tenants, web, auth's sign-in machinery) import
  nothing from the built-in services above them.
* Every hook is documented, and every hook is exercised by some test.
* Test modules and test helpers have names unique across the repository:
  pytest imports them by their bare name, so a second ``tests/support.py``
  silently shadows the first when the whole suite is collected.
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


def source_roots() -> list[Path]:
    """The folders holding the core's and each plugin's top-level packages."""
    return [CORE_SRC.parent, *(p / "src" for p in PLUGIN_DIRS)]


def module_files() -> dict[str, Path]:
    """Every module of the core and the plugins by dotted name (packages by their own)."""
    found: dict[str, Path] = {}
    for root in source_roots():
        for path in root.rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            if "template" in parts:  # the scaffold's template is not a module of ours
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = module_files()


def _known(name: str) -> str | None:
    """``name``, or the nearest enclosing module of ours (``None``: not ours)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def module_imports(name: str) -> set[str]:
    """The modules of ours that module ``name`` imports, anywhere in its body."""
    path = MODULES[name]
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(filter(None, (_known(alias.name) for alias in node.names)))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name.split(".") if is_package else name.split(".")[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, *([node.module] if node.module else [])])
            for alias in node.names:  # ``from x import y`` may name the module x.y
                target = f"{base}.{alias.name}"
                found.add(_known(target if target in MODULES else base) or "")
    found.discard("")
    found.discard(name)
    return found


def import_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return circles


def modules_by_bare_name(folders: list[Path]) -> dict[str, list[Path]]:
    """Every Python module under the test folders by its bare name (``conftest`` excepted)."""
    found: dict[str, list[Path]] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            if path.stem not in ("conftest", "__init__"):
                found.setdefault(path.stem, []).append(path)
    return found


def test_test_modules_have_names_unique_across_the_repository(tmp_path: Path):
    twice = {
        name: paths for name, paths in modules_by_bare_name(TEST_DIRS).items() if len(paths) > 1
    }
    assert not twice, f"rename these (pytest imports them by bare name): {twice}"
    for plugin in ("a", "b"):  # the check itself sees a shadowing pair
        (tmp_path / plugin).mkdir()
        (tmp_path / plugin / "support.py").write_text("")
    assert len(modules_by_bare_name([tmp_path])["support"]) == 2


def test_the_circle_finder_finds_circles_and_only_them():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert import_circles(graph) == [["a", "b", "c"]]
    assert import_circles({"a": {"b"}, "b": set()}) == []
    assert module_imports("balai.cli") >= {"balai.audit.cli", "balai.config"}


def test_no_modules_import_each_other():
    graph = {name: module_imports(name) for name in MODULES}
    circles = [" -> ".join(group) for group in import_circles(graph)]
    assert circles == [], "import circles (move what both need into a module of its own)"


# The services built on the core's lower layers (docs/architecture.md, "Built-in services").
SERVICES = ("audit", "dashboard", "files", "imports", "jobs", "notifications", "opendata")
SERVICES += ("payments",)
# The lower layers. ``balai.web.app`` (create_app) is not one of them: it is where the
# services are wired together. auth's pages are services of their own (they audit and notify).
LOWER_LAYERS = ("balai.db", "balai.tenants", "balai.web")
LOWER_LAYERS += tuple(f"balai.auth.{m}" for m in ("access", "accounts", "passwords"))
LOWER_LAYERS += ("balai.auth.sessions", "balai.auth.throttle")
COMPOSITION_ROOT = "balai.web.app"


def _in(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_the_lower_layers_import_no_service():
    offences = [
        f"{name} imports {target}"
        for name in sorted(MODULES)
        if any(_in(name, layer) for layer in LOWER_LAYERS) and name != COMPOSITION_ROOT
        for target in sorted(module_imports(name))
        if any(_in(target, f"balai.{service}") for service in SERVICES)
    ]
    assert offences == [], (
        "a lower layer must not reach up: let create_app hand the service down "
        "(as UI.record_denial does for the audit log) or move the code up"
    )


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
