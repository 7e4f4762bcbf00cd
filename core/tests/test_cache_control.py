"""Responses that depend on who asks are never stored by browsers or shared caches."""

from __future__ import annotations

import re

import test_payments_support as support
from test_payments_support import new_invoice

# The payments app and its test plugin (fixtures shared by every payments test module).
balai_cities = support.balai_cities
balai_app = support.balai_app
toko = support.toko

PRIVATE = "private, no-store"


def test_anonymous_public_pages_stay_cacheable(client):
    for url in ("/malang/", "/malang/masuk", "/"):
        answer = client.get(url)
        assert answer.status_code == 200
        assert "no-store" not in answer.headers.get("cache-control", ""), url


def test_every_page_of_a_signed_in_visitor_is_private(client, login_as):
    login_as("city_admin", name="Dewi Kartika")
    for url in ("/malang/", "/malang/akun/", "/malang/audit/data-saya", "/malang/bayar/"):
        answer = client.get(url, follow_redirects=False)
        assert answer.status_code == 200, url
        assert answer.headers.get("cache-control") == PRIVATE, url
    office = client.get("/malang/kelola/bayar", follow_redirects=False)
    assert office.status_code == 200 and office.headers.get("cache-control") == PRIVATE
    assert "Dewi Kartika" in client.get("/malang/").text  # the reason: the page names them


def test_static_files_stay_cacheable_for_a_signed_in_visitor(client, login_as):
    login_as(None)
    page = client.get("/malang/")
    css = re.search(r'href="([^"]+\.css[^"]*)"', page.text).group(1)
    answer = client.get(css)
    assert answer.status_code == 200
    assert "no-store" not in answer.headers.get("cache-control", "")


def test_the_session_cookie_being_set_makes_the_answer_private(client, post_form, login_as):
    account = login_as(None)
    client.cookies.clear()
    answer = post_form(
        "/malang/masuk", {"login": account["login"], "password": account["password"]}
    )
    assert answer.status_code == 303
    assert answer.headers.get("cache-control") == PRIVATE


def test_invoice_and_receipt_opened_with_a_token_are_private(client, login_as, post_form, city_run):
    invoice = new_invoice(city_run)
    login_as("payments.cashier")
    paid = post_form(
        f"/malang/kelola/bayar/{invoice.number}/tunai", {"amount": str(invoice.amount)}
    )
    assert paid.status_code == 303
    client.cookies.clear()  # an anonymous visitor holding the link
    page = client.get(f"/malang/bayar/{invoice.number}?t={invoice.access_token}")
    assert page.status_code == 200 and page.headers.get("cache-control") == PRIVATE
    number = re.search(r"/bayar/kuitansi/(PAY-[0-9A-Z-]+)", page.text).group(1)
    receipt = client.get(f"/malang/bayar/kuitansi/{number}?t={invoice.access_token}")
    assert receipt.status_code == 200 and receipt.headers.get("cache-control") == PRIVATE
    status = client.get(f"/malang/bayar/{invoice.number}/status?t={invoice.access_token}")
    assert status.status_code == 200 and status.headers.get("cache-control") == PRIVATE
