"""Which city a request is for, and what exists in that city."""

from __future__ import annotations

from test_platform_uji_plugin import FAILURE_MARKER, NAV_LABEL, PAGE_TEXT, UjiNote


def test_root_lists_every_city_with_a_link(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "Kota Malang" in page.text
    assert "Kota Semarang" in page.text
    assert 'href="/malang/"' in page.text
    assert 'href="/semarang/"' in page.text


def test_city_home_shows_the_city_name(client):
    page = client.get("/malang/")
    assert page.status_code == 200
    assert "Kota Malang" in page.text
    assert "Kota Semarang" not in page.text


def test_city_prefix_without_slash_redirects_to_the_city_home(client):
    page = client.get("/malang", follow_redirects=False)
    assert page.status_code in (301, 307, 308)
    assert page.headers["location"] == "/malang/"


def test_city_is_found_from_the_host_name(client):
    page = client.get("/", headers={"Host": "semarang.localhost"})
    assert page.status_code == 200
    assert "Kota Semarang" in page.text
    # Links are made without the path prefix on a city's own host.
    assert 'href="/masuk' in page.text
    assert client.get("/uji/", headers={"Host": "malang.localhost:8000"}).text.count(PAGE_TEXT) == 1


def test_unknown_city_is_a_404_page_in_indonesian(client):
    page = client.get("/bandung/")
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]
    assert "Halaman tidak ditemukan" in page.text


def test_unknown_city_is_a_404_page_in_english_with_the_language_cookie(client):
    client.cookies.set("balai_lang", "en")
    page = client.get("/bandung/")
    assert page.status_code == 404
    assert "Page not found" in page.text
    assert "Halaman tidak ditemukan" not in page.text


def test_unknown_host_without_city_prefix_is_a_404(client):
    page = client.get("/masuk", headers={"Host": "bandung.localhost"})
    assert page.status_code == 404


def test_unknown_page_inside_a_city_is_the_city_404_page(client):
    page = client.get("/malang/tidak-ada")
    assert page.status_code == 404
    assert "Kota Malang" in page.text
    assert "Halaman tidak ditemukan" in page.text


def test_plugin_enabled_for_a_city_serves_its_page_and_menu_entry(client):
    page = client.get("/malang/uji/")
    assert page.status_code == 200
    assert PAGE_TEXT in page.text
    home = client.get("/malang/")
    assert NAV_LABEL in home.text
    assert 'href="/malang/uji/"' in home.text


def test_plugin_not_enabled_for_a_city_does_not_exist_there(client):
    page = client.get("/semarang/uji/")
    assert page.status_code == 404
    assert PAGE_TEXT not in page.text
    assert "Halaman tidak ditemukan" in page.text
    assert NAV_LABEL not in client.get("/semarang/").text
    assert client.get("/uji/", headers={"Host": "semarang.localhost"}).status_code == 404


def test_language_switch_sets_the_cookie_and_goes_back(client):
    answer = client.get("/malang/bahasa/en?next=/malang/masuk", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/malang/masuk"
    assert "balai_lang=en" in answer.headers["set-cookie"]
    page = client.get("/malang/masuk")
    assert "Log in" in page.text
    assert 'lang="en"' in page.text


def test_language_switch_refuses_to_send_the_visitor_elsewhere(client):
    for target in ("https://evil.example/", "//evil.example/", "/semarang/"):
        answer = client.get(f"/malang/bahasa/id?next={target}", follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"] == "/malang/", target


def test_health_check_answers_without_a_city(client):
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}


def test_search_page_answers_in_each_city(client):
    page = client.get("/malang/cari", params={"q": "pajak"})
    assert page.status_code == 200
    assert 'value="pajak"' in page.text


def test_plugin_api_is_scoped_to_the_city_and_absent_where_not_enabled(client, city_run):
    async def add(text):
        await UjiNote.insert(UjiNote(text=text))

    city_run("malang", add, "catatan malang")
    city_run("semarang", add, "catatan semarang")
    answer = client.get("/malang/api/uji/catatan")
    assert answer.status_code == 200
    assert answer.json() == [{"text": "catatan malang"}]
    missing = client.get("/semarang/api/uji/catatan")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/json")
    assert missing.json()["status"] == 404
    unknown = client.get("/malang/api/tidak-ada")
    assert unknown.status_code == 404
    assert unknown.json()["status"] == 404


def test_api_errors_are_json_without_trace(client):
    answer = client.get("/malang/api/uji/rusak")
    assert answer.status_code == 500
    assert answer.json()["status"] == 500
    assert FAILURE_MARKER not in answer.text
    assert "Traceback" not in answer.text
