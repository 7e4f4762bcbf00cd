"""A city's settings of the documents service: ``[cities.<slug>.settings.documents]``."""

from __future__ import annotations

import msgspec


class DocumentsSettings(msgspec.Struct, forbid_unknown_fields=True):
    """Where signatures are made and timestamped.

    Attributes:
        timestamp_url: The RFC 3161 timestamp authority; the city's slug is
            appended as the path (``balai signing tsa`` serves
            ``http://127.0.0.1:8318/<city>``).
        keystore: ``local`` (each official's PKCS#12 from the city CA) or
            ``remote`` (the remote signing service at ``remote_url``; the
            official types the service's passphrase when signing).
        remote_url: The remote signing service's base URL.
    """

    timestamp_url: str = "http://127.0.0.1:8318"
    keystore: str = "local"
    remote_url: str = ""

    def __post_init__(self) -> None:
        if self.keystore not in ("local", "remote"):
            raise ValueError("keystore is 'local' or 'remote'")
        if self.keystore == "remote" and not self.remote_url.startswith(("http://", "https://")):
            raise ValueError("a remote keystore needs remote_url (http or https)")
        if not self.timestamp_url.startswith(("http://", "https://")):
            raise ValueError("timestamp_url must be an http(s) URL")
