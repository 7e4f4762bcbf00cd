"""Links and forms read from a page's HTML, as a browser would see them.

The conformance suite follows a plugin's links and posts its forms; it reads
them with the standard library's parser, so it needs no plugin metadata.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# Input types a visitor types or chooses a value in.
EDITABLE_TYPES = frozenset(
    {
        "text",
        "search",
        "email",
        "tel",
        "url",
        "number",
        "password",
        "date",
        "datetime-local",
        "month",
        "time",
        "week",
        "checkbox",
        "radio",
        "file",
        "select",
        "textarea",
        "range",
        "color",
    }
)
NUMERIC_MODES = frozenset({"numeric", "decimal"})
DATE_TYPES = frozenset({"date", "datetime-local", "month", "time", "week"})


@dataclass
class Field:
    """One named control of a form.

    Attributes:
        name: The ``name`` attribute.
        kind: The input type (``text``, ``number``, ``hidden``, ``checkbox``,
            ``file``...), or ``select`` / ``textarea``.
        value: The value the page gives it (checked or selected one for choices).
        numeric: Whether the visitor is asked for a number (``type=number`` or
            ``inputmode=numeric|decimal``).
        options: The option values of a ``select`` or a radio group.
    """

    name: str
    kind: str
    value: str = ""
    numeric: bool = False
    options: list[str] = field(default_factory=list)

    @property
    def editable(self) -> bool:
        """Whether a visitor fills this control in (not hidden, not a button)."""
        return self.kind in EDITABLE_TYPES

    @property
    def is_date(self) -> bool:
        """Whether the control asks for a date or time."""
        return self.kind in DATE_TYPES


@dataclass
class Form:
    """A ``<form method="post">`` of a page.

    Attributes:
        action: The absolute path it posts to (query string kept).
        multipart: Whether it sends ``multipart/form-data`` (file uploads).
        fields: Its named controls, the first submit button with a name included.
    """

    action: str
    multipart: bool = False
    fields: list[Field] = field(default_factory=list)

    @property
    def editable(self) -> list[Field]:
        """The controls a visitor fills in."""
        return [f for f in self.fields if f.editable]


class _PageParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None
        self._submit_named = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page_url, a["href"]))
        elif tag == "form":
            self._start_form(a)
        elif self._form is None:
            return
        elif tag == "input":
            self._input(a)
        elif tag == "button":
            if a.get("name") and a.get("type", "submit") == "submit" and not self._submit_named:
                self._submit_named = True
                self._form.fields.append(Field(a["name"], "submit", a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = Field(a["name"], "select")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select.options.append(value)
            if "selected" in a or (len(self._select.options) == 1):
                self._select.value = value
        elif tag == "textarea" and a.get("name"):
            self._textarea = Field(a["name"], "textarea")
            self._form.fields.append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def _start_form(self, a: dict[str, str]) -> None:
        if a.get("method", "get").lower() != "post":
            self._form = None
            return
        target = urlsplit(urljoin(self.page_url, a.get("action") or self.page_url))
        action = target.path + (f"?{target.query}" if target.query else "")
        self._form = Form(action, "multipart" in a.get("enctype", ""))
        self._submit_named = False
        self.forms.append(self._form)

    def _input(self, a: dict[str, str]) -> None:
        assert self._form is not None
        name, kind = a.get("name"), a.get("type", "text").lower()
        if not name or kind in {"button", "reset", "image"}:
            return
        if kind == "submit":
            if not self._submit_named:
                self._submit_named = True
                self._form.fields.append(Field(name, "submit", a.get("value", "")))
            return
        numeric = kind in {"number", "range"} or a.get("inputmode", "") in NUMERIC_MODES
        if kind == "radio":
            group = next((f for f in self._form.fields if f.name == name), None)
            if group is None:
                group = Field(name, "radio", numeric=numeric)
                self._form.fields.append(group)
            group.options.append(a.get("value", "on"))
            if "checked" in a or not group.value:
                group.value = a.get("value", "on")
            return
        value = a.get("value", "on" if kind == "checkbox" else "")
        if kind == "checkbox" and "checked" not in a:
            value = ""
        self._form.fields.append(Field(name, kind, value, numeric))


@dataclass
class Page:
    """The links (absolute URLs) and post forms of one HTML page."""

    links: list[str]
    forms: list[Form]


def read_page(url: str, html: str) -> Page:
    """Parse ``html`` served at ``url`` (an absolute path or URL)."""
    parser = _PageParser(url)
    parser.feed(html)
    parser.close()
    return Page(parser.links, parser.forms)
