"""``balai audit``: commands about the audit log (``verify``)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from balai.audit.chain import ChainReport, verify_city
from balai.cli_errors import admin_app, fail
from balai.i18n import gettext as _
from balai.tenants import city_scope


@click.group()
def audit() -> None:
    """The audit log: check that no entry was changed or removed."""


@audit.command()
@click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The instance file (TOML), e.g. examples/demo.toml.",
)
@click.option("--city", "city_slug", help="Check only this city [default: every city].")
def verify(config_path: Path, city_slug: str | None) -> None:
    """Recompute every city's hash chain and name the first broken entry.

    Exits with 1 when a chain is broken (an entry was changed, removed or
    reordered), 0 when every chain holds. Each city's head hash is printed:
    keep it elsewhere to notice later if entries were cut off the end.
    """
    from balai.asgi import build_admin_app, connected

    app = admin_app(config_path, build_admin_app)
    cities = app.ui.config.cities
    if city_slug is not None and city_slug not in cities:
        fail(
            _(
                "No city %(slug)s in this file (have: %(have)s).",
                slug=city_slug,
                have=", ".join(cities),
            )
        )
    chosen = [cities[city_slug]] if city_slug else list(cities.values())

    async def check() -> list[ChainReport]:
        async with connected(app):
            reports = []
            for city in chosen:
                with city_scope(city):
                    reports.append(await verify_city(city.slug))
            return reports

    reports = asyncio.run(check())
    for report in reports:
        if report.ok:
            click.echo(
                _("%(city)s: OK, %(n)s entries", city=report.city, n=report.entries)
                + f" (head {report.head_hash[:16]})"
            )
        else:
            broken = report.broken
            click.secho(
                _(
                    "%(city)s: chain broken at entry %(seq)s (row id %(id)s): %(reason)s",
                    city=report.city,
                    seq=broken.seq,
                    id=broken.entry_id,
                    reason=broken.reason,
                ),
                fg="red",
                err=True,
            )
    if not all(r.ok for r in reports):
        raise SystemExit(1)
