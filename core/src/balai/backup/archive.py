"""Making a backup folder and restoring one onto a fresh data folder or database.

The folder holds ``database.sqlite`` or ``database.dump``, ``files/<key>``
for every stored file (copied chunk by chunk, never whole in memory),
``instance.toml`` (secret-looking values removed), ``manifest.json`` and
``manifest.sig``: the manifest's Ed25519 signature with the instance's own
key (:func:`balai.signing.instance_key`, derived from ``BALAI_SECRET_KEY``).
A restore checks the signature before it trusts a checksum, so a manifest
changed to match changed files is refused. Everything here is plain
functions over an instance's ``Config`` and its file storage;
``balai.backup.cli`` prints.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature

from balai import __version__, signing
from balai.backup.tables import TableSum, postgres_tables, sqlite_tables
from balai.config import Config
from balai.files.storage import Storage, check_key

FORMAT = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
SIGNING_PURPOSE = "backup_manifest"
INSTANCE = "instance.toml"
FILES = "files"
SQLITE_FILE = "database.sqlite"
PG_FILE = "database.dump"
# A line of the instance file whose key names a secret: its value stays out of backups.
_SECRET_LINE = re.compile(
    r"^(\s*[\"']?[\w.-]*(?:secret|password|passwd|token|api_key|private_key|access_key)"
    r"[\w.-]*[\"']?\s*=\s*).*$",
    re.IGNORECASE | re.MULTILINE,
)
_REMOVED = '""  # removed by balai backup: set it again'


class BackupError(RuntimeError):
    """A backup or restore could not be made; the message says why and what to do."""


@dataclass
class Summary:
    """What a backup or restore handled."""

    folder: Path
    engine: str
    tables: dict[str, TableSum] = field(default_factory=dict)
    files: int = 0
    removed_keys: list[str] = field(default_factory=list)


def engine_of(url: str) -> str:
    """``sqlite`` or ``postgresql`` for a ``DATABASE_URL``."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        return "sqlite"
    if scheme in ("postgres", "postgresql"):
        return "postgresql"
    raise BackupError(f"Unsupported DATABASE_URL scheme {scheme!r} (use sqlite or postgresql).")


def sqlite_path(url: str) -> Path:
    """The database file of a ``sqlite:///`` URL."""
    return Path(url[len("sqlite:///") :])


