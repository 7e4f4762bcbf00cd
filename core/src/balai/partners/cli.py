"""``balai partner-recon`` and ``balai partner-sim``: reconciliation and the partner simulator."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import click

from balai.cli_errors import admin_app, fail
from balai.i18n import gettext as _
from balai.tenants import city_scope

CONFIG_HELP = "The instance file (TOML), e.g. examples/demo.toml."


@click.command("partner-recon")
@click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=CONFIG_HELP,
)
@click.option("--city", "city_slug", required=True, help="The city's slug.")
@click.option("--partner", "client_id", required=True, help="The partner's client id.")
@click.option("--day", "day_text", required=True, help="The business day, YYYY-MM-DD.")
@click.option(
    "--their-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The partner's CSV file of the day (paymentRequestId, amount, status).",
)
@click.option(
    "--write-ours",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write our file of the day (CSV) here.",
)
def partner_recon(
    config_path: Path,
    city_slug: str,
    client_id: str,
    day_text: str,
    their_file: Path | None,
    write_ours: Path | None,
) -> None:
    """Reconcile a partner's business day: write our file, compare the partner's.

    Exits with 1 when the comparison finds differences (each printed).
    """
    from balai.asgi import build_admin_app, connected
    from balai.partners import reconcile
    from balai.partners.tables import Partner

    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        fail(_("Give the day as YYYY-MM-DD."))
    app = admin_app(config_path, build_admin_app)
    city = app.ui.config.cities.get(city_slug)
    if city is None:
        fail(_("No city %(slug)s in this file.", slug=city_slug))
    theirs = None
    if their_file is not None:
        try:
            theirs = reconcile.read_csv(their_file.read_text(encoding="utf-8"))
        except (reconcile.ReconFileError, UnicodeDecodeError) as exc:
            fail(_("The partner's file cannot be read: %(reason)s.", reason=str(exc)))

    async def work() -> tuple[str, tuple[int, int, list] | None]:
        async with connected(app):
            with city_scope(city):
                partner = await Partner.select().where(Partner.client_id == client_id).first()
                if partner is None:
                    return "", None
                ours = reconcile.as_csv(await reconcile.our_lines(partner["id"], day))
                result = None
                if theirs is not None:
                    result = await reconcile.run(partner["id"], day, theirs, source="cli")
                return ours, result

    ours, result = asyncio.run(work())
    if not ours:
        fail(_("No partner %(id)s in %(city)s.", id=client_id, city=city_slug))
    if write_ours is not None:
        write_ours.write_text(ours, encoding="utf-8")
        click.echo(_("Wrote our file of %(day)s to %(path)s", day=day_text, path=write_ours))
    if result is None:
        return
    _run_id, matched, differences = result
    click.echo(
        _(
            "Reconciled %(day)s: %(matched)s matched, %(diffs)s difference(s).",
            day=day_text,
            matched=matched,
            diffs=len(differences),
        )
    )
    for d in differences:
        click.echo(f"  {d.kind}\t{d.reference}\t{d.ours}\t{d.theirs}")
    if differences:
        raise SystemExit(1)


@click.command("partner-sim")
@click.option("--url", required=True, help="The city's address, e.g. http://127.0.0.1:8000/malang.")
@click.option("--client-id", required=True, help="The partner's client id.")
@click.option(
    "--secret-file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file holding the client secret.",
)
@click.option(
    "--key-file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The partner's private key (PEM).",
)
@click.option(
    "--customers-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Customer numbers to pay, one a line (none: tickets only).",
)
@click.option("--timezone", "tz_name", default="Asia/Jakarta", show_default=True)
@click.option("--concurrency", default=8, show_default=True, type=click.IntRange(1, 500))
@click.option("--duplicates", default=0.1, show_default=True, type=click.FloatRange(0, 1))
@click.option("--timeouts", default=0.1, show_default=True, type=click.FloatRange(0, 1))
@click.option("--reversals", default=0.1, show_default=True, type=click.FloatRange(0, 1))
@click.option("--seed", default=1, show_default=True, type=int)
@click.option(
    "--tickets",
    default=0,
    show_default=True,
    type=click.IntRange(0, 100_000),
    help="Also sell tickets: this many holds (some cancelled, some left to expire).",
)
def partner_sim(
    url: str,
    client_id: str,
    secret_file: Path,
    key_file: Path,
    customers_file: Path | None,
    tz_name: str,
    concurrency: int,
    duplicates: float,
    timeouts: float,
    reversals: float,
    seed: int,
    tickets: int,
) -> None:
    """Play a partner against a running instance and check exactly-once and reconciliation.

    Pays every customer number of the file (inquiry, then payment) with
    concurrent requests, duplicates, forced time-outs and retries, same-day
    reversals, then reconciles the day. With ``--tickets``, also holds,
    cancels and confirms tickets and checks none is oversold and every
    confirmed order has its tickets. Prints the report as JSON; exits 1
    when a bill was credited twice, a payment was lost, the reconciliation
    differs or a ticket check fails.
    """
    import json
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from balai.partners.partner_side import PartnerKeys
    from balai.partners.sim import SimOptions, TicketOptions, simulate, simulate_tickets

    keys = PartnerKeys(
        client_id,
        secret_file.read_text(encoding="utf-8").strip(),
        key_file.read_text(encoding="utf-8"),
    )
    customers = [
        line.strip()
        for line in (
            customers_file.read_text(encoding="utf-8") if customers_file else ""
        ).splitlines()
        if line.strip()
    ]
    if not customers and not tickets:
        fail(
            _(
                "Give customer numbers to pay (--customers-file), tickets to sell (--tickets) "
                "or both."
            )
        )
    options = SimOptions(
        concurrency=concurrency,
        duplicate_rate=duplicates,
        timeout_rate=timeouts,
        reversal_rate=reversals,
        seed=seed,
    )
    day = datetime.now(ZoneInfo(tz_name)).date().isoformat()
    result: dict = {}
    ok = True
    if customers:
        report = asyncio.run(simulate(url, keys, customers, day, options))
        result, ok = report.as_dict(), report.ok
    if tickets:
        sold = asyncio.run(
            simulate_tickets(
                url, keys, TicketOptions(holds=tickets, concurrency=concurrency, seed=seed)
            )
        )
        result["tickets"], ok = sold.as_dict(), ok and sold.ok
    click.echo(json.dumps(result, indent=2))
    if not ok:
        raise SystemExit(1)
