"""``balai keys``: make a data key, re-encrypt personal fields under the active key."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import click

from balai.cli_errors import admin_app, fail
from balai.crypto.fields import SealedField
from balai.crypto.keys import KeyringError, current_keyring, new_key
from balai.i18n import gettext as _
from balai.plugins import BUILTIN_SLUGS
from balai.tenants import City


@click.group()
def keys() -> None:
    """The data keys that encrypt personal fields (BALAI_DATA_KEYS, BALAI_INDEX_KEY)."""


@keys.command("new")
def new() -> None:
    """Print a fresh random key (32 bytes, URL-safe base64) for BALAI_DATA_KEYS or BALAI_INDEX_KEY.

    Example: BALAI_DATA_KEYS="2026a:$(balai keys new)".
    """
    click.echo(new_key())


def rotation_targets(app: Any) -> list[tuple[City, SealedField]]:
    """Every (city, sealed field) pair: the fields of the plugins each city enables."""
    declared = app.ui.registry.declared("sealed_fields")
    return [
        (city, field)
        for city in app.ui.config.cities.values()
        for slug, fields in declared.items()
        if slug in BUILTIN_SLUGS or city.enables(slug)
        for field in fields or ()
    ]


@keys.command("rotate")
@click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The instance file (TOML), e.g. examples/demo.toml.",
)
def rotate_command(config_path: Path) -> None:
    """Re-encrypt every sealed field under the first key of BALAI_DATA_KEYS, rebuild the indexes.

    Put the new key first in BALAI_DATA_KEYS, keep the old ones after it, run
    this, then remove the old keys. Safe to run again after an interruption.
    """
    from balai.asgi import build_admin_app, connected
    from balai.crypto.rotation import rotate

    app = admin_app(config_path, build_admin_app)
    if not current_keyring().ready:
        fail(_("No data keys: set BALAI_DATA_KEYS and BALAI_INDEX_KEY first."))
    targets = rotation_targets(app)

    async def run() -> list[Any]:
        async with connected(app):
            return await rotate(targets)

    try:
        counts = asyncio.run(run())
    except KeyringError as exc:
        fail(_("Cannot rotate: %(reason)s", reason=str(exc)))
    for count in counts:
        click.echo(
            _(
                "%(city)s %(table)s.%(column)s: %(checked)d checked, %(resealed)d re-encrypted,"
                " %(reindexed)d re-indexed",
                city=count.city,
                table=count.table,
                column=count.column,
                checked=count.checked,
                resealed=count.resealed,
                reindexed=count.reindexed,
            )
        )
    click.echo(_("Active key: %(key)s", key=current_keyring().active_id))
