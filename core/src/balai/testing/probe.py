"""The conformance suite's visits: every route of a plugin, as every kind of visitor.

:class:`Probe` works on a running test app with two cities that enable the
plugin, both seeded with its demo data. It signs in as each visitor in turn,
requests every route (path parameters filled from both cities' rows, links
followed), posts every form with bad values, and records what broke a rule:
a server error, a row of one city seen in the other, a guarded route open to
a visitor who is not signed in to the city, a refused form that wrote rows or
did not come back. The tests in :mod:`balai.testing.conformance` read it.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from piccolo.columns import Column

from balai.auth.access import CITY_ADMIN
from balai.testing import make_post_form, run_in_city
from balai.testing.html_forms import Field, Form, read_page
from balai.testing.routes import PluginRoute, plugin_routes, route_of
from balai.testing.rows import (
    ParamSource,
    city_tables,
    count_rows,
    markers,
    param_source,
    path_values,
    read_rows,
)

ORIGIN = "http://testserver"
ROWS_PER_ROUTE = 2  # rows of each city a route with path parameters is requested with
LINKS_PER_ROUTE = 3  # further pages of one route followed from links, per visitor
# Markup, SQL and template syntax, and a NUL character, which no text field may
# hold (PostgreSQL refuses it): a form must refuse this value, and never echo it raw.
HOSTILE = "<script>alert('balai')</script>\"'><img src=x onerror=alert(1)>{{7*7}}' OR '1'='1\x00"
ECHO_SIGNS = ("<script>alert('balai')", "<img src=x onerror")


@dataclass(frozen=True)
class Visitor:
    """Who sends requests: nobody, or a demo account signed in to ``home``.

    Attributes:
        label: How reports name the visitor.
        home: The city the account belongs to (``None``: anonymous).
        login: The account's login ("" for anonymous).
        password: Its password.
    """

    label: str
    home: str | None = None
    login: str = ""
    password: str = ""

    def signed_in(self, city: str) -> bool:
        """Whether requests to ``city`` come from a signed-in account of it."""
        return self.home == city


@dataclass(frozen=True)
class Variant:
    """A way of filling a form badly.

    ``text`` goes into every control; when it is ``None`` only the numeric
    controls (``number``) or the date controls (``date``) get a bad value and
    the rest a plausible one, so that the bad number is what must be refused.
    ``shown_again``: the refusal must show the form again (the hostile value
    is refused by the core before the plugin sees it, with the error page).
    """

    name: str
    text: str | None
    number: str | None = None
    date: str | None = None
    shown_again: bool = True

    def applies_to(self, form: Form) -> bool:
        """Whether the form has a control this variant puts a bad value in."""
        if self.text is not None:
            return True
        if self.number is not None:
            return any(f.numeric for f in form.editable)
        return self.date is not None and any(f.is_date for f in form.editable)

    def value_for(self, control: Field) -> str | None:
        """The bad value for ``control``, or ``None`` for a plausible one."""
        if self.text is not None:
            return self.text
        if control.numeric:
            return self.number
        if control.is_date:
            return self.date
        return None


VARIANTS = (
    Variant("empty", ""),
    Variant("oversized", "Ab1 " * 5000),
    Variant("hostile", HOSTILE, shown_again=False),
    Variant("2^63", None, number=str(2**63)),
    Variant("negative", None, number="-1"),
    Variant("1e9999", None, number="1e9999"),
    Variant("Arabic-Indic digits", None, number="\u0661\u0662\u0663"),
    Variant("impossible date", None, date="2026-02-30"),
)
_PLAUSIBLE = {
    "email": "uji@example.id",
    "tel": "081234567890",
    "url": "https://example.id/",
    "number": "1",
    "range": "1",
    "date": "2026-12-01",
    "datetime-local": "2026-12-01T10:00",
    "month": "2026-12",
    "time": "10:00",
    "week": "2026-W49",
    "password": "kata-sandi-uji-123",
}


def plausible(control: Field) -> str | None:
    """A value a careful visitor might give ``control`` (``None``: leave it out)."""
    if control.kind in {"select", "radio"}:
        return control.value or next((o for o in control.options if o), None)
    if control.kind == "checkbox":
        return control.value or None
    return control.value or _PLAUSIBLE.get(control.kind, "Uji kesesuaian")


def submission(form: Form, variant: Variant) -> tuple[dict[str, list[str]], dict[str, Any]]:
    """The fields and files a visitor sends when filling ``form`` as ``variant`` says."""
    data: dict[str, list[str]] = {}
    files: dict[str, Any] = {}
    for control in form.fields:
        if control.kind == "file":
            bad = variant.value_for(control)
            if bad is not None:
                files[control.name] = ("uji.txt" if bad else "", bad.encode(), "text/plain")
            continue
        value = control.value if not control.editable else variant.value_for(control)
        if value is None:
            value = plausible(control)
        if value is not None:
            data.setdefault(control.name, []).append(value)
    return data, files


@dataclass
class Found:
    """One broken rule: where, as whom, what."""

    visitor: str
    request: str
    problem: str

    def __str__(self) -> str:
        return f"{self.request} as {self.visitor}: {self.problem}"


@dataclass
class FoundForm:
    """A form seen on a page of the plugin, and who saw it."""

    visitor: Visitor
    city: str
    page: str
    form: Form


@dataclass
class Findings:
    """What the probe saw, by rule."""

    server_errors: list[Found] = field(default_factory=list)
    leaks: list[Found] = field(default_factory=list)
    open_to_strangers: list[Found] = field(default_factory=list)
    cross_city_writes: list[str] = field(default_factory=list)
    bad_forms: list[Found] = field(default_factory=list)
    requested: set[PluginRoute] = field(default_factory=set)


class Probe:
    """Visits one plugin in two seeded cities of a running test app.

    Args:
        app: The test app (``balai.testing.build_app``), its client running.
        client: The running ``TestClient``.
        slug: The plugin.
        cities: The two city slugs, both enabling the plugin.
        accounts: Per city, the demo accounts (``balai.demo.CitySeed.accounts``).
        overrides: Path parameter name -> the Piccolo column whose values fill it.
    """

    def __init__(
        self,
        app: Any,
        client: Any,
        slug: str,
        cities: tuple[str, str],
        accounts: dict[str, list[Any]],
        overrides: dict[str, Column] | None = None,
    ) -> None:
        self.app, self.client, self.slug, self.cities = app, client, slug, cities
        self.accounts = accounts
        self.post_form = make_post_form(client)
        self.routes = plugin_routes(app, slug)
        self.tables = city_tables(app, slug)
        self.rows = {c: run_in_city(app, c, lambda: read_rows(self.tables)) for c in cities}
        first, second = cities
        self.markers = {
            first: markers(self.tables, self.rows[first], self.rows[second]),
            second: markers(self.tables, self.rows[second], self.rows[first]),
        }
        self.sources = self._param_sources(overrides or {})
        self.forms: dict[tuple[str, str, str], FoundForm] = {}
        self._findings: Findings | None = None

    def _param_sources(self, overrides: dict[str, Column]) -> dict[str, ParamSource]:
        sources: dict[str, ParamSource] = {}
        unknown: list[str] = []
        for route in self.routes:
            for name, _ in route.params:
                source = param_source(name, self.tables, overrides)
                if source is None:
                    unknown.append(f"{{{name}}} of {route}")
                else:
                    sources[name] = source
        if unknown:
            raise AssertionError(
                "The conformance suite cannot tell which rows fill "
                + ", ".join(sorted(set(unknown)))
                + "; name the column in the class's path_params, e.g. "
                "path_params = {'nop': TaxObject.nop}."
            )
        return sources

    # --- visitors ---------------------------------------------------------

    def visitors(self, city: str) -> list[Visitor]:
        """Anonymous; the city's citizens, admin and plugin officers; the other city's officers."""
        other = self._other(city)
        own_role = f"{self.slug}."
        found = [Visitor("anonymous")]
        for account in self.accounts[city]:
            if account.role in {"citizen", CITY_ADMIN} or account.role.startswith(own_role):
                label = f"{account.login} ({account.role})"
                found.append(Visitor(label, city, account.login, account.password))
        for account in self.accounts[other]:
            if account.role.startswith(own_role):
                label = f"{account.login} ({account.role} of {other})"
                found.append(Visitor(label, other, account.login, account.password))
        return found

    def sign_in(self, visitor: Visitor) -> None:
        """Forget every cookie, then sign ``visitor`` in through the login form."""
        self.client.cookies.clear()
        if visitor.home is None:
            return
        response = self.post_form(
            f"/{visitor.home}/masuk",
            {"login": visitor.login, "password": visitor.password, "next": ""},
            headers={"Origin": ORIGIN},
        )
        if response.status_code != 303:
            raise AssertionError(f"signing in {visitor.label} answered {response.status_code}")

    # --- visiting every route ---------------------------------------------

    def findings(self) -> Findings:
        """Visit both cities as every visitor once; later calls return the same findings.

        Per city: every visitor requests every page (links followed, forms
        kept), the forms are posted badly, then every unsafe route is posted
        empty with the other city's rows in its path (last, since an empty
        post may be a valid action that changes what the pages show).
        """
        if self._findings is None:
            findings = Findings()
            for city in self.cities:
                other = self._other(city)
                before = self.count(other)
                visitors = self.visitors(city)
                for visitor in visitors:
                    self.sign_in(visitor)
                    self._crawl(findings, city, visitor)
                findings.bad_forms.extend(self._post_forms_badly(city))
                for visitor in visitors:
                    self.sign_in(visitor)
                    self._post_empty(findings, city, visitor)
                after = self.count(other)
                if after != before:
                    changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
                    findings.cross_city_writes.append(
                        f"requests to {city} changed rows of {other}: {changed}"
                    )
            self._findings = findings
        return self._findings

    def count(self, city: str) -> dict[str, int]:
        """Rows per plugin table in ``city``."""
        return run_in_city(self.app, city, lambda: count_rows(self.tables))

    def _other(self, city: str) -> str:
        return self.cities[1] if city == self.cities[0] else self.cities[0]

    def _urls(self, route: PluginRoute, city: str) -> list[str]:
        urls = []
        for source_city in (city, self._other(city)):
            rows = self.rows[source_city]
            for values in path_values(list(route.params), self.sources, rows, ROWS_PER_ROUTE):
                urls.append(route.url(city, values))
        return list(dict.fromkeys(urls))

    def _crawl(self, findings: Findings, city: str, visitor: Visitor) -> None:
        prefix = f"/{city}"
        queue = deque(
            (url, True) for r in self.routes if r.method == "GET" for url in self._urls(r, city)
        )
        followed: Counter[PluginRoute] = Counter()
        seen: set[str] = set()
        while queue:
            url, planned = queue.popleft()
            route = route_of(self.routes, "GET", urlsplit(url).path[len(prefix) :])
            if url in seen or route is None:
                continue
            if not planned:
                if followed[route] >= LINKS_PER_ROUTE:
                    continue
                followed[route] += 1
            seen.add(url)
            response = self.client.get(url, follow_redirects=False)
            self._check(findings, city, visitor, route, f"GET {url}", response)
            if response.status_code != 200 or "html" not in response.headers.get(
                "content-type", ""
            ):
                continue
            page = read_page(url, response.text)
            for link in page.links:
                target = urlsplit(link)
                if target.netloc in ("", "testserver") and target.path.startswith(prefix + "/"):
                    queue.append(
                        (target.path + (f"?{target.query}" if target.query else ""), False)
                    )
            if visitor.home in (None, city):
                self._keep_forms(city, visitor, url, page.forms)

    def _keep_forms(self, city: str, visitor: Visitor, url: str, forms: list[Form]) -> None:
        for form in forms:
            route = route_of(self.routes, "POST", urlsplit(form.action).path[len(city) + 1 :])
            if route is None or not form.editable:
                continue
            if not route.public and not visitor.signed_in(city):
                continue  # its guard turns this visitor away (checked with the routes)
            names = ",".join(sorted(f.name for f in form.fields))
            self.forms.setdefault(
                (visitor.label, str(route), names), FoundForm(visitor, city, url, form)
            )

    def _post_empty(self, findings: Findings, city: str, visitor: Visitor) -> None:
        """Each unsafe route once, empty, with the other city's rows in its path."""
        for route in self.routes:
            if route.method == "GET":
                continue
            rows = self.rows[self._other(city)]
            for values in path_values(list(route.params), self.sources, rows, 1):
                url = route.url(city, values)
                response = self.post_form(url, {}, headers={"Origin": ORIGIN})
                self._check(findings, city, visitor, route, f"POST {url}", response)

    def _check(
        self,
        findings: Findings,
        city: str,
        visitor: Visitor,
        route: PluginRoute,
        request: str,
        response: Any,
    ) -> None:
        findings.requested.add(route)
        status = response.status_code
        if status >= 500:
            findings.server_errors.append(Found(visitor.label, request, f"answered {status}"))
        if not route.public and not visitor.signed_in(city) and not _refused(response):
            findings.open_to_strangers.append(
                Found(visitor.label, request, f"answered {status} to a visitor not signed in")
            )
        text = response.text
        typed = unquote(request)  # repeating what the visitor typed in the address reveals nothing
        seen = [
            f"{m!r} ({where})"
            for m, where in self.markers[self._other(city)].items()
            if m in text and m not in typed
        ]
        if seen:
            findings.leaks.append(
                Found(visitor.label, request, f"shows {self._other(city)}'s " + ", ".join(seen[:3]))
            )

    # --- posting forms badly ----------------------------------------------

    def _post_forms_badly(self, city: str) -> list[Found]:
        """Post every form found on ``city``'s pages in every bad way; what went wrong."""
        problems: list[Found] = []
        signed_in: Visitor | None = None
        forms = [f for f in self.forms.values() if f.city == city]
        for found in sorted(forms, key=lambda f: f.visitor.label):
            if found.visitor != signed_in:
                self.sign_in(found.visitor)
                signed_in = found.visitor
            for variant in VARIANTS:
                if variant.applies_to(found.form):
                    problems.extend(self._post_badly(found, variant))
        return problems

    def _post_badly(self, found: FoundForm, variant: Variant) -> list[Found]:
        request = f"POST {found.form.action} ({variant.name}, form of {found.page})"
        form = self._fresh(found)
        if form is None:
            return [Found(found.visitor.label, request, "the page no longer shows the form")]
        data, files = submission(form, variant)
        before = [self.count(c) for c in self.cities]
        response = self.client.post(
            form.action,
            data=data,
            files=files or None,
            headers={"Origin": ORIGIN},
            follow_redirects=False,
        )
        after = [self.count(c) for c in self.cities]
        status = response.status_code
        label = found.visitor.label
        problems = []
        if not 400 <= status < 500:
            where = response.headers.get("location", "")
            problems.append(Found(label, request, f"answered {status} {where}".rstrip()))
        elif variant.shown_again and not any(
            f.action == form.action for f in read_page(form.action, response.text).forms
        ):
            problems.append(Found(label, request, f"answered {status} without the form"))
        if before != after:
            changed = [
                f"{t}: {b[t]} -> {a[t]}"
                for b, a in zip(before, after, strict=True)
                for t in b
                if b[t] != a[t]
            ]
            problems.append(Found(label, request, "wrote rows: " + ", ".join(changed)))
        if any(sign in response.text for sign in ECHO_SIGNS):
            problems.append(Found(label, request, "shows the hostile value unescaped"))
        return problems

    def _fresh(self, found: FoundForm) -> Form | None:
        """The form as the page shows it now (with this session's CSRF token)."""
        page = self.client.get(found.page, follow_redirects=False)
        if page.status_code == 200:
            for form in read_page(found.page, page.text).forms:
                if form.action == found.form.action and len(form.fields) == len(found.form.fields):
                    return form
        return None


def _refused(response: Any) -> bool:
    """Whether a guard turned the visitor away (401, 403, or off to the login form)."""
    if response.status_code in (401, 403):
        return True
    location = response.headers.get("location", "")
    return response.status_code in (302, 303, 307) and "/masuk" in urlsplit(location).path
