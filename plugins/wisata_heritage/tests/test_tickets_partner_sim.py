"""The partner simulator sells heritage tickets against a real server: none oversold or missing.

``balai.partners.sim.simulate_tickets`` (what ``balai partner-sim --tickets``
runs) holds places concurrently, some twice at once, cancels some, leaves
some to expire, confirms the rest (some twice at once, once more under
another reference), and checks the list before and after. The database is
then read from outside the server.
"""

from __future__ import annotations

import asyncio

from balai.partners.sim import TicketOptions, simulate_tickets
from balai.testing.server import serving
from balai_wisata_heritage.tickets.tables import Ticket, TicketOrder, TicketStock
from heritage_partner_support import add_partner
from ticket_support import add_product

QUOTA = 8


def test_partner_sales_never_oversell_and_every_confirmed_order_has_its_tickets(
    balai_app, city_run
):
    product = add_product(city_run, partner=QUOTA, slots=3)
    keys = add_partner(balai_app, city_run)
    options = TicketOptions(holds=30, concurrency=6, seed=5)
    with serving(balai_app) as base_url:
        report = asyncio.run(simulate_tickets(f"{base_url}/malang", keys, options))
    assert report.ok, report.as_dict()
    assert report.sold_out > 0 and report.cancelled > 0 and report.left_to_expire > 0
    assert report.confirmed > 0 and report.double_confirms_refused == report.confirmed

    async def read():
        stock = await TicketStock.select().where(TicketStock.channel == "partner")
        paid = await TicketOrder.count().where(TicketOrder.status == "paid")
        valid = await Ticket.count().where(Ticket.status == "valid")
        held = await Ticket.count().where(Ticket.status == "pending")
        return stock, paid, valid, held

    stock, paid, valid, held = city_run("malang", read)
    assert sorted(row["slot"] for row in stock) == sorted(product.slots)
    assert all(row["remaining"] >= 0 for row in stock)
    assert sum(QUOTA - row["remaining"] for row in stock) == valid + held
    assert paid == report.confirmed


def test_the_command_sells_tickets_too_and_reports_them(balai_app, city_run, tmp_path):
    import json

    from balai.cli import main
    from click.testing import CliRunner

    add_product(city_run, partner=QUOTA)
    keys = add_partner(balai_app, city_run)
    (tmp_path / "secret").write_text(keys.secret)
    (tmp_path / "key.pem").write_text(keys.private_key)
    with serving(balai_app) as base_url:
        args = ["partner-sim", "--url", f"{base_url}/malang", "--client-id", keys.client_id]
        args += ["--secret-file", str(tmp_path / "secret"), "--key-file", str(tmp_path / "key.pem")]
        args += ["--tickets", "6"]  # no customers file: tickets only
        result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    sold = json.loads(result.output)["tickets"]
    assert sold["ok"] and sold["holds"] + sold["sold_out"] == 6
