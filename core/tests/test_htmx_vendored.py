"""The vendored htmx is exactly the npm release named in its VERSION file."""

import hashlib
from pathlib import Path

THEMES = Path(__file__).resolve().parents[2] / "themes"
VENDOR = THEMES / "default" / "static" / "vendor" / "htmx"

HTMX_VERSION = "2.0.11"
# sha256 of package/dist/htmx.min.js in the npm tarball htmx.org-2.0.11.tgz, whose
# registry integrity is sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4q
# tbnyzDDWFvBTqjnIMCgELTNt636dtamA== (split over two lines).
HTMX_SHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"


def test_htmx_min_js_matches_the_npm_release() -> None:
    data = (VENDOR / "htmx.min.js").read_bytes()
    assert hashlib.sha256(data).hexdigest() == HTMX_SHA256
    assert f'version:"{HTMX_VERSION}"'.encode() in data


def test_htmx_license_and_version_note_are_present() -> None:
    license_text = (VENDOR / "LICENSE").read_text(encoding="utf-8")
    assert "Zero-Clause BSD" in license_text
    note = (VENDOR / "VERSION").read_text(encoding="utf-8")
    assert HTMX_VERSION in note
    assert HTMX_SHA256 in note
