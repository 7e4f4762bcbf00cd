"""``balai signing``: the local keystore (city CA, officials' certificates) and the TSA."""

from __future__ import annotations

import asyncio
import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from balai.cli_errors import admin_app, fail
from balai.i18n import gettext as _
from balai.tenants import City, city_scope

if TYPE_CHECKING:
    from balai.documents.signing.tsa import CityStamper

CONFIG = click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The instance file (TOML), e.g. examples/demo.toml.",
)
CITY = click.option("--city", "city_slug", required=True, help="The city's slug.")


@click.group()
def signing() -> None:
    """Document signing: the city CA, officials' certificates, the timestamp authority."""


def _app_and_city(config_path: Path, city_slug: str) -> tuple[Any, City]:
    from balai.asgi import build_admin_app

    app = admin_app(config_path, build_admin_app)
    city = app.ui.config.cities.get(city_slug)
    if city is None:
        fail(
            _(
                "No city %(slug)s in this file (have: %(have)s).",
                slug=city_slug,
                have=", ".join(app.ui.config.cities),
            )
        )
    return app, city


def _in_city(app: Any, city: City, make: Any) -> Any:
    from balai.asgi import connected

    async def run() -> Any:
        async with connected(app) as database:
            if await database.pending():
                fail(_("Migrations are pending: run `balai migrate` first."))
            with city_scope(city):
                return await make()

    return asyncio.run(run())


@signing.command("init-ca")
@CONFIG
@CITY
def init_ca(config_path: Path, city_slug: str) -> None:
    """Create the city's certification authority and its timestamp authority (once).

    The keys are stored encrypted under a key derived from the instance's
    secret; keep that secret: without it the keys cannot be opened.
    """
    from balai.documents.signing import authority

    app, city = _app_and_city(config_path, city_slug)
    secret = app.ui.config.secret_key
    try:
        _in_city(app, city, lambda: authority.init_ca(secret))
    except authority.KeystoreError as exc:
        fail(str(exc))
    click.echo(_("Created the signing CA of %(city)s.", city=city.name))


@signing.command("issue")
@CONFIG
@CITY
@click.option("--login", required=True, help="The official's login (email or phone).")
@click.option("--position", required=True, help="The position printed with their signature.")
@click.option("--years", default=2, show_default=True, type=click.IntRange(1, 5))
def issue(config_path: Path, city_slug: str, login: str, position: str, years: int) -> None:
    """Issue an official a signing certificate and an encrypted PKCS#12 from the city CA."""
    from balai.auth.accounts import find_login
    from balai.documents.signing import authority
    from balai.tables import User

    app, city = _app_and_city(config_path, city_slug)
    secret = app.ui.config.secret_key

    async def make() -> Any:
        account = await find_login(login)
        if account is None:
            fail(_("No account %(login)s in %(city)s.", login=login, city=city.name))
        holder = await User.select(User.name).where(User.id == account["id"]).first()
        return await authority.issue_certificate(
            secret,
            user_id=account["id"],
            holder_name=holder["name"],
            position=position,
            years=years,
        )

    try:
        row = _in_city(app, city, make)
    except authority.KeystoreError as exc:
        fail(str(exc))
    click.echo(_("Issued certificate %(serial)s to %(login)s.", serial=row.serial, login=login))


@signing.command("revoke")
@CONFIG
@CITY
@click.option("--serial", required=True, help="The certificate's serial number (hex).")
def revoke(config_path: Path, city_slug: str, serial: str) -> None:
    """Revoke a certificate: it signs nothing more and the CRL lists it."""
    from balai.documents.signing import authority

    app, city = _app_and_city(config_path, city_slug)
    if not _in_city(app, city, lambda: authority.revoke(serial.lower())):
        fail(_("No valid certificate %(serial)s in %(city)s.", serial=serial, city=city.name))
    click.echo(_("Revoked certificate %(serial)s.", serial=serial))


@signing.command("tsa")
@click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The instance file (TOML).",
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8318, show_default=True, type=click.IntRange(1, 65535))
def tsa(config_path: Path, host: str, port: int) -> None:
    """Run the RFC 3161 timestamp authority of every city that has a CA (``/<city>``)."""
    from balai.asgi import build_admin_app
    from balai.documents.signing.tsa import TimestampServer

    app = admin_app(config_path, build_admin_app)
    stampers = asyncio.run(city_stampers(app))
    if not stampers:
        fail(_("No city has a signing CA yet: run `balai signing init-ca` first."))
    server = TimestampServer(stampers, host=host, port=port)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    server.start()
    click.echo(_("Timestamp authority at %(url)s/<city>", url=server.url))
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


async def city_stampers(app: Any) -> dict[str, CityStamper]:
    """The timestamp responder of every city of ``app`` that has a signing CA."""
    from balai.asgi import connected
    from balai.documents.signing.authority import KeystoreError, open_authority
    from balai.documents.signing.tsa import CityStamper

    secret = app.ui.config.secret_key
    stampers: dict[str, CityStamper] = {}
    async with connected(app):
        for city in app.ui.config.cities.values():
            with city_scope(city):
                try:
                    stampers[city.slug] = CityStamper.of(await open_authority(secret))
                except KeystoreError:
                    continue
    return stampers
