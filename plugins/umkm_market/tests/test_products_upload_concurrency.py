"""Back-to-back product uploads at the same moment: each is stored, none answers 500.

A merchant's product form with photos used to answer "database is locked"
now and then on SQLite when uploads overlapped. Here several uploads go in
at once, from threads sharing one application (one worker) and from a
second application on the same database file (a second worker).
"""

from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor

import pytest
from balai.testing import open_client
from balai.web.app import create_app
from balai_umkm_market.tables import Product, ProductPhoto
from market_setup import add_merchant, csrf_token, jpeg_bytes, market_config

UPLOADS = 6
BASE = "/malang/umkm-market/toko-saya/produk/"


@pytest.fixture
def balai_config(tmp_path):
    return market_config(tmp_path)


def _upload(client, number: int, token: str):
    files = [
        ("photos", (f"{number}-{i}.jpg", jpeg_bytes((400, 300)), "image/jpeg")) for i in range(3)
    ]
    form = {
        "name": f"Keripik nomor {number}",
        "category": "makanan",
        "price": "Rp15.000",
        "unit": "pack",
        "stock": "10",
        "is_active": "1",
    }
    return client.post(
        BASE + "baru", data={**form, "_csrf_token": token}, files=files, follow_redirects=False
    )


def test_concurrent_uploads_are_all_stored(client, balai_app, balai_plugins, login_as, city_run):
    user = login_as(name="Sri Wahyuni")
    city_run("malang", add_merchant("Keripik Sanan", owner_user_id=user["id"]))
    token = csrf_token(client, BASE + "baru")
    # A second worker: another application on the same database file, with the same browser.
    # (On PostgreSQL two applications in one process would share Piccolo's engine across event
    # loops, which two real workers never do; there, all uploads go through one application.)
    sqlite = balai_app.ui.database.is_sqlite
    second = create_app(balai_app.ui.config, plugins=balai_plugins) if sqlite else None
    with open_client(second) if second else contextlib.nullcontext(client) as other:
        other.cookies = client.cookies
        with ThreadPoolExecutor(max_workers=UPLOADS) as pool:
            answers = list(
                pool.map(lambda n: _upload(client if n % 2 else other, n, token), range(UPLOADS))
            )
    assert [a.status_code for a in answers] == [303] * UPLOADS, [a.text[:300] for a in answers]

    async def stored():
        return await Product.count(), await ProductPhoto.count()

    assert city_run("malang", stored) == (UPLOADS, UPLOADS * 3)
