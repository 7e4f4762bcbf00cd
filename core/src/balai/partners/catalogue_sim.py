"""A delivery partner against a running instance: the catalogue feed and orders over HTTP.

``balai partner-catalogue-sim`` plays a delivery app the way one syncs a
city's market:

1. reads the whole feed page by page into its own copy, then asks again
   with ``If-None-Match`` (which must answer 304 with no body);
2. places orders at once for products of its copy, each at the feed's
   price, some sent twice with the same ``partnerReferenceNo``, more than
   the stock of some products allows;
3. cancels some of the orders it placed and reads each order's status;
4. reads the feed again from its cursor (``since``) and checks its copy:

* **0 oversold**: no product's stock in the feed is below 0, and the stock
  taken equals what the orders it holds (placed, not cancelled) ordered;
* **0 duplicate orders**: every answer for one reference names the same order;
* **refusals are the documented ones**: out of stock (``4096201``) only;
* **the feed is incremental**: the products it ordered come back changed.
"""

from __future__ import annotations

import asyncio
import random
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import click
import httpx

from balai.partners import partner_side
from balai.partners.partner_side import PartnerKeys
from balai.partners.sim import TIMEOUT, Partner

OUT_OF_STOCK = "4096201"


@dataclass
class CatalogueReport:
    """What happened and what the checks found."""

    products: int = 0
    pages: int = 0
    not_modified: bool = False
    orders_sent: int = 0
    placed: int = 0
    duplicates_sent: int = 0
    cancelled: int = 0
    refused: Counter = field(default_factory=Counter)
    duplicate_orders: int = 0
    oversold: int = 0
    stock_mismatches: int = 0
    changed_seen: int = 0
    unexpected: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether every check held."""
        return (
            self.not_modified
            and self.duplicate_orders == 0
            and self.oversold == 0
            and self.stock_mismatches == 0
            and set(self.refused) <= {OUT_OF_STOCK}
            and not self.unexpected
        )

    def as_dict(self) -> dict[str, Any]:
        """The report as plain data (for printing as JSON)."""
        return {
            "ok": self.ok,
            "products": self.products,
            "pages": self.pages,
            "not_modified": self.not_modified,
            "orders_sent": self.orders_sent,
            "placed": self.placed,
            "duplicates_sent": self.duplicates_sent,
            "cancelled": self.cancelled,
            "refused": dict(self.refused),
            "duplicate_orders": self.duplicate_orders,
            "oversold": self.oversold,
            "stock_mismatches": self.stock_mismatches,
            "changed_seen": self.changed_seen,
            "unexpected": self.unexpected[:20],
            "seconds": round(self.seconds, 2),
        }


async def fetch(
    partner: Partner, since: str | None = None, limit: int = 200, etag: str | None = None
) -> httpx.Response:
    """One signed GET of the feed (the query string is signed with the path)."""
    query = {k: v for k, v in {"since": since, "limit": limit}.items() if v is not None}
    path = partner_side.CATALOGUE_PATH + "?" + urlencode(query)
    for _attempt in range(2):
        _body, headers = partner_side.transaction_request(
            partner.keys, partner.token, partner.prefix + path, None, method="GET"
        )
        if etag:
            headers["If-None-Match"] = etag
        answer = await partner.client.get(partner.base_url + path, headers=headers)
        if answer.status_code == 401 and answer.json().get("responseCode", "").endswith("01"):
            await partner.get_token()
            continue
        return answer
    return answer


async def sync(
    partner: Partner, copy: dict[str, dict[str, Any]], since: str | None, report: CatalogueReport
) -> tuple[str | None, str | None, set[str]]:
    """Read the feed from ``since`` to its end into ``copy``; the cursor, last ETag, ids seen."""
    seen: set[str] = set()
    etag = None
    for _page in range(10_000):
        answer = await fetch(partner, since)
        if answer.status_code != 200:
            report.unexpected.append(f"feed: {answer.status_code} {answer.text[:200]}")
            return since, etag, seen
        report.pages += 1
        body = answer.json()
        for product in body["products"]:
            seen.add(product["id"])
            if product["removed"]:
                copy.pop(product["id"], None)
            else:
                copy[product["id"]] = product
        etag, since = answer.headers.get("etag"), body["nextSince"]
        if not body["hasMore"]:
            break
    return since, etag, seen


@dataclass
class Book:
    """The partner's orders: reference -> (product id, quantity); order numbers answered."""

    lines: dict[str, tuple[str, int]] = field(default_factory=dict)
    numbers: dict[str, set[str]] = field(default_factory=dict)
    cancelled: set[str] = field(default_factory=set)


def _order_body(reference: str, product: dict[str, Any], quantity: int) -> dict[str, Any]:
    return {
        "partnerReferenceNo": reference,
        "merchantId": product["merchant"]["id"],
        "items": [{"productId": product["id"], "quantity": quantity, "price": product["price"]}],
        "customer": {
            "name": "Pelanggan Simulasi",
            "phone": "081200000000",
            "address": "Jl. Simulasi No. 1",
        },
    }


async def _order(
    partner: Partner, body: dict[str, Any], twice: bool, book: Book, report: CatalogueReport
) -> None:
    reference = body["partnerReferenceNo"]
    sends = [partner.send(partner_side.ORDER_PATH, body)]
    if twice:
        report.duplicates_sent += 1
        sends.append(partner.send(partner_side.ORDER_PATH, body))
    report.orders_sent += len(sends)
    answers = await asyncio.gather(*sends)
    for status, data in answers:
        if status == 200:
            book.numbers.setdefault(reference, set()).add(data["order"]["orderNo"])
        else:
            report.refused[data.get("responseCode", str(status))] += 1
    if reference in book.numbers:
        item = body["items"][0]
        book.lines[reference] = (item["productId"], item["quantity"])
        report.placed += 1


