"""The citizen's notification list at /notifikasi/."""

from __future__ import annotations

import html
from functools import partial

import pytest
from balai.notifications.delivery import deliver_pending
from balai.notifications.outbox import notify
from balai.testing import write_config

PAGE = "/malang/notifikasi/"


@pytest.fixture
def balai_config(tmp_path, balai_cities):
    """No job runner: the tests choose when messages are delivered."""
    return write_config(tmp_path / "instance", balai_cities, instance={"run_jobs": False})


async def _welcome(user_id: int, count: int = 1) -> None:
    for n in range(count):
        await notify(user_id, "core.welcome", {"login": f"pesan-{n:02d}"})


def test_the_list_needs_login(client):
    answer = client.get(PAGE, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/malang/masuk?next=")


def test_a_citizen_sees_only_their_own_notifications_newest_first(
    client, login_as, post_form, city_run
):
    other = login_as(None, name="Orang Lain")
    city_run("malang", partial(_welcome, other["id"]))
    post_form("/malang/keluar", {})
    me = login_as(None, name="Siti Rahayu")
    city_run("malang", partial(_welcome, me["id"], 2))
    city_run("malang", deliver_pending)
    city_run("malang", partial(_welcome, me["id"]))  # still waiting

    page = html.unescape(client.get(PAGE).text)
    assert page.count("Selamat datang di layanan Kota Malang") == 3
    assert "Halo Siti Rahayu" in page and "Orang Lain" not in page
    assert "Menunggu dikirim" in page and "Terkirim" in page
    # newest first: the waiting one (queued last) comes before the sent ones
    assert page.index("Menunggu dikirim") < page.index("Terkirim")


def test_the_list_is_paginated_and_htmx_gets_only_the_list(client, login_as, city_run):
    me = login_as(None)
    city_run("malang", partial(_welcome, me["id"], 25))
    first = client.get(PAGE).text
    assert first.count('class="panel notification"') == 20
    assert "pesan-24" in first and "pesan-04" not in first
    second = client.get(PAGE, params={"page": "2"}).text
    assert second.count('class="panel notification"') == 5
    assert "pesan-04" in second and "pesan-00" in second

    fragment = client.get(PAGE, params={"page": "2"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<div id="notification-list"')
    assert "<html" not in fragment.text
    assert "pesan-00" in fragment.text


def test_an_empty_list_and_a_bad_page_number(client, login_as):
    login_as(None)
    empty = html.unescape(client.get(PAGE).text)
    assert "Belum ada notifikasi" in empty
    for bad in ("0", "x", "-3", "1.5", "9" * 20):
        answer = client.get(PAGE, params={"page": bad})
        assert answer.status_code == 400, bad
        assert "Nomor halaman harus" in html.unescape(answer.text)


def test_another_citys_account_sees_nothing_from_malang(client, login_as, post_form, city_run):
    me = login_as(None)
    city_run("malang", partial(_welcome, me["id"]))
    post_form("/malang/keluar", {})
    login_as(None, city="semarang")
    assert "Selamat datang di layanan" not in client.get("/semarang/notifikasi/").text
