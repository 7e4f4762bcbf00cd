"""``balai backup`` and ``balai restore``: the commands over :mod:`balai.backup.archive`."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import click

from balai.backup.archive import BackupError, make_backup, restore_backup, write_instance_file
from balai.cli_errors import admin_app, fail
from balai.i18n import gettext as _

CONFIG_HELP = "The instance file (TOML), e.g. examples/demo.toml."


def _storage_of(config_path: Path):
    from balai.asgi import build_admin_app
    from balai.files import service as files

    app = admin_app(config_path, build_admin_app)
    return app.ui.config, files.storage()


@click.command()
@click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=CONFIG_HELP,
)
@click.option(
    "--to",
    "folder",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="A new (or empty) folder to write the backup into.",
)
def backup(config_path: Path, folder: Path) -> None:
    """Back up the database (one consistent snapshot), the stored files and the instance file.

    SQLite is copied with its online backup API, PostgreSQL with pg_dump;
    values of the instance file whose names look secret are left out, and
    secrets from the environment are never read. manifest.json records each
    table's row count and checksum and each file's SHA-256; manifest.sig
    signs it with this instance's key (from BALAI_SECRET_KEY). The service
    may keep running.
    """
    config, storage = _storage_of(config_path)
    try:
        summary = asyncio.run(make_backup(config, storage, config_path, folder))
    except BackupError as exc:
        fail(str(exc))
    click.echo(
        _(
            "Backed up %(tables)s tables (%(rows)s rows) and %(files)s files into %(folder)s",
            tables=len(summary.tables),
            rows=sum(t.rows for t in summary.tables.values()),
            files=summary.files,
            folder=summary.folder,
        )
    )
    for key in summary.removed_keys:
        click.echo(_("Left out of the instance file: %(key)s", key=key))


@click.command()
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The instance file of the fresh target (its data folder or DATABASE_URL).",
)
@click.option(
    "--from",
    "folder",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The folder `balai backup` wrote.",
)
@click.option(
    "--write-instance",
    "instance_target",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the backup's instance file (secrets left out) to this new path.",
)
def restore(config_path: Path | None, folder: Path, instance_target: Path | None) -> None:
    """Restore a backup onto a fresh data folder or an empty PostgreSQL database.

    Refuses (exit code 1, nothing written) a backup whose manifest is not
    signed by this instance's key (BALAI_SECRET_KEY of the instance the
    backup was made on) or whose files do not match their checksums, and a
    target that already holds tables or files. After restoring, every
    table's row count and checksum is compared with the manifest. Run
    `balai audit verify` on the result.

    On a new host, first `--write-instance balai.toml` alone: it writes the
    backup's instance file; set the secrets it names again, then restore
    with `--config balai.toml`.
    """
    if config_path is None and instance_target is None:
        fail(_("Give --config (the target instance file), --write-instance PATH, or both."))
    if config_path is None:
        _configure_signing_from_environment()
        _write_instance(folder, instance_target)  # type: ignore[arg-type]
        return
    config, storage = _storage_of(config_path)  # also configures the instance's keys
    if instance_target is not None:
        _write_instance(folder, instance_target)
    try:
        summary = asyncio.run(restore_backup(config, storage, folder))
    except BackupError as exc:
        fail(str(exc))
    click.echo(
        _(
            "Restored %(tables)s tables (%(rows)s rows, every checksum equal) and %(files)s files",
            tables=len(summary.tables),
            rows=sum(t.rows for t in summary.tables.values()),
            files=summary.files,
        )
    )


def _configure_signing_from_environment() -> None:
    """No application is built: the instance's keys come from ``BALAI_SECRET_KEY`` itself."""
    from balai import signing

    secret = os.environ.get("BALAI_SECRET_KEY", "")
    if not secret:
        fail(
            _(
                "Set BALAI_SECRET_KEY to the secret of the instance the backup was made on: "
                "it checks the backup's signature."
            )
        )
    signing.configure(secret)


def _write_instance(folder: Path, target: Path) -> None:
    """Write the backup's instance file to ``target`` and name the secrets to set again."""
    try:
        removed = write_instance_file(folder, target)
    except BackupError as exc:
        fail(str(exc))
    click.echo(_("Wrote the backup's instance file to %(path)s", path=target))
    for key in removed:
        click.echo(_("Set it again (left out of the backup): %(key)s", key=key))
