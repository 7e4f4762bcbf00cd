"""Render the hook reference (``docs/hooks.md``) from ``balai.hookspecs``.

The hook specifications' docstrings are the plugin author's reference; this
script turns them into Markdown so that the reference in ``docs/`` never
drifts from the code. Run it after changing a hook::

    uv run python docs/gen_hook_reference.py          # rewrite docs/hooks.md
    uv run python docs/gen_hook_reference.py --check  # exit 1 when out of date

``tests/test_docs_hooks.py`` runs the same check in the suite.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

OUTPUT = Path(__file__).resolve().parent / "hooks.md"
SPEC_ATTRIBUTE = "balai_spec"
_SECTION = re.compile(r"^#\s*-+\s*(?P<title>.+?)\s*-*\s*$")
_ROLE = re.compile(r":(?:mod|func|class|meth|attr|data|exc):`~?(?P<target>[^`]+)`")
_LITERAL = re.compile(r"``(?P<text>.+?)``")


@dataclass(frozen=True)
class HookDoc:
    """One hook specification, ready to print.

    Attributes:
        name: The hook's name, which implementations must match.
        signature: ``def name(args) -> result`` with the annotations as written.
        docstring: The cleaned docstring, converted to Markdown.
        options: Non-default pluggy options (``firstresult``, ``historic``).
        section: The heading of the source section the hook is declared in.
        line: The line of the ``def`` in the module (for ordering).
    """

    name: str
    signature: str
    docstring: str
    options: tuple[str, ...]
    section: str
    line: int


def rst_to_markdown(text: str) -> str:
    """Turn the reStructuredText bits used in docstrings into Markdown.

    Only what the hook docstrings use: Sphinx roles and double-backtick
    literals. Everything else (paragraphs, ``*`` bullets) is the same in both.
    """
    text = _ROLE.sub(lambda m: f"``{m.group('target')}``", text)
    text = _LITERAL.sub(lambda m: f"`{m.group('text')}`", text)
    return text.replace("::\n", ":\n")


def _sections(source_lines: list[str]) -> list[tuple[int, str]]:
    """``(line number, title)`` of each ``# --- Title ---`` comment in the source."""
    found = []
    for number, line in enumerate(source_lines, start=1):
        match = _SECTION.match(line.strip())
        if match:
            found.append((number, match.group("title")))
    return found


def _signature(name: str, func: object) -> str:
    signature = inspect.signature(func)  # type: ignore[arg-type]
    params = []
    for param in signature.parameters.values():
        annotation = param.annotation
        if annotation is inspect.Parameter.empty:
            params.append(param.name)
        else:
            params.append(f"{param.name}: {_annotation_text(annotation)}")
    result = signature.return_annotation
    tail = "" if result is inspect.Signature.empty else f" -> {_annotation_text(result)}"
    return f"def {name}({', '.join(params)}){tail}"


def _annotation_text(annotation: object) -> str:
    if isinstance(annotation, str):
        return annotation
    return inspect.formatannotation(annotation)


def collect_hooks(module: ModuleType) -> list[HookDoc]:
    """Every hook specification of ``module``, in source order.

    Raises:
        ValueError: when a hook has no docstring (the reference would be empty).
    """
    source_lines = inspect.getsource(module).splitlines()
    sections = _sections(source_lines)
    hooks = []
    for name, func in vars(module).items():
        spec = getattr(func, SPEC_ATTRIBUTE, None)
        if not isinstance(spec, dict) or not callable(func):
            continue
        doc = inspect.getdoc(func)
        if not doc:
            raise ValueError(f"hook {name!r} has no docstring")
        line = inspect.getsourcelines(func)[1]
        section = next((title for start, title in reversed(sections) if start < line), "Hooks")
        options = tuple(key for key in ("firstresult", "historic") if spec.get(key))
        hooks.append(
            HookDoc(
                name=name,
                signature=_signature(name, func),
                docstring=rst_to_markdown(doc),
                options=options,
                section=section,
                line=line,
            )
        )
    return sorted(hooks, key=lambda hook: hook.line)


def render(module: ModuleType) -> str:
    """The Markdown hook reference for ``module``."""
    hooks = collect_hooks(module)
    intro = rst_to_markdown(inspect.getdoc(module) or "")
    out = [
        "# Hook reference",
        "",
        "<!-- Generated from core/src/balai/hookspecs.py by docs/gen_hook_reference.py;",
        "     edit the docstrings there and run the script, not this file. -->",
        "",
    ]
    if intro:
        out += [intro, ""]
    out += ["## Contents", ""]
    section = None
    for hook in hooks:
        if hook.section != section:
            section = hook.section
            out.append(f"* {section}")
        out.append(f"  * [`{hook.name}`](#{hook.name})")
    out.append("")
    section = None
    for hook in hooks:
        if hook.section != section:
            section = hook.section
            out += [f"## {section}", ""]
        code = ["```python", "@tk.hookimpl", f"{hook.signature}: ...", "```"]
        out += [f"### {hook.name}", "", *code, ""]
        if hook.options:
            out += [f"pluggy options: {', '.join(f'`{o}`' for o in hook.options)}.", ""]
        out += [hook.docstring, ""]
    return "\n".join(out).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) ``docs/hooks.md``; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 when docs/hooks.md is stale"
    )
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where to write")
    args = parser.parse_args(argv)

    from balai import hookspecs

    text = render(hookspecs)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date; run: uv run python docs/gen_hook_reference.py")
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({len(collect_hooks(hookspecs))} hooks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
