"""The gate script and its vendored QR decoder: pinned, licensed, served, camera allowed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import balai_wisata_heritage

STATIC = Path(balai_wisata_heritage.__file__).parent / "static"
JSQR = STATIC / "vendor" / "jsqr"
# sha256 of package/dist/jsQR.js in the npm tarball jsqr-1.4.0.tgz (see its VERSION file)
JSQR_SHA256 = "bc40c8a15196236b2314db0856f72ca0b49980cd5413b8c852a7349f5fee0859"
GATE = "/malang/kelola/wisata-heritage/gerbang"


def test_the_vendored_decoder_is_the_npm_release_named_in_its_version_file():
    assert hashlib.sha256((JSQR / "jsQR.js").read_bytes()).hexdigest() == JSQR_SHA256
    version = (JSQR / "VERSION").read_text()
    assert "jsqr 1.4.0" in version and JSQR_SHA256 in version
    assert "Apache License" in (JSQR / "LICENSE").read_text()


def test_the_gate_page_offers_the_camera_and_the_offline_check(client, login_as):
    login_as("wisata_heritage.gate_officer")
    page = client.get(GATE)
    assert "camera=(self)" in page.headers.get("permissions-policy", "")
    assert "gate.js" in page.text and "vendor/jsqr/jsQR.js" in page.text
    assert 'data-key="' in page.text and 'data-city="malang"' in page.text
    assert client.get("/static/p/wisata_heritage/gate.js").status_code == 200
    assert client.get("/static/p/wisata_heritage/vendor/jsqr/jsQR.js").status_code == 200


def test_the_script_checks_signatures_with_webcrypto_and_syncs_to_the_server():
    script = (STATIC / "gate.js").read_text()
    assert 'crypto.subtle.verify({ name: "Ed25519" }' in script
    assert "X-CSRFToken" in script and "localStorage" in script
    assert "BarcodeDetector" in script and "jsQR" in script
