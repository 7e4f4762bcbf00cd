"""Helpers of the account tests: registering, and reading codes where a citizen would."""

from __future__ import annotations

import re
from typing import Any

from balai.notifications.tables import OutboxMessage

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
