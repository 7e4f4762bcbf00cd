"""No hand-written form parsing in the plugins that issue 10 moved onto ``tk.Form``.

A value read from a submitted form (``form = await request.form()``, or a
helper's parameter ``form``/``data``, then ``form.get("x")``) may only be
handed on whole: to a declared ``tk.Form``, a
toolkit parser (``tk.plain_int``), or the files service. Turning it into text
by hand (``str(form.get(...))``), cutting it (``[:120]``), trimming or
splitting it (``.strip()``, ``" ".join(....split())``) or comparing it
(``form.get("box") == "1"``) is the near-copy of the toolkit's fields this test
keeps out: a field declares its limit, parses, and words its refusal once.

The plugins checked are those issue 10 names (umkm_market and pajak), then
pengaduan and sipaldi; add a plugin to :data:`CHECKED` once its forms are declared too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ("umkm_market", "pajak", "pengaduan", "sipaldi", "e_jkn", "wisata_heritage")
# Reading a submitted form: ``await request.form()``.
_FORM_CALL = "await request.form()"
# What a helper calls the submitted form it is handed.
_FORM_PARAMETERS = ("form", "data")


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def hand_parsing(source: str) -> list[tuple[int, str]]:
    """Each place in ``source`` where a submitted form's value is parsed by hand."""
    tree = ast.parse(source)
    parents = _parents(tree)
    found: list[tuple[int, str]] = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        forms = {
            target.id
            for node in ast.walk(function)
            if isinstance(node, ast.Assign) and ast.unparse(node.value) == _FORM_CALL
            for target in node.targets
            if isinstance(target, ast.Name)
        } | {  # a helper handed the submitted form
            arg.arg
            for arg in (*function.args.args, *function.args.kwonlyargs)
            if arg.arg in _FORM_PARAMETERS
        }
        for node in ast.walk(function):
            read = (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("get", "getall")
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in forms
            ) or (
                isinstance(node, ast.Subscript)
                and isinstance(node.value, ast.Name)
                and node.value.id in forms
            )
            if not read:
                continue
            parent = parents[node]
            by_hand = (
                isinstance(parent, ast.Call)
                and isinstance(parent.func, ast.Name)
                and parent.func.id in ("str", "int", "float", "bool")
            ) or isinstance(parent, ast.Attribute | ast.Subscript | ast.Compare | ast.BoolOp)
            if by_hand:
                found.append((node.lineno, ast.unparse(parent)))
    return found


def plugin_sources() -> list[Path]:
    """The Python files of the checked plugins (migrations carry no forms)."""
    return sorted(
        path
        for slug in CHECKED
        for path in (ROOT / "plugins" / slug / "src").rglob("*.py")
        if "migrations" not in path.parts
    )


def test_the_checked_plugins_exist():
    assert len(plugin_sources()) > 40  # the rule below is not passing on an empty list


@pytest.mark.parametrize(
    "line",
    [
        'reason = str(form.get("reason", "")).strip()[:500]',
        'name = " ".join(form.get("name", "").split())',
        'active = form.get("is_active") == "1"',
        'note = form["note"].strip()',
        'fee = int(form.get("fee") or 0)',
    ],
)
def test_the_rule_sees_hand_parsing(line):
    source = f"async def route(request):\n    form = await request.form()\n    {line}\n"
    assert hand_parsing(source), line


def test_a_helper_handed_the_form_is_checked_too():
    source = 'def read(form, view):\n    return str(form.get("address", "")).strip()\n'
    assert hand_parsing(source)


def test_handing_a_value_on_whole_is_not_hand_parsing():
    source = (
        "async def route(request):\n"
        "    form = await request.form()\n"
        "    checked = ProductForm(form)\n"
        '    item = await own_item(request, form.get("item_id"))\n'
        '    photos = [u for u in form.getall("photos", []) if chosen(u)]\n'
    )
    assert hand_parsing(source) == []


def test_no_plugin_form_is_parsed_by_hand():
    offences = [
        f"{path.relative_to(ROOT)}:{line}: {code}"
        for path in plugin_sources()
        for line, code in hand_parsing(path.read_text(encoding="utf-8"))
    ]
    assert offences == [], "declare these on tk.Form fields:\n" + "\n".join(offences)