async def simulate_catalogue(
    base_url: str,
    keys: PartnerKeys,
    *,
    orders: int = 20,
    concurrency: int = 8,
    duplicate_rate: float = 0.2,
    cancel_rate: float = 0.2,
    seed: int = 1,
) -> CatalogueReport:
    """Play a delivery app against ``base_url`` (a city's address); see the module."""
    rng = random.Random(seed)  # noqa: S311 (a reproducible run, not a secret)
    run = secrets.token_hex(4).upper()
    report = CatalogueReport()
    started = time.perf_counter()
    limits = httpx.Limits(max_connections=concurrency * 2 + 2)
    async with httpx.AsyncClient(limits=limits, timeout=TIMEOUT) as client:
        partner = Partner(base_url, keys, client)
        await partner.get_token()
        copy: dict[str, dict[str, Any]] = {}
        cursor, _etag, _seen = await sync(partner, copy, None, report)
        report.products = len(copy)
        again = await fetch(partner, cursor)
        repeat = await fetch(partner, cursor, etag=again.headers.get("etag"))
        report.not_modified = repeat.status_code == 304 and repeat.content == b""
        before = {pid: p["stock"] for pid, p in copy.items()}
        on_sale = sorted(pid for pid, stock in before.items() if stock > 0)
        book = Book()
        if on_sale:
            gate = asyncio.Semaphore(concurrency)

            async def one(n: int) -> None:
                product = copy[rng.choice(on_sale)]
                body = _order_body(f"SIMO{run}{n:06d}", product, rng.randint(1, 3))
                twice = rng.random() < duplicate_rate
                async with gate:
                    await _order(partner, body, twice, book, report)

            await asyncio.gather(*(one(n) for n in range(orders)))
        for reference in sorted(book.lines):
            if rng.random() < cancel_rate:
                status, data = await partner.send(
                    partner_side.ORDER_CANCEL_PATH, {"partnerReferenceNo": reference}
                )
                if status == 200 and data["order"]["status"] == "cancelled":
                    book.cancelled.add(reference)
                    report.cancelled += 1
                else:
                    report.unexpected.append(f"cancel {reference}: {status} {data}")
            status, data = await partner.send(
                partner_side.ORDER_STATUS_PATH, {"partnerReferenceNo": reference}
            )
            expected = "cancelled" if reference in book.cancelled else "new"
            if status != 200 or data["order"]["status"] != expected:
                report.unexpected.append(f"status {reference}: {status} {data}")
        report.duplicate_orders = sum(1 for numbers in book.numbers.values() if len(numbers) > 1)
        _cursor, _etag, seen = await sync(partner, copy, cursor, report)
        taken: Counter = Counter()
        for reference, (product_id, quantity) in book.lines.items():
            if reference not in book.cancelled:
                taken[product_id] += quantity
        ordered = {product_id for product_id, _q in book.lines.values()}
        report.changed_seen = len(ordered & seen)
        for product_id in ordered:
            now = copy.get(product_id)
            if now is None:
                continue  # taken off sale meanwhile (not by this run)
            report.oversold += now["stock"] < 0
            report.stock_mismatches += now["stock"] != before[product_id] - taken[product_id]
        if ordered - seen:
            report.unexpected.append(f"ordered products not in the changes: {len(ordered - seen)}")
    report.seconds = time.perf_counter() - started
    return report


@click.command("partner-catalogue-sim")
@click.option("--url", required=True, help="The city's address, e.g. http://127.0.0.1:8000/malang.")
@click.option("--client-id", required=True, help="The delivery partner's client id.")
@click.option(
    "--secret-file",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="A file holding the client secret.",
)
@click.option(
    "--key-file",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="The partner's private key (PEM).",
)
@click.option("--orders", default=20, show_default=True, type=click.IntRange(0, 100_000))
@click.option("--concurrency", default=8, show_default=True, type=click.IntRange(1, 500))
@click.option("--duplicates", default=0.2, show_default=True, type=click.FloatRange(0, 1))
@click.option("--cancels", default=0.2, show_default=True, type=click.FloatRange(0, 1))
@click.option("--seed", default=1, show_default=True, type=int)
def partner_catalogue_sim(
    url: str,
    client_id: str,
    secret_file: str,
    key_file: str,
    orders: int,
    concurrency: int,
    duplicates: float,
    cancels: float,
    seed: int,
) -> None:
    """Play a delivery app: sync the catalogue feed, place and cancel orders, check the stock.

    Prints the report as JSON; exits 1 when a product was oversold, a
    reference made two orders, the feed's stock disagrees with the orders,
    a 304 was not answered or an undocumented refusal came back. For
    staging: it places real orders in the market.
    """
    import json
    from pathlib import Path

    keys = PartnerKeys(
        client_id,
        Path(secret_file).read_text(encoding="utf-8").strip(),
        Path(key_file).read_text(encoding="utf-8"),
    )
    report = asyncio.run(
        simulate_catalogue(
            url,
            keys,
            orders=orders,
            concurrency=concurrency,
            duplicate_rate=duplicates,
            cancel_rate=cancels,
            seed=seed,
        )
    )
    click.echo(json.dumps(report.as_dict(), indent=2))
    if not report.ok:
        raise SystemExit(1)
