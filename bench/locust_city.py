"""A city's mix for Locust: ``locust -f bench/locust_city.py --host http://127.0.0.1:8000``.

Runs against ``balai demo`` (its seeded accounts and data, city ``malang``;
``LOCUST_CITY`` picks another). Kinds of user, weighted as a day's traffic:

- **Pengunjung** (visitors, weight 8): the home page, the market, a shop, a
  search of the catalogue, a product;
- **Pembeli** (citizens buying, weight 2): sign in, the catalogue, a
  product, add it to the cart, the cart, their orders (checking out is not
  in the mix yet);
- **WajibPajak** (citizens with PBB bills, weight 2): sign in, "My bills",
  start paying a bill (one invoice for one unpaid bill; the same invoice is
  reused while it is pending) and see its invoice page, their payments
  (completing the payment at the sandbox bank is not in the mix yet);
- **Penjual** (merchants, weight 1): sign in, their orders, an order
  (reading; changing an order's status is not in the mix yet);
- **Petugas** (officers, weight 1): sign in, the complaints queue, a report,
  an officers-only note on it (a write that two officers never race on;
  moving a report to its next step is not in the mix yet).

Forms are read from the pages (their CSRF token and fields) and sent as a
browser would. Any answer other than 2xx/3xx counts as a failure; the
bench's target is 0. Logins use the demo's documented passwords
(``demo-<city>-2026``).
"""

from __future__ import annotations

import os
import random
import re
from html.parser import HTMLParser

from locust import HttpUser, between, task

CITY = os.environ.get("LOCUST_CITY", "malang")
PASSWORD = f"demo-{CITY}-2026"
SEARCHES = ("kopi", "batik", "keripik", "sambal", "tas", "madu", "kue", "tempe")


class _Forms(HTMLParser):
    """Every form of a page: its action, method and fields (the first value of each name)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                {"action": a.get("action", ""), "method": a.get("method", "get"), "fields": {}}
            )
        elif self.forms and tag in ("input", "select", "textarea", "button"):
            name = a.get("name")
            kind = a.get("type", "")
            if not name or kind in ("submit", "button") or name in self.forms[-1]["fields"]:
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                self.forms[-1].setdefault("choices", {}).setdefault(name, []).append(
                    a.get("value", "on")
                )
                return
            self.forms[-1]["fields"][name] = a.get("value", "")


def forms(html: str) -> list[dict]:
    """The forms of ``html``."""
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form_ending(html: str, ending: str) -> dict | None:
    """The first POST form whose action path ends with ``ending``."""
    for form in forms(html):
        if form["method"].lower() == "post" and form["action"].split("?")[0].endswith(ending):
            return form
    return None


class CityUser(HttpUser):
    """Shared helpers: page views with a name, sign-in through the form."""

    abstract = True
    wait_time = between(1, 3)
    login = ""

    def page(self, path: str, name: str | None = None) -> str:
        """GET a page of the city; a non-2xx/3xx answer is a failure."""
        with self.client.get(f"/{CITY}{path}", name=name, catch_response=True) as answer:
            if answer.status_code >= 400:
                answer.failure(f"HTTP {answer.status_code}")
            return answer.text

    def send(self, form: dict, values: dict | None = None, name: str = "") -> str:
        """POST ``form`` with its fields and ``values``; the page it leads to."""
        data = {**form["fields"], **(values or {})}
        with self.client.post(
            form["action"], data=data, name=name or form["action"], catch_response=True
        ) as answer:
            if answer.status_code >= 400:
                answer.failure(f"HTTP {answer.status_code}")
            return answer.text

    def on_start(self) -> None:
        """Sign in when the kind of user has an account."""
        if not self.login:
            return
        html = self.page("/masuk", name="sign-in page")
        form = form_ending(html, "/masuk")
        if form is not None:
            self.send(form, {"login": self.login, "password": PASSWORD}, name="sign in")


class Pengunjung(CityUser):
    """A visitor browsing and searching the market."""

    weight = 8

    @task(2)
    def home(self) -> None:
        self.page("/", name="home")

    @task(2)
    def market(self) -> None:
        html = self.page("/umkm-market/", name="market")
        shops = re.findall(rf"/{CITY}/umkm-market/toko/(\d+)", html)
        if shops:
            self.page(f"/umkm-market/toko/{random.choice(shops)}", name="shop")

    @task(3)
    def search(self) -> None:
        html = self.page(f"/umkm-market/produk/?q={random.choice(SEARCHES)}", name="market search")
        products = re.findall(rf"/{CITY}/umkm-market/produk/(\d+)", html)
        if products:
            self.page(f"/umkm-market/produk/{random.choice(products)}", name="product")


class Pembeli(CityUser):
    """A citizen buying from the market."""

    weight = 2
    login = f"warga@{CITY}.test"

    @task(3)
    def add_to_cart(self) -> None:
        html = self.page("/umkm-market/produk/", name="catalogue")
        products = re.findall(rf"/{CITY}/umkm-market/produk/(\d+)", html)
        if not products:
            return
        html = self.page(f"/umkm-market/produk/{random.choice(products)}", name="product")
        form = form_ending(html, "/keranjang/tambah")
        if form is not None:
            self.send(form, name="add to cart")
        self.page("/umkm-market/keranjang", name="cart")

    @task(1)
    def my_orders(self) -> None:
        self.page("/umkm-market/pesanan/", name="my orders")


class WajibPajak(CityUser):
    """A citizen checking PBB bills and paying one in the sandbox."""

    weight = 2
    login = f"warga@{CITY}.test"

    @task(3)
    def bills(self) -> None:
        self.page("/pajak/tagihan", name="my bills")

    @task(2)
    def pay_a_bill(self) -> None:
        html = self.page("/pajak/tagihan", name="my bills")
        form = form_ending(html, "/tagihan/bayar")
        unpaid = (form or {}).get("choices", {}).get("bill", [])
        if form is None or not unpaid:
            return
        self.send(form, {"bill": unpaid[0]}, name="pay a bill")

    @task(1)
    def payments(self) -> None:
        self.page("/bayar", name="my payments")


class Penjual(CityUser):
    """A merchant looking after orders."""

    weight = 1
    login = f"penjual@{CITY}.test"

    @task
    def orders(self) -> None:
        html = self.page("/umkm-market/penjual/pesanan/", name="merchant orders")
        numbers = re.findall(rf"/{CITY}/umkm-market/penjual/pesanan/([A-Z0-9-]+)", html)
        if numbers:
            self.page(
                f"/umkm-market/penjual/pesanan/{random.choice(numbers)}", name="merchant order"
            )


class Petugas(CityUser):
    """An officer working the complaints queue."""

    weight = 1
    login = f"pengaduan.officer@{CITY}.test"

    @task
    def queue(self) -> None:
        html = self.page("/kelola/pengaduan", name="complaints queue")
        numbers = re.findall(rf"/{CITY}/kelola/pengaduan/laporan/([A-Za-z0-9-]+)", html)
        if not numbers:
            return
        html = self.page(f"/kelola/pengaduan/laporan/{random.choice(numbers)}", name="complaint")
        form = form_ending(html, "/komentar")
        if form is not None:
            # An officers-only note: officers sharing the demo account never race on it.
            self.send(
                form,
                {"visibility": "internal", "body": "Dicek petugas (uji beban)."},
                name="complaint note",
            )
