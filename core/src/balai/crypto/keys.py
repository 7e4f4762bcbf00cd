"""The instance's data keys: which key encrypts, which keys still decrypt, the index key.

Keys come from the instance's secrets, never from the database:

* ``BALAI_DATA_KEYS``: comma-separated ``id:key`` pairs, each key 32 random
  bytes in URL-safe base64 (``balai keys new`` prints one). The first pair
  encrypts; every pair decrypts, so an old key stays listed until
  ``balai keys rotate`` has re-encrypted its rows.
* ``BALAI_INDEX_KEY``: 32 random bytes (URL-safe base64) for the blind
  indexes. Kept apart from the data keys so that rotating them leaves every
  index valid; changing it needs ``balai keys rotate`` too (which rebuilds
  the indexes from the decrypted values).

A development instance without them gets both generated once in its data
folder (``data-keys`` and ``index.key``, mode 600), like its secret key.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

KEY_BYTES = 32
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")


class KeyringError(RuntimeError):
    """The instance's data keys are missing or malformed (the message says which)."""


def new_key() -> str:
    """A fresh key: 32 random bytes in URL-safe base64 without padding."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode().rstrip("=")


def _decode(text: str, what: str) -> bytes:
    try:
        padded = text.strip() + "=" * (-len(text.strip()) % 4)
        raw = base64.b64decode(padded, altchars=b"-_", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise KeyringError(f"{what} is not URL-safe base64") from exc
    if len(raw) != KEY_BYTES:
        raise KeyringError(f"{what} must be {KEY_BYTES} bytes, not {len(raw)}")
    return raw


@dataclass(frozen=True)
class Keyring:
    """The data keys by id (the first one encrypts) and the blind-index key.

    Attributes:
        active_id: Id of the key new ciphertexts are sealed with.
        keys: Every key that may decrypt, by id.
        index_key: The HMAC key of the blind indexes.
    """

    active_id: str = ""
    keys: dict[str, bytes] = field(default_factory=dict)
    index_key: bytes = b""

    @property
    def ready(self) -> bool:
        """Whether personal fields can be sealed and indexed."""
        return bool(self.active_id and self.index_key)

    def active(self) -> tuple[str, bytes]:
        """The id and key new ciphertexts use.

        Raises:
            KeyringError: the instance has no data keys.
        """
        if not self.ready:
            raise KeyringError(
                "no data keys: set BALAI_DATA_KEYS and BALAI_INDEX_KEY (see `balai keys new`)"
            )
        return self.active_id, self.keys[self.active_id]

    def key(self, key_id: str) -> bytes:
        """The key with id ``key_id``.

        Raises:
            KeyringError: no such key (it was removed before its rows were rotated).
        """
        try:
            return self.keys[key_id]
        except KeyError:
            raise KeyringError(f"data key {key_id!r} is not in BALAI_DATA_KEYS") from None

    def blind_key(self) -> bytes:
        """The blind-index key.

        Raises:
            KeyringError: the instance has none.
        """
        if not self.index_key:
            raise KeyringError("no BALAI_INDEX_KEY: blind indexes cannot be computed")
        return self.index_key


def parse_keyring(data_keys: str, index_key: str) -> Keyring:
    """Read ``BALAI_DATA_KEYS`` and ``BALAI_INDEX_KEY`` (both may be empty).

    Raises:
        KeyringError: a malformed pair, a repeated id or a key of the wrong size.
    """
    keys: dict[str, bytes] = {}
    active = ""
    for pair in filter(None, (p.strip() for p in data_keys.split(","))):
        key_id, sep, text = pair.partition(":")
        if not sep or not _KEY_ID.match(key_id):
            raise KeyringError("BALAI_DATA_KEYS holds id:key pairs, ids of letters and digits")
        if key_id in keys:
            raise KeyringError(f"BALAI_DATA_KEYS names the key {key_id!r} twice")
        keys[key_id] = _decode(text, f"data key {key_id!r}")
        active = active or key_id
    index = _decode(index_key, "BALAI_INDEX_KEY") if index_key.strip() else b""
    return Keyring(active_id=active, keys=keys, index_key=index)


def development_keys(data_dir: Path) -> tuple[str, str]:
    """The data keys and index key kept in a development instance's data folder.

    Generated on first use, readable by the owner only.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    found: list[str] = []
    for name, make in (("data-keys", lambda: f"dev1:{new_key()}"), ("index.key", new_key)):
        path = data_dir / name
        if not path.exists():
            path.write_text(make())
            path.chmod(0o600)
        found.append(path.read_text().strip())
    return found[0], found[1]


_installed = Keyring()


def install(keyring: Keyring) -> None:
    """Make ``keyring`` the instance's (done once by the application at start)."""
    global _installed
    _installed = keyring


def current_keyring() -> Keyring:
    """The keyring the running instance installed (empty before start)."""
    return _installed


def keyring_for(data_keys: str, index_key: str, data_dir: Path, *, development: bool) -> Keyring:
    """The keyring of an instance: its configured keys, or a development instance's own.

    Raises:
        KeyringError: configured keys are malformed.
    """
    if not (data_keys.strip() or index_key.strip()) and development:
        data_keys, index_key = development_keys(data_dir)
    return parse_keyring(data_keys, index_key)
