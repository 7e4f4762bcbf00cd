"""Helpers of the pengaduan tests: images, reading texted codes, reports in the database."""

from __future__ import annotations

import io
import re
from typing import Any

from PIL import Image

_CODE = re.compile(r"\b(\d{6})\b")
_TEXT = re.compile(r'<p class="code-text">(.*?)</p>', re.S)
PHONE = "0812 5555 0101"
PHONE_E164 = "+6281255550101"


def jpeg(width: int = 40, height: int = 30) -> bytes:
    """A small, real JPEG."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


def texted_codes(client: Any, phone: str = PHONE_E164, city: str = "malang") -> list[str]:
    """The codes the sandbox phone received, newest first (as the tester reads them)."""
    page = client.get(f"/{city}/notifikasi/ponsel-uji", params={"nomor": phone})
    assert page.status_code == 200
    return [m.group(1) for t in _TEXT.findall(page.text) if (m := _CODE.search(t))]


def confirm_phone(client: Any, post_form: Any, phone: str = PHONE, city: str = "malang") -> None:
    """Confirm a number as a visitor without an account would."""
    sent = post_form(
        f"/{city}/pengaduan/lapor/nomor",
        {"name": "Budi", "phone": phone, "next": f"/{city}/pengaduan/lapor"},
    )
    assert sent.status_code == 303, sent.text
    e164 = "+62" + "".join(ch for ch in phone if ch.isdigit())[1:]
    code = texted_codes(client, e164, city)[0]
    done = post_form(
        f"/{city}/pengaduan/lapor/kode", {"code": code, "next": f"/{city}/pengaduan/lapor"}
    )
    assert done.status_code == 303, done.text


def rows(city_run: Any, city: str = "malang") -> list[dict]:
    """The reports of ``city``, oldest first."""
    from balai_pengaduan.tables import Report

    async def read() -> list[dict]:
        return await Report.select().order_by(Report.id)

    return city_run(city, read)
