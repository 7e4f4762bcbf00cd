"""Images: re-encoded without metadata, and WebP thumbnails.

Re-encoding the stored original applies the EXIF orientation and then drops
EXIF, XMP and comments (phones put the GPS position there), and it drops any
bytes appended after the image (polyglot payloads). The ICC colour profile is
kept. Animated images keep their first frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from PIL import Image, ImageOps

_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


@dataclass(frozen=True)
class CleanImage:
    """An image re-encoded for storage."""

    data: bytes
    width: int
    height: int


def _opened(data: bytes) -> Image.Image:
    with Image.open(BytesIO(data)) as source:
        source.seek(0)
        upright = ImageOps.exif_transpose(source)
        upright.load()
        icc = source.info.get("icc_profile")
    upright.info = {"icc_profile": icc} if icc else {}
    return upright


def clean(data: bytes, content_type: str) -> CleanImage:
    """Re-encode ``data`` (already checked) in its own format without metadata."""
    image = _opened(data)
    fmt = _FORMATS[content_type]
    options: dict[str, object] = {}
    icc = image.info.get("icc_profile")
    if icc:
        options["icc_profile"] = icc
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        options.update(quality=90, optimize=True)
    elif fmt == "WEBP":
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        options.update(quality=90)
    out = BytesIO()
    image.save(out, format=fmt, **options)
    return CleanImage(out.getvalue(), image.width, image.height)


def thumbnail(data: bytes, size: int) -> bytes:
    """A WebP no larger than ``size`` x ``size`` pixels (aspect kept, never enlarged)."""
    image = _opened(data)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert(
            "RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB"
        )
    image.thumbnail((size, size), Image.Resampling.LANCZOS)
    out = BytesIO()
    image.save(out, format="WEBP", quality=80, method=4)
    return out.getvalue()
