"""Every number a route takes, in its path or its query, bent out of shape: 400 or 404, never 5xx.

The routes are enumerated from the running application (the core, the
built-in services and every installed plugin), so a route added later is
covered without touching this file. Each integer path parameter and each
integer query parameter is sent as a number past 2^63 - 1 (what SQLite and
PostgreSQL integer columns hold), as 40 digits, negative, in exponent form,
and in Arabic-Indic and full-width digits (Python's ``int`` accepts those;
a number in a URL or a form is ASCII digits only). The visitor is a city
administrator, who passes every guard, so the value reaches the handler if
nothing stops it earlier. Pages answer with an HTML page, the JSON API
(``/api/...``) with its JSON error body.
"""

from __future__ import annotations

from typing import Any

import pytest
from litestar.params import ParameterKwarg
from litestar.routes import HTTPRoute

BENT = {
    "2^63": str(2**63),
    "40 digits": "1" * 40,
    "negative": "-1",
    "exponent": "1e9999",
    "arabic-indic": "\u0661",
    "full-width": "\uff11",
    "signed": "+1",
}


def _int_query_names(handler: Any, path_names: set[str]) -> list[str]:
    names = []
    for name, field in handler.parsed_fn_signature.parameters.items():
        definition = field.kwarg_definition
        if name in path_names:
            continue
        if not isinstance(definition, ParameterKwarg) or definition.header or definition.cookie:
            continue
        types = (
            [t.annotation for t in field.inner_types] if field.is_optional else [field.annotation]
        )
        if int in types:
            names.append(definition.query or name)
    return names


def _int_routes(app) -> list[tuple[str, str, dict[str, str], list[str]]]:
    """(method, path template, path parameter types, int query names) of every city route."""
    found = []
    for route in app.litestar.routes:
        if not isinstance(route, HTTPRoute):
            continue
        types = {name: p.type.__name__ for name, p in route.path_parameters.items()}
        for handler in route.route_handlers:
            if handler.opt.get("cityless"):
                continue
            queries = _int_query_names(handler, set(types))
            if "int" not in types.values() and not queries:
                continue
            for method in sorted(handler.http_methods - {"HEAD", "OPTIONS"}):
                found.append((method, route.path_format, types, queries))
    return found


def _fill(template: str, types: dict[str, str], bent: str | None, target: str | None) -> str:
    path = template
    for name, kind in types.items():
        value = (bent if name == target else "1") if kind == "int" else "x"
        path = path.replace("{" + name + "}", value)
    return path


def test_every_int_route_refuses_bent_numbers(client, balai_app, login_as, post_form):
    login_as("city_admin")
    routes = _int_routes(balai_app)
    path_params = sum(1 for _, _, types, _ in routes for kind in types.values() if kind == "int")
    assert path_params >= 29 and any(queries for *_, queries in routes)  # the plugins' are there
    failures = []
    for method, template, types, queries in routes:
        cases = [(name, None) for name, kind in types.items() if kind == "int"]
        cases += [(None, name) for name in queries]
        for path_target, query_target in cases:
            for label, bent in BENT.items():
                url = "/malang" + _fill(template, types, bent, path_target)
                if query_target:
                    url += f"?{query_target}={bent}"
                if method == "GET":
                    answer = client.get(url, follow_redirects=False)
                else:
                    answer = post_form(url, {}) if method == "POST" else client.request(method, url)
                expected = 404 if path_target else 400
                kind = "application/json" if template.startswith("/api/") else "text/html"
                if answer.status_code != expected or kind not in answer.headers.get(
                    "content-type", ""
                ):
                    failures.append(f"{method} {url} ({label}): {answer.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("value", ["0", "1", "0007", str(2**63 - 1)])
def test_plain_numbers_in_range_still_reach_the_handler(client, login_as, value):
    login_as("city_admin")
    # An unknown id of a plain form is the handler's own 404, not a refusal before it.
    answer = client.get(f"/malang/impor/x/{value}", follow_redirects=False)
    assert answer.status_code == 404


@pytest.mark.parametrize("label", list(BENT))
def test_bent_ids_and_pages_read_by_the_handlers_are_refused(client, login_as, post_form, label):
    """Numbers a handler reads itself (forms, query strings it parses) are held to the same rule."""
    bent = BENT[label]
    login_as("city_admin")
    answers = {
        "cart add form": client.get(f"/malang/umkm-market/keranjang/tambah?product_id={bent}"),
        "cart add": post_form(
            "/malang/umkm-market/keranjang/tambah", {"product_id": bent, "quantity": "1"}
        ),
        "cart change": post_form(
            "/malang/umkm-market/keranjang/ubah", {"item_id": bent, "quantity": "1"}
        ),
        "cart remove": post_form("/malang/umkm-market/keranjang/hapus", {"item_id": bent}),
        "notifications page": client.get(f"/malang/notifikasi/?page={bent}"),
        "who viewed my data page": client.get(f"/malang/audit/data-saya?page={bent}"),
        "audit search page": client.get(f"/malang/kelola/audit/?page={bent}"),
    }
    if bent.isdigit():  # the audit search takes digits as an account, any other text as a name
        answers["audit search actor"] = client.get(f"/malang/kelola/audit/?actor={bent}")
    wrong = {
        what: answer.status_code
        for what, answer in answers.items()
        if answer.status_code not in (400, 404) or "text/html" not in answer.headers["content-type"]
    }
    assert not wrong


def test_the_audit_search_finds_an_actor_by_number_and_by_name(client, login_as):
    admin = login_as("city_admin", name="Siti Pemeriksa")
    by_number = client.get(f"/malang/kelola/audit/?actor={admin['id']}")
    assert by_number.status_code == 200 and "Siti Pemeriksa" in by_number.text
    by_name = client.get("/malang/kelola/audit/?actor=-1")
    assert by_name.status_code == 200  # text, searched in the actors' names
