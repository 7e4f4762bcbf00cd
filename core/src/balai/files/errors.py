"""Why an upload was refused: a message for the person and an HTTP status."""

from __future__ import annotations


class UploadRejected(ValueError):
    """An upload failed a check; nothing was stored.

    Attributes:
        message: Translated text to show next to the file field.
        status: The HTTP status that fits (400, 413 or 415).
        reason: A short English code for logs and tests (``too_large`` ...).
    """

    def __init__(self, message: str, *, status: int, reason: str) -> None:
        super().__init__(f"{reason}: {message}")
        self.message = message
        self.status = status
        self.reason = reason
