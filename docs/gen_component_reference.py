"""Render the UI component reference (``docs/components.md``) from the theme's macros.

Every macro of ``themes/default/templates/components.html`` gets a section:
its call with the parameters and their defaults (read from the compiled
macro), whether it takes a body from ``{% call %}``, the comment written
above it in the template, and an example from :data:`EXAMPLES`. A macro
without an example fails the check, and every example is rendered with the
real template, so the reference cannot drift from the components::

    uv run python docs/gen_component_reference.py          # rewrite docs/components.md
    uv run python docs/gen_component_reference.py --check  # exit 1 when out of date

``tests/test_docs_components.py`` runs the same checks in the suite.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2
from balai.forms.fields import FileField, TextField
from balai.forms.form import Form

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "components.md"
TEMPLATES = ROOT / "themes" / "default" / "templates"
SOURCE = "components.html"
_MACRO = re.compile(
    r"\{#-?(?P<comment>(?:(?!#\}).)*?)-?#\}\s*\{%-?\s*macro\s+(?P<name>\w+)\(",
    re.DOTALL,
)

#: One example per macro, as a page template writes it (``ui`` is the import).
#: The names they use come from :data:`EXAMPLE_CONTEXT`.
EXAMPLES: dict[str, str] = {
    "field": (
        "{{ ui.field('email', _(\"Email address\"), type='email', value=values.email,\n"
        "            error=errors.get('email'), autocomplete='email', required=True,\n"
        '            hint=_("We send your receipts here.")) }}'
    ),
    "select": (
        "{{ ui.select('district', _(\"District\"), [('klojen', 'Klojen'), ('sukun', 'Sukun')],\n"
        "             value='sukun', value_attr=0, label_attr=1, placeholder=_(\"Choose…\")) }}"
    ),
    "checkbox": "{{ ui.checkbox('agree', _(\"I agree to the terms\"), checked=True) }}",
    "button": (
        '{{ ui.button(_("Save")) }}\n'
        "{{ ui.button(_(\"Delete\"), 'danger', name='action', value='delete') }}"
    ),
    "link_button": "{{ ui.link_button(_(\"Back to the list\"), url('/kelola/'), 'secondary') }}",
    "card": (
        "{% call ui.card(_(\"Kopi Tlogomas\"), href=url('/umkm-market/toko/7')) %}\n"
        '  <p>{{ _("Coffee roasted in Lowokwaru.") }}</p>\n'
        "{% endcall %}"
    ),
    "empty_state": (
        '{% call ui.empty_state(_("No orders yet"), _("Orders appear here once placed.")) %}\n'
        "  {{ ui.link_button(_(\"Open the market\"), url('/umkm-market/')) }}\n"
        "{% endcall %}"
    ),
    "pagination": "{{ ui.pagination(found.number, found.pages, found.url) }}",
    "badge": "{{ ui.badge(_(\"Verified\"), 'success') }}",
    "form_errors": "{{ ui.form_errors(errors) }}",
    "table_wrap": (
        '{% call ui.table_wrap(_("Officers")) %}\n'
        '<table class="table">\n'
        '  <thead><tr><th scope="col">{{ _("Name") }}</th>'
        '<th scope="col">{{ _("Department") }}</th></tr></thead>\n'
        '  <tbody><tr><th scope="row">Sri</th>'
        '<td data-label="{{ _("Department") }}">Bapenda</td></tr></tbody>\n'
        "</table>\n"
        "{% endcall %}"
    ),
    "icon": "<a href=\"{{ url('/pajak/') }}\">{{ ui.icon('house') }} {{ _(\"Property tax\") }}</a>",
    "summary_row": (
        '<dl class="summary">\n'
        "  {{ ui.summary_row(_(\"NOP\"), '35.73.010.001.001-0001.0') }}\n"
        '  {{ ui.summary_row(_("Owner"), None, empty=_("Not linked")) }}\n'
        "</dl>"
    ),
    "form_field": "{% for f in form %}{{ ui.form_field(f) }}{% endfor %}",
    "map": (
        '{{ ui.map(_("Heritage sites on the map"),\n'
        "          [{'lat': -7.977, 'lon': 112.634, 'label': 'Tugu', 'href': url('/situs/3')}]) }}"
    ),
    "map_picker": (
        '{{ ui.map_picker(_("The place on the map"), place.latitude, place.longitude,\n'
        "                 (-8.05, 112.57, -7.90, 112.70)) }}"
    ),
    "near_me_link": (
        "{{ ui.near_me_link(_(\"Nearest to me first\"), url('/wisata-heritage/'), 'near-status') }}"
    ),
}


def _page(number: int) -> str:
    return f"/malang/kelola/?page={number}"


class _ReportForm(Form):
    """The declared form the ``form_field`` example draws."""

    title = TextField("Title", max_length=60)
    photo = FileField("Photo", required=False)


class _PlaceForm(Form):
    """The declared form the ``map_picker`` example fills."""

    latitude = TextField("Latitude", required=False, max_length=20)
    longitude = TextField("Longitude", required=False, max_length=20)


#: What the examples refer to, as the page's context would hold it.
EXAMPLE_CONTEXT: dict[str, Any] = {
    "values": {"email": "warga@contoh.id"},
    "errors": {"email": "Enter an email address like nama@contoh.id."},
    "found": SimpleNamespace(number=2, pages=7, url=_page),
    "form": _ReportForm(initial={"title": "Lampu jalan mati"}),
    "place": _PlaceForm(),
    "url": lambda path: "/malang" + path,
    "static": lambda path: "/static/t/default/" + path,
    "map_setup": lambda: {
        "tiles": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attribution": "© OpenStreetMap contributors",
    },
}


@dataclass(frozen=True)
class Component:
    """One macro of components.html, ready to print."""

    name: str
    parameters: tuple[tuple[str, str | None], ...]
    takes_body: bool
    comment: str
    example: str


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    return env


def _comments(source: str) -> dict[str, str]:
    comments = {}
    for match in _MACRO.finditer(source):
        lines = match.group("comment").strip("\n").splitlines()
        indent = min((len(x) - len(x.lstrip()) for x in lines[1:] if x.strip()), default=0)
        text = "\n".join([lines[0].strip(), *(x[indent:] for x in lines[1:])]).strip()
        comments[match.group("name")] = text
    return comments


def _literal(node: Any) -> str:
    """A default value as the template writes it."""
    if isinstance(node, jinja2.nodes.Const):
        return repr(node.value)
    return type(node).__name__


def components() -> list[Component]:
    """Every macro of components.html, in the file's order."""
    source = (TEMPLATES / SOURCE).read_text(encoding="utf-8")
    env = _environment()
    module = env.get_template(SOURCE).make_module({"_": lambda s, **k: s % k if k else s})
    comments = _comments(source)
    found = []
    for node in env.parse(source).find_all(jinja2.nodes.Macro):
        required = len(node.args) - len(node.defaults)
        parameters = tuple(
            (arg.name, None if i < required else _literal(node.defaults[i - required]))
            for i, arg in enumerate(node.args)
        )
        found.append(
            Component(
                name=node.name,
                parameters=parameters,
                takes_body=getattr(module, node.name).caller,
                comment=comments.get(node.name, ""),
                example=EXAMPLES.get(node.name, ""),
            )
        )
    return found


