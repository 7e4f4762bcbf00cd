"""The officers' menu on the office pages themselves, not only on the /kelola/ landing."""

from __future__ import annotations

import re

MENU = re.compile(r'<nav class="office-nav".*?</nav>', re.S)


def office_menu(page) -> str:
    found = MENU.search(page.text)
    assert found, "no office menu on the page"
    return found.group(0)


def current_links(menu: str) -> list[str]:
    return re.findall(r'href="([^"]+)" aria-current="page"', menu)


def test_an_office_page_shows_the_office_menu_with_its_section_current(client, login_as):
    login_as("city_admin")
    page = client.get("/malang/kelola/bayar/")
    assert page.status_code == 200
    menu = office_menu(page)
    # Every section the officer may open, and the way back to the landing.
    for href in (
        "/malang/kelola/",
        "/malang/kelola/bayar/",
        "/malang/kelola/bayar/rekonsiliasi",
        "/malang/kelola/audit/",
        "/malang/kelola/pengguna",
        "/malang/dasbor/",
    ):
        assert f'href="{href}"' in menu, href
    assert current_links(menu) == ["/malang/kelola/bayar/"]
    assert "Tagihan" in menu.split("<ul", 1)[0]  # the closed menu names the section
    # Compact on a phone: one closed disclosure line, not a block of links.
    assert "<details" in menu and "<details open" not in menu
    # It takes the citizen menu's place on office pages.
    assert 'class="site-nav"' not in page.text


def test_the_longest_matching_section_is_current(client, login_as):
    login_as("city_admin")
    menu = office_menu(client.get("/malang/kelola/bayar/rekonsiliasi"))
    assert current_links(menu) == ["/malang/kelola/bayar/rekonsiliasi"]


def test_the_menu_follows_the_officers_permissions(client, login_as):
    login_as("payments.cashier")
    menu = office_menu(client.get("/malang/kelola/bayar/"))
    assert 'href="/malang/kelola/bayar/"' in menu
    assert "/kelola/audit/" not in menu and "/kelola/pengguna" not in menu


def test_the_landing_and_citizen_pages_keep_the_citizen_menu(client, login_as):
    login_as("city_admin")
    for path in ("/malang/kelola/", "/malang/"):
        page = client.get(path)
        assert page.status_code == 200
        assert 'class="office-nav"' not in page.text, path
    citizen = client.get("/malang/")
    assert 'class="site-nav"' in citizen.text


def test_the_menu_speaks_english_when_switched(client, login_as):
    login_as("city_admin")
    client.get("/malang/bahasa/en")
    menu = office_menu(client.get("/malang/kelola/bayar/"))
    assert 'aria-label="Back office menu"' in menu
    assert "Invoices" in menu and "All sections" in menu


def test_the_menu_speaks_indonesian_by_default(client, login_as):
    login_as("city_admin")
    menu = office_menu(client.get("/malang/kelola/bayar/rekonsiliasi"))
    assert 'aria-label="Menu kelola"' in menu
    assert "Semua bagian" in menu and "Bagian saat ini:" in menu
