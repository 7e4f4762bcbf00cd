"""Upload checks by content: signatures, real parsing, declared types, names."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

import pytest
from balai.files.checks import check_content, sniff
from balai.files.errors import UploadRejected
from balai.files.images import clean, thumbnail
from balai.files.names import content_disposition, display_name
from balai.files.storage import InvalidKey, LocalStorage, check_key, new_key, thumbnail_key
from balai.files.types import FileKind
from files_samples import EXE, HTML, image_bytes, pdf_bytes
from PIL import Image

PIXELS = 40_000_000


def check(data, kind="image", declared="image/jpeg"):
    return check_content(data, kind=FileKind(kind), declared=declared, max_pixels=PIXELS)


def reason(data, kind="image", declared="image/jpeg", max_pixels=PIXELS):
    with pytest.raises(UploadRejected) as caught:
        check_content(data, kind=FileKind(kind), declared=declared, max_pixels=max_pixels)
    return caught.value.reason, caught.value.status


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")],
)
def test_real_images_pass_as_what_they_are(fmt, content_type):
    data = image_bytes(fmt, (64, 48))
    assert sniff(data) == content_type
    assert check(data, declared=content_type) == content_type


def test_a_real_pdf_passes():
    assert check(pdf_bytes(), "document", "application/pdf") == "application/pdf"


def test_old_jpg_alias_is_accepted():
    assert check(image_bytes("JPEG", (10, 10)), declared="image/jpg") == "image/jpeg"


@pytest.mark.parametrize(
    ("data", "kind", "declared", "expected"),
    [
        (EXE, "image", "image/jpeg", ("unsupported_type", 415)),  # an .exe renamed .jpg
        (HTML, "image", "image/png", ("unsupported_type", 415)),  # HTML claiming to be PNG
        (b"", "image", "image/png", ("empty", 400)),
        (image_bytes("PNG", (8, 8)), "image", "image/jpeg", ("type_mismatch", 415)),
        (pdf_bytes(), "image", "application/pdf", ("unsupported_type", 415)),  # wrong kind
        (image_bytes("JPEG", (8, 8)), "document", "image/jpeg", ("unsupported_type", 415)),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "image", "image/jpeg", ("broken_image", 415)),
        (image_bytes("PNG", (64, 64))[:120], "image", "image/png", ("broken_image", 415)),
        (
            b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
            "document",
            "application/pdf",
            ("broken_pdf", 415),
        ),
        (b"%PDF-junk" + pdf_bytes()[9:], "document", "application/pdf", ("broken_pdf", 415)),
    ],
    ids=[
        "exe-as-jpg",
        "html-as-png",
        "empty",
        "png-declared-jpeg",
        "pdf-as-image",
        "image-as-document",
        "jpeg-header-only",
        "truncated-png",
        "pdf-without-xref",
        "bad-pdf-version",
    ],
)
def test_refused_uploads(data, kind, declared, expected):
    assert reason(data, kind, declared) == expected


def test_polyglot_png_with_html_in_its_first_kilobyte_is_refused():
    png = image_bytes("PNG", (4, 4))
    # A tEXt chunk placed before the image data carrying markup a browser could sniff.
    import struct
    import zlib

    payload = b"Comment\x00<html><script>alert(1)</script></html>"
    chunk = struct.pack(">I", len(payload)) + b"tEXt" + payload
    chunk += struct.pack(">I", zlib.crc32(b"tEXt" + payload) & 0xFFFFFFFF)
    polyglot = png[:33] + chunk + png[33:]
    Image.open(BytesIO(polyglot)).load()  # still a valid PNG
    assert reason(polyglot, declared="image/png") == ("markup", 415)


def test_pdf_with_javascript_is_refused_even_when_the_name_is_escaped():
    assert reason(
        pdf_bytes(b"/AA << /O << /S /JavaScript /JS (app.alert(1)) >> >> "),
        "document",
        "application/pdf",
    ) == ("active_pdf", 415)
    assert reason(
        pdf_bytes(b"/OpenAction << /S /J#61vaScript >> "), "document", "application/pdf"
    ) == ("active_pdf", 415)
    assert reason(
        pdf_bytes(b"/Names << /EmbeddedFiles 9 0 R >> "), "document", "application/pdf"
    ) == ("active_pdf", 415)


def test_too_many_pixels_is_refused_before_decoding():
    assert reason(image_bytes("PNG", (300, 300)), declared="image/png", max_pixels=50_000) == (
        "too_many_pixels",
        413,
    )


def test_cleaning_strips_exif_applies_orientation_and_drops_appended_bytes():
    original = image_bytes("JPEG", (400, 200), gps=True, orientation=6) + b"<html>payload</html>"
    assert Image.open(BytesIO(original)).getexif().get_ifd(0x8825)
    cleaned = clean(original, "image/jpeg")
    reopened = Image.open(BytesIO(cleaned.data))
    assert not reopened.getexif()  # no GPS, no camera, no orientation left
    assert b"payload" not in cleaned.data and b"KameraHP" not in cleaned.data
    assert (cleaned.width, cleaned.height) == (200, 400)  # rotated upright


@pytest.mark.parametrize("size", [320, 960])
def test_thumbnails_fit_their_box_keep_the_aspect_and_carry_no_exif(size):
    data = image_bytes("JPEG", (1600, 1200), gps=True)
    thumb = Image.open(BytesIO(thumbnail(data, size)))
    assert thumb.format == "WEBP"
    assert thumb.size == (size, size * 3 // 4)
    assert not thumb.getexif()


def test_thumbnails_never_enlarge():
    thumb = Image.open(BytesIO(thumbnail(image_bytes("PNG", (100, 50)), 320)))
    assert thumb.size == (100, 50)


@pytest.mark.parametrize(
    ("raw", "content_type", "expected"),
    [
        ("../../etc/passwd", "application/pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32\\cmd.exe", "image/jpeg", "cmd.jpg"),
        ("foto KTP.PNG", "image/png", "foto KTP.png"),
        ("laporan.pdf.exe", "application/pdf", "laporan.pdf.pdf"),
        ("<script>alert(1)</script>.jpg", "image/jpeg", "script.jpg"),
        ("<b onload=x>.jpg", "image/jpeg", "b onload_x.jpg"),
        ("\x00\x1b[31mred.png", "image/png", "31mred.png"),
        ("", "image/webp", "berkas.webp"),
        (None, "image/webp", "berkas.webp"),
        ("....", "application/pdf", "berkas.pdf"),
        ("Peta Kota Malang — 2026.jpg", "image/jpeg", "Peta Kota Malang _ 2026.jpg"),
        ("a" * 300 + ".jpg", "image/jpeg", "a" * 96 + ".jpg"),
    ],
)
def test_display_names_never_carry_paths_or_markup(raw, content_type, expected):
    assert display_name(raw, content_type) == expected


def test_content_disposition_has_an_ascii_fallback_and_the_utf8_name():
    value = content_disposition('Surat "izin" é.pdf', inline=False)
    assert value.startswith('attachment; filename="Surat _izin_ e.pdf"; ')
    assert value.endswith("filename*=UTF-8''Surat%20%22izin%22%20%C3%A9.pdf")
    assert content_disposition("a.jpg", inline=True).startswith("inline; ")


def test_storage_keys_are_made_by_the_server_only(tmp_path):
    key = new_key("malang", datetime(2026, 8, 17, tzinfo=UTC), "jpg")
    assert key.startswith("malang/26/08/") and key.endswith(".jpg")
    assert check_key(key) == key
    assert check_key(thumbnail_key(key, 320)).endswith(".t320.webp")
    storage = LocalStorage(tmp_path)
    for bad in (
        "../x.jpg",
        "/etc/passwd",
        "malang/26/08/../../../x.jpg",
        "malang/26/08/a.jpg",
        "malang/26/08/" + "A" * 20 + ".jpg/../../x",
    ):
        with pytest.raises(InvalidKey):
            storage.path(bad)
