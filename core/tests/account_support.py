"""Helpers of the account tests: registering, and reading codes where a citizen would."""

from __future__ import annotations

import re
from typing import Any

from balai.notifications.tables import OutboxMessage
from balai.testing import make_login_as, make_post_form

PASSWORD = "teh-manis-hangat-2026"
PHONE = "0812 3456 7890"
PHONE_E164 = "+6281234567890"
_CODE = re.compile(r"\b(\d{6})\b")
_TEXT = re.compile(r'<p class="code-text">(.*?)</p>', re.S)


def register(post_form: Any, *, phone: str = PHONE, email: str = "", name: str = "Siti Rahayu"):
    """Register a citizen through the form (logged in, not verified yet)."""
    answer = post_form(
        "/malang/daftar",
        {
            "name": name,
            "email": email,
            "phone": phone,
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        },
    )
    assert answer.status_code == 303, answer.text
    return answer


def texted_codes(client: Any, phone: str = PHONE_E164, city: str = "malang") -> list[str]:
    """The codes in the texts the sandbox phone received, newest first (its inbox page)."""
    page = client.get(f"/{city}/notifikasi/ponsel-uji", params={"nomor": phone})
    assert page.status_code == 200
    texts = _TEXT.findall(page.text)
    return [_CODE.search(t).group(1) for t in texts if _CODE.search(t)]


def emailed_codes(city_run: Any, address: str, city: str = "malang") -> list[str]:
    """The codes in the messages queued for ``address``, newest first."""

    async def bodies() -> list[str]:
        rows = (
            await OutboxMessage.select(OutboxMessage.body)
            .where(OutboxMessage.address == address)
            .order_by(OutboxMessage.id, ascending=False)
        )
        return [r["body"] for r in rows]

    return [c for body in city_run(city, bodies) for c in _CODE.findall(body)[:1]]


class SecondBrowser:
    """Another browser on the same test client: its own cookies, swapped in for each request.

    A second ``TestClient`` would run the application on a second event loop,
    which a Redis connection pool made on the first one refuses; this keeps
    one loop and still gives each "device" its own session.
    """

    def __init__(self, client: Any) -> None:
        self.client = client
        self.jar: list[Any] = []
        self._post_form = make_post_form(client)

    def _as_me(self, call: Any) -> Any:
        theirs = list(self.client.cookies.jar)
        self._load(self.jar)
        try:
            return call()
        finally:
            self.jar = list(self.client.cookies.jar)
            self._load(theirs)

    def _load(self, cookies: list[Any]) -> None:
        self.client.cookies.clear()
        for cookie in cookies:
            self.client.cookies.jar.set_cookie(cookie)

    def get(self, url: str, **kwargs: Any) -> Any:
        """GET ``url`` as this browser."""
        return self._as_me(lambda: self.client.get(url, **kwargs))

    def post_form(self, url: str, data: dict | None = None, **kwargs: Any) -> Any:
        """Send a form as this browser (with its own CSRF token)."""
        return self._as_me(lambda: self._post_form(url, data, **kwargs))

    def login_as(self, app: Any, *args: Any, **kwargs: Any) -> dict:
        """``login_as`` in this browser."""
        return self._as_me(
            lambda: make_login_as(self.client, app, self._post_form)(*args, **kwargs)
        )
