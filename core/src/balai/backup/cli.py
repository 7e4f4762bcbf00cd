"""``balai backup`` and ``balai restore``: the commands over :mod:`balai.backup.archive`."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from balai.backup.archive import BackupError, make_backup, restore_backup
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
    table's row count and checksum and each file's SHA-256. The service may
    keep running.
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
    required=True,
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
def restore(config_path: Path, folder: Path) -> None:
    """Restore a backup onto a fresh data folder or an empty PostgreSQL database.

    Refuses (exit code 1, nothing written) a backup whose files do not match
    their checksums and a target that already holds tables or files. After
    restoring, every table's row count and checksum is compared with the
    manifest. Run `balai audit verify` on the result.
    """
    config, storage = _storage_of(config_path)
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
