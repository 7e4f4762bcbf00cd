"""File names: never trusted, only cleaned for display and downloads."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from balai.files.types import EXTENSIONS

MAX_NAME = 100
_UNSAFE = re.compile(r"[^\w .()\-]+", re.UNICODE)
_SPACES = re.compile(r"\s+")


def display_name(raw: str | None, content_type: str) -> str:
    r"""A harmless display name for an upload, with the extension of its real type.

    Directory parts (``../``, ``C:\\``), control and markup characters are
    dropped; the result is at most 100 characters. ``"../../etc/passwd"``
    declared as a PDF becomes ``"passwd.pdf"``.
    """
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _SPACES.sub(" ", _UNSAFE.sub("_", name)).strip(" ._")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem.strip(" ._") or "berkas"
    extension = EXTENSIONS[content_type]
    return f"{stem[: MAX_NAME - len(extension) - 1]}.{extension}"


def content_disposition(name: str, *, inline: bool) -> str:
    """A ``Content-Disposition`` value: an ASCII fallback plus the UTF-8 name (RFC 6266)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9 ._()\-]", "_", ascii_name).strip() or "berkas"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
