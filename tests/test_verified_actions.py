"""Every action that commits a citizen waits for a verified account, in the core and every plugin.

The routes are found in the running application (the core and every
installed plugin): each handler guarded by ``toolkit.require_verified``. An
account that registered but has not entered its code is sent to verify on a
``GET`` and refused with 403 on a ``POST``; the same account once verified
passes the guard (whatever the handler answers next).
"""

from __future__ import annotations

import re
from typing import Any

from balai import toolkit as tk
from litestar.routes import HTTPRoute

_PARAM = re.compile(r"\{(\w+):(\w+)\}")


def _guarded(app: Any) -> list[tuple[str, str]]:
    """(method, path) of every route behind require_verified, with sample path values."""
    found = []
    for route in app.litestar.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if tk.require_verified not in handler.resolve_guards():
                continue
            path = _PARAM.sub(lambda m: "1" if m.group(2) == "int" else "X1", route.path)
            for method in sorted(handler.http_methods - {"HEAD", "OPTIONS"}):
                found.append((method, path))
    return sorted(found)


def test_pay_order_enrol_and_report_routes_wait_for_verification(
    balai_app, client, login_as, post_form
):
    routes = _guarded(balai_app)
    paths = {path for _, path in routes}
    assert {"/pajak/tagihan/bayar", "/umkm-market/checkout"} <= paths, paths
    login_as(None, verified=False)
    for method, path in routes:
        url = f"/malang{path}"
        if method == "GET":
            answer = client.get(url, follow_redirects=False)
            assert answer.status_code == 303, (method, path, answer.status_code)
            assert answer.headers["location"].startswith("/malang/akun/verifikasi?next="), path
        else:
            answer = post_form(url, {})
            assert answer.status_code == 403, (method, path, answer.status_code)
            assert "Verifikasi akun Anda terlebih dahulu" in answer.text
    client.cookies.clear()
    login_as(None)
    for method, path in routes:
        url = f"/malang{path}"
        answer = client.get(url, follow_redirects=False) if method == "GET" else post_form(url, {})
        assert answer.status_code != 403 and answer.status_code < 500, (method, path)
        if answer.status_code == 303:
            assert "/akun/verifikasi" not in answer.headers["location"], path
