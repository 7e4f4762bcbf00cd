"""A city's settings of the documents service: ``[cities.<slug>.settings.documents]``."""

from __future__ import annotations

import msgspec


class DocumentsSettings(msgspec.Struct, forbid_unknown_fields=True):
    """Where signatures are timestamped.

    Attributes:
        timestamp_url: The RFC 3161 timestamp authority; the city's slug is
            appended as the path (``balai signing tsa`` serves
            ``http://127.0.0.1:8318/<city>``).
    """

    timestamp_url: str = "http://127.0.0.1:8318"

    def __post_init__(self) -> None:
        if not self.timestamp_url.startswith(("http://", "https://")):
            raise ValueError("timestamp_url must be an http(s) URL")
