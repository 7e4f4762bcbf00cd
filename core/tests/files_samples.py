"""Sample uploads for the files tests: real images, PDFs and hostile look-alikes."""

from __future__ import annotations

from io import BytesIO

from PIL import ExifTags, Image

GPS_IFD = ExifTags.IFD.GPSInfo


def image_bytes(
    fmt: str = "JPEG",
    size: tuple[int, int] = (1600, 1200),
    *,
    gps: bool = False,
    orientation: int | None = None,
    color: str = "teal",
) -> bytes:
    """An image of ``size`` in ``fmt``, optionally with GPS and orientation EXIF."""
    image = Image.new("RGB", size, color)
    image.paste(Image.new("RGB", (size[0] // 4, size[1] // 4), "orange"), (0, 0))
    exif = Image.Exif()
    if gps:
        exif[GPS_IFD] = {1: "S", 2: (7.0, 58.0, 12.5), 3: "E", 4: (112.0, 37.0, 50.0)}
        exif[0x010F] = "KameraHP"  # Make
    if orientation:
        exif[0x0112] = orientation
    out = BytesIO()
    options = {"exif": exif.tobytes()} if (gps or orientation) else {}
    image.save(out, format=fmt, **options)
    return out.getvalue()


def pdf_bytes(extra: bytes = b"") -> bytes:
    """A small, well-formed one-page PDF (``extra`` goes into the page object)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] " + extra + b">>",
    ]
    out = BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 200
    + b"This program cannot be run in DOS mode."
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