def _pg_url(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def _run_tool(name: str, arguments: list[str]) -> subprocess.CompletedProcess[str]:
    """Run PostgreSQL's ``pg_dump`` or ``pg_restore`` (found on PATH) with our own arguments."""
    program = shutil.which(name)
    if program is None:
        raise BackupError(f"{name} is not installed: install PostgreSQL's client tools.")
    return subprocess.run(  # noqa: S603 (a fixed program; arguments made here, no shell)
        [program, *arguments], capture_output=True, text=True, check=False
    )


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def without_secrets(text: str) -> tuple[str, list[str]]:
    """The instance file with every secret-looking value emptied, and those keys' names."""
    removed = [found.group(1).split("=")[0].strip() for found in _SECRET_LINE.finditer(text)]
    return _SECRET_LINE.sub(lambda found: found.group(1) + _REMOVED, text), removed


# --- backup ---------------------------------------------------------------------------


def _empty_folder(folder: Path) -> None:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupError(f"{folder} is not an empty folder: back up into a new one.")
    folder.mkdir(parents=True, exist_ok=True)


def _backup_sqlite(url: str, folder: Path) -> dict[str, TableSum]:
    source_path = sqlite_path(url)
    if not source_path.is_file():
        raise BackupError(f"No database at {source_path}: nothing to back up.")
    target = folder / SQLITE_FILE
    source = sqlite3.connect(source_path)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # the online backup API: one consistent snapshot
    finally:
        copy.close()
        source.close()
    return sqlite_tables(target)


async def _backup_postgres(url: str, folder: Path) -> dict[str, TableSum]:
    import asyncpg

    connection = await asyncpg.connect(_pg_url(url))
    try:
        async with connection.transaction(isolation="repeatable_read", readonly=True):
            snapshot = await connection.fetchval("SELECT pg_export_snapshot()")
            dumped = _run_tool(
                "pg_dump",
                [
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={folder / PG_FILE}",
                    f"--dbname={_pg_url(url)}",
                ],
            )
            if dumped.returncode != 0:
                raise BackupError(f"pg_dump failed: {dumped.stderr.strip()}")
            return await postgres_tables(connection)
    finally:
        await connection.close()


async def _backup_files(storage: Storage, cities: list[str], folder: Path) -> dict[str, Any]:
    listed: dict[str, Any] = {}
    for city in cities:
        for stored in sorted(await storage.list(city), key=lambda s: s.key):
            path = folder / FILES / check_key(stored.key)
            path.parent.mkdir(parents=True, exist_ok=True)
            await storage.copy_out(stored.key, path)
            listed[stored.key] = {"size": path.stat().st_size, "sha256": sha256_of(path)}
    return listed


def sign_manifest(data: bytes) -> dict[str, str]:
    """The signature record of the manifest's exact bytes (``manifest.sig``)."""
    key = signing.instance_key(SIGNING_PURPOSE)
    return {
        "algorithm": "Ed25519",
        "key_id": signing.key_id(key),
        "signature": base64.b64encode(key.sign(data)).decode("ascii"),
    }


def check_signature(folder: Path, data: bytes) -> None:
    """Refuse a manifest that is unsigned or not signed by this instance's key, as it is.

    Raises:
        BackupError: no signature, another instance's key, or a changed manifest.
    """
    try:
        record = json.loads((folder / SIGNATURE).read_text(encoding="utf-8"))
        signature = base64.b64decode(record["signature"], validate=True)
    except FileNotFoundError:
        raise BackupError(
            f"The backup has no {SIGNATURE}: its manifest cannot be trusted. Nothing was restored."
        ) from None
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise BackupError(f"{folder / SIGNATURE} is not a signature record.") from None
    key = signing.instance_key(SIGNING_PURPOSE)
    ours = signing.key_id(key)
    if record.get("key_id") != ours:
        raise BackupError(
            f"The manifest was signed with another instance key ({record.get('key_id')}, "
            f"this instance has {ours}): set BALAI_SECRET_KEY to the secret of the instance "
            "the backup was made on. Nothing was restored."
        )
    try:
        key.public_key().verify(signature, data)
    except InvalidSignature:
        raise BackupError(
            "The manifest was changed after it was signed (tampered with): "
            "this backup cannot be trusted. Nothing was restored."
        ) from None


async def make_backup(
    config: Config, storage: Storage, instance_file: Path, folder: Path
) -> Summary:
    """Back the instance up into ``folder`` (new or empty).

    Raises:
        BackupError: the folder holds something, or the database could not be read.
    """
    _empty_folder(folder)
    engine = engine_of(config.database_url)
    if engine == "sqlite":
        tables = _backup_sqlite(config.database_url, folder)
        database_file = SQLITE_FILE
    else:
        tables = await _backup_postgres(config.database_url, folder)
        database_file = PG_FILE
    files = await _backup_files(storage, list(config.cities), folder)
    instance_text, removed = without_secrets(instance_file.read_text(encoding="utf-8"))
    (folder / INSTANCE).write_text(instance_text, encoding="utf-8")
    manifest = {
        "format": FORMAT,
        "balai_version": __version__,
        "created_at": datetime.now(UTC).isoformat(),
        "cities": list(config.cities),
        "database": {
            "engine": engine,
            "file": database_file,
            "sha256": sha256_of(folder / database_file),
            "tables": {name: table.as_json() for name, table in sorted(tables.items())},
        },
        "files": files,
        "instance": {
            "file": INSTANCE,
            "sha256": sha256_of(folder / INSTANCE),
            "removed": removed,
        },
    }
    data = (json.dumps(manifest, indent=2) + "\n").encode("utf-8")
    (folder / MANIFEST).write_bytes(data)
    (folder / SIGNATURE).write_text(json.dumps(sign_manifest(data)) + "\n", encoding="utf-8")
    return Summary(folder, engine, tables, len(files), removed)


# --- restore --------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict[str, Any]:
    """The backup's manifest, its signature checked, every file it names against its checksum.

    Raises:
        BackupError: no manifest, a bad or missing signature, another format,
            or a file missing or changed.
    """
    try:
        data = (folder / MANIFEST).read_bytes()
    except FileNotFoundError:
        raise BackupError(f"{folder} holds no {MANIFEST}: it is not a balai backup.") from None
    check_signature(folder, data)
    try:
        manifest = json.loads(data)
    except ValueError as exc:
        raise BackupError(f"{folder / MANIFEST} is not valid JSON ({exc}).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Backup format {manifest.get('format')!r} is not {FORMAT}.")
    wanted = [
        (manifest["database"]["file"], manifest["database"]["sha256"]),
        (manifest["instance"]["file"], manifest["instance"]["sha256"]),
        *((f"{FILES}/{check_key(key)}", item["sha256"]) for key, item in manifest["files"].items()),
    ]
    for name, expected in wanted:
        path = folder / name
        if not path.is_file():
            raise BackupError(f"The backup is incomplete: {name} is missing.")
        if sha256_of(path) != expected:
            raise BackupError(
                f"The backup is damaged: {name} does not match its checksum in the manifest. "
                "Nothing was restored."
            )
    return manifest


async def _postgres_is_empty(url: str) -> bool:
    import asyncpg

    connection = await asyncpg.connect(_pg_url(url))
    try:
        count = await connection.fetchval(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        )
    finally:
        await connection.close()
    return count == 0


def _sqlite_is_empty(path: Path) -> bool:
    if not path.exists():
        return True
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    finally:
        connection.close()


async def _refuse_non_empty(config: Config, engine: str, storage: Storage) -> None:
    if engine == "sqlite":
        path = sqlite_path(config.database_url)
        if not _sqlite_is_empty(path):
            raise BackupError(
                f"The target database {path} is not empty: restore only onto a fresh data folder."
            )
    elif not await _postgres_is_empty(config.database_url):
        raise BackupError(
            "The target PostgreSQL database has tables: restore only onto a new, empty "
            "database (createdb NAME)."
        )
    for city in config.cities:
        if await storage.list(city):
            raise BackupError(
                f"The target already stores files of {city}: restore only onto a fresh data folder."
            )


def _restore_sqlite(folder: Path, url: str) -> dict[str, TableSum]:
    target = sqlite_path(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{folder / SQLITE_FILE}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return sqlite_tables(target)


async def _restore_postgres(folder: Path, url: str) -> dict[str, TableSum]:
    import asyncpg

    restored = _run_tool(
        "pg_restore",
        [
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={_pg_url(url)}",
            str(folder / PG_FILE),
        ],
    )
    if restored.returncode != 0:
        raise BackupError(f"pg_restore failed: {restored.stderr.strip()}")
    connection = await asyncpg.connect(_pg_url(url))
    try:
        async with connection.transaction(isolation="repeatable_read", readonly=True):
            return await postgres_tables(connection)
    finally:
        await connection.close()


def write_instance_file(folder: Path, target: Path) -> list[str]:
    """Write the backup's instance file (its secrets left out) to ``target``; the keys to set again.

    Raises:
        BackupError: the backup is damaged or unsigned, or ``target`` exists.
    """
    manifest = read_manifest(folder)
    if target.exists():
        raise BackupError(f"{target} exists already: give a new path. Nothing was written.")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(folder / manifest["instance"]["file"], target)
    return list(manifest["instance"].get("removed", []))


async def restore_backup(config: Config, storage: Storage, folder: Path) -> Summary:
    """Restore the backup in ``folder`` onto the empty instance of ``config``.

    Raises:
        BackupError: the backup is damaged or of another engine, the target
            holds data, or the restored tables differ from the manifest.
    """
    manifest = read_manifest(folder)
    engine = engine_of(config.database_url)
    if manifest["database"]["engine"] != engine:
        raise BackupError(
            f"This is a {manifest['database']['engine']} backup; the target uses {engine}."
        )
    await _refuse_non_empty(config, engine, storage)
    if engine == "sqlite":
        tables = _restore_sqlite(folder, config.database_url)
    else:
        tables = await _restore_postgres(folder, config.database_url)
    for key in manifest["files"]:
        await storage.copy_in(key, folder / FILES / check_key(key))
    expected = {name: TableSum(**item) for name, item in manifest["database"]["tables"].items()}
    if tables != expected:
        differing = sorted(
            name for name in set(tables) | set(expected) if tables.get(name) != expected.get(name)
        )
        raise BackupError(
            "The restored database differs from the manifest in: " + ", ".join(differing)
        )
    return Summary(folder, engine, tables, len(manifest["files"]))
