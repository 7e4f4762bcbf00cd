"""Where the bytes live: the ``Storage`` protocol and the local-disk adapter.

Keys are made by the server only (``<city>/<yy>/<mm>/<random>.<ext>``) and
checked against a strict pattern before any disk access, so no uploaded name
ever reaches a path. :class:`balai.files.s3.S3Storage` implements the same
five methods over an S3-compatible bucket with the key as the object name
(chosen in the instance file: ``file_storage = "s3"``); another adapter can be
handed to the files service with :func:`balai.files.service.use_storage` (e.g.
from a plugin's ``startup`` hook).
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, Protocol

KEY = re.compile(
    r"^[a-z][a-z0-9-]{1,38}/\d{2}/\d{2}/[A-Za-z0-9_-]{16,64}(?:\.t\d{2,4})?\.[a-z]{3,4}$"
)


class InvalidKey(ValueError):
    """A storage key that the server did not make."""


def new_key(city: str, when: datetime, extension: str) -> str:
    """A fresh random key for a city's file stored at ``when``."""
    return f"{city}/{when:%y}/{when:%m}/{secrets.token_urlsafe(24)}.{extension}"


def thumbnail_key(key: str, size: int) -> str:
    """The key of the ``size`` thumbnail of the file stored under ``key``."""
    return f"{key.rsplit('.', 1)[0]}.t{size}.webp"


def check_key(key: str) -> str:
    """Return ``key`` if it has the server's shape.

    Raises:
        InvalidKey: anything else (``..``, absolute paths, odd characters).
    """
    if not KEY.match(key):
        raise InvalidKey(f"not a storage key: {key!r}")
    return key


@dataclass(frozen=True)
class StoredObject:
    """A key in storage and when it was last written (UTC)."""

    key: str
    modified: datetime


class Storage(Protocol):
    """Byte storage by key."""

    async def save(self, key: str, data: bytes) -> None:
        """Store ``data`` under ``key`` (never overwriting a complete file half-way)."""

    async def load(self, key: str) -> bytes:
        """The bytes under ``key``; ``FileNotFoundError`` if none."""

    async def delete(self, key: str) -> None:
        """Remove ``key`` if present."""

    async def exists(self, key: str) -> bool:
        """Whether ``key`` is stored."""

    async def list(self, city: str) -> list[StoredObject]:
        """Every key stored for ``city`` (used to sweep orphaned bytes)."""

    async def copy_out(self, key: str, path: Path) -> None:
        """Write the bytes under ``key`` to the local file ``path``, chunk by chunk (backups)."""

    async def copy_in(self, key: str, path: Path) -> None:
        """Store the local file ``path`` under ``key``, chunk by chunk (restores)."""


def _write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """``write(handle)`` into a temporary file beside ``path``, synced, then renamed onto it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


class LocalStorage:
    """Files under a folder on local disk (``<data_dir>/files`` by default).

    Writes go to a temporary file in the same folder and are renamed into
    place, so a reader never sees half a file. Files are readable by the
    owner and group only.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        """The file path of ``key`` (checked to stay under the root)."""
        path = (self.root / check_key(key)).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise InvalidKey(f"key escapes the storage root: {key!r}")
        return path

    async def save(self, key: str, data: bytes) -> None:
        """Write atomically."""
        await asyncio.to_thread(self._save, self.path(key), data)

    @staticmethod
    def _save(path: Path, data: bytes) -> None:
        _write_atomically(path, lambda handle: handle.write(data))

    async def load(self, key: str) -> bytes:
        """Read the whole file."""
        return await asyncio.to_thread(self.path(key).read_bytes)

    async def copy_out(self, key: str, path: Path) -> None:
        """Copy the file to ``path`` (``shutil.copyfile`` streams it)."""
        await asyncio.to_thread(shutil.copyfile, self.path(key), path)

    async def copy_in(self, key: str, path: Path) -> None:
        """Copy ``path`` in through a temporary file renamed into place."""
        await asyncio.to_thread(self._copy_in, self.path(key), Path(path))

    @staticmethod
    def _copy_in(target: Path, source: Path) -> None:
        with source.open("rb") as reader:
            _write_atomically(target, lambda handle: shutil.copyfileobj(reader, handle, 1 << 20))

    async def delete(self, key: str) -> None:
        """Remove the file if it exists."""
        await asyncio.to_thread(self.path(key).unlink, True)

    async def exists(self, key: str) -> bool:
        """Whether the file exists."""
        return await asyncio.to_thread(self.path(key).is_file)

    async def list(self, city: str) -> list[StoredObject]:
        """Every well-formed key under the city's folder, with its modification time."""
        return await asyncio.to_thread(self._list, city)

    def _list(self, city: str) -> list[StoredObject]:
        folder = self.root / city
        if not folder.is_dir():
            return []
        found: list[StoredObject] = []
        for path in folder.rglob("*"):
            key = path.relative_to(self.root).as_posix()
            if path.is_file() and KEY.match(key):
                modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                found.append(StoredObject(key, modified))
        return sorted(found, key=lambda o: o.key)