def render_example(example: str) -> str:
    """The HTML an example produces (raises when it does not render)."""
    env = _environment()
    page = '{% import "components.html" as ui with context %}' + example
    return env.from_string(page).render(EXAMPLE_CONTEXT)


def problems() -> list[str]:
    """Macros without a comment or an example, examples of no macro, examples that fail."""
    found = components()
    names = {c.name for c in found}
    issues = [f"{c.name}: no comment above the macro" for c in found if not c.comment]
    issues += [f"{c.name}: no example in EXAMPLES" for c in found if not c.example]
    issues += [f"{name}: an example of no macro" for name in EXAMPLES if name not in names]
    for component in found:
        if component.example:
            try:
                render_example(component.example)
            except Exception as exc:  # any failure is the example's problem to report
                issues.append(f"{component.name}: the example does not render: {exc}")
    return issues


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def _summary(comment: str) -> str:
    """The comment's first sentence (or first line), for the table."""
    line = comment.splitlines()[0] if comment else ""
    sentence = line.split(". ")[0].rstrip(" .:;")
    return _escape(sentence) + "."


def _prose(comment: str) -> list[str]:
    """The comment as Markdown: indented lines (template code) become code blocks."""
    out: list[str] = []
    code: list[str] = []
    for line in [*comment.splitlines(), ""]:
        if line.startswith(" ") and line.strip():
            code.append(line.strip())
            continue
        if code:
            out += ["", "```jinja", *code, "```", ""]
            code = []
        if line.strip():
            out.append(_escape(line))
    return out


def _signature(component: Component) -> str:
    parts = [
        name if default is None else f"{name}={default}" for name, default in component.parameters
    ]
    return f"{component.name}({', '.join(parts)})"


def render() -> str:
    """The whole reference as Markdown."""
    out = [
        "# UI components",
        "",
        "<!-- generated by docs/gen_component_reference.py from "
        "themes/default/templates/components.html; do not edit -->",
        "",
        "The default theme's macros for forms, lists and pages "
        "(`themes/default/templates/components.html`). Import them in a template with",
        "",
        "```jinja",
        '{% import "components.html" as ui with context %}',
        "```",
        "",
        '("with context" gives the macros the page\'s `_`). A city theme may override',
        "`components.html`; keep the same macros and parameters. Labels and messages you",
        "pass are shown as given: translate them with `_()` first. Field ids are",
        "`f-<name>`, so `form_errors` links each message to its input.",
        "",
        "| component | what it draws |",
        "|---|---|",
    ]
    found = components()
    for component in found:
        anchor = component.name.replace("_", "")
        out.append(f"| [`{component.name}`](#{anchor}) | {_summary(component.comment)} |")
    for component in found:
        out += ["", f"## {component.name}", "", "```jinja", _signature(component), "```", ""]
        out += [*_prose(component.comment), ""]
        out += ["| parameter | default |", "|---|---|"]
        out += [
            f"| `{name}` | {'required' if default is None else f'`{default}`'} |"
            for name, default in component.parameters
        ]
        if component.takes_body:
            out += [
                "",
                "Takes a body: call it with `{% call ui."
                + component.name
                + "(…) %}…{% endcall %}`.",
            ]
        out += ["", "Example:", "", "```jinja", component.example, "```"]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the reference, or with ``--check`` report whether it is current."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when out of date")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    issues = problems()
    if issues:
        print("\n".join(issues), file=sys.stderr)
        return 1
    text = render()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is stale: run `uv run python docs/gen_component_reference.py`")
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
