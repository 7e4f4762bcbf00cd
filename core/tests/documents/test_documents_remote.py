"""The remote signing adapter against its sandbox: the contract, and signing through the queue.

``RemoteServiceContract`` is what any real adapter's service must pass: give
the class a ``remote`` fixture (a client, an enrolled serial and passphrase,
switches for an outage) and run it against the real service's test endpoint.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from balai import toolkit as tk
from balai.documents.signing import authority
from balai.documents.signing.remote import (
    RemoteRefused,
    RemoteSigningClient,
    RemoteUnavailable,
)
from balai.documents.signing.remote_sandbox import SandboxSigningService
from balai.documents.tables import Document
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from documents_support import LETTER, secret_key
from pyhanko.pdf_utils.reader import PdfFileReader

PASSPHRASE = "rahasia-layanan-42"


@dataclass
class Remote:
    client: RemoteSigningClient
    serial: str
    public_key: Any
    take_down: Any
    revoke: Any


@pytest.fixture
def sandbox(balai_app, city_run, city_ca) -> SandboxSigningService:
    city_ca()

    async def opened():
        return await authority.open_authority(secret_key(balai_app))

    return SandboxSigningService(
        authority=city_run("malang", opened), city=balai_app.ui.config.cities["malang"]
    )


@pytest.fixture
def remote(sandbox) -> Remote:
    cert = sandbox.enrol("Budi Hartono", "Kepala Dinas Uji", PASSPHRASE)
    serial = format(cert.serial_number, "x")

    def take_down(down=True):
        sandbox.down = down

    return Remote(
        client=RemoteSigningClient(
            "http://sandbox.test", transport=httpx.ASGITransport(app=sandbox.app())
        ),
        serial=serial,
        public_key=cert.public_key(),
        take_down=take_down,
        revoke=lambda: sandbox.revoke(serial),
    )


class RemoteServiceContract:
    """What a remote signing service must do, whatever its vendor."""

    async def test_a_digest_comes_back_as_cms_signed_by_the_officials_key(self, remote):
        digest = hashlib.sha256(b"isi dokumen").digest()
        signed = await remote.client.sign_digest(
            serial=remote.serial, passphrase=PASSPHRASE, digest=digest
        )
        assert signed["content_type"].native == "signed_data"
        [info] = signed["content"]["signer_infos"]
        attrs = {a["type"].native: a["values"][0] for a in info["signed_attrs"]}
        assert attrs["message_digest"].native == digest
        remote.public_key.verify(
            info["signature"].native,
            info["signed_attrs"].untag().dump(),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
        assert b"PRIVATE KEY" not in signed.dump()

    async def test_a_wrong_passphrase_is_refused_and_locks_after_three(self, remote):
        digest = hashlib.sha256(b"x").digest()
        for expected in ("WRONG_PASSPHRASE", "WRONG_PASSPHRASE", "LOCKED"):
            with pytest.raises(RemoteRefused) as refused:
                await remote.client.sign_digest(
                    serial=remote.serial, passphrase="salah", digest=digest
                )
            assert refused.value.code == expected
        with pytest.raises(RemoteRefused, match="LOCKED"):
            await remote.client.sign_digest(
                serial=remote.serial, passphrase=PASSPHRASE, digest=digest
            )

    async def test_a_revoked_or_unknown_certificate_is_refused(self, remote):
        digest = hashlib.sha256(b"x").digest()
        with pytest.raises(RemoteRefused, match="UNKNOWN_CERTIFICATE"):
            await remote.client.sign_digest(serial="abc", passphrase=PASSPHRASE, digest=digest)
        remote.revoke()
        with pytest.raises(RemoteRefused, match="CERTIFICATE_REVOKED"):
            await remote.client.sign_digest(
                serial=remote.serial, passphrase=PASSPHRASE, digest=digest
            )

    async def test_an_outage_is_unavailable_not_a_refusal(self, remote):
        remote.take_down()
        with pytest.raises(RemoteUnavailable):
            await remote.client.sign_digest(
                serial=remote.serial, passphrase=PASSPHRASE, digest=bytes(32)
            )


class TestSandboxKeepsTheContract(RemoteServiceContract):
    """The sandbox passes the contract (run a real adapter's service through it too)."""


async def test_an_unreachable_service_is_unavailable():
    client = RemoteSigningClient("http://127.0.0.1:9")  # nothing listens on the discard port
    with pytest.raises(RemoteUnavailable):
        await client.sign_digest(serial="1", passphrase="x", digest=bytes(32))


# --- signing through the queue with the remote keystore -------------------------------


@pytest.fixture
def remote_city(balai_app, sandbox, monkeypatch):
    """Malang signs through the sandbox service (the queue's HTTP client reaches it in-process)."""
    from balai.documents import settings as documents_settings
    from balai.documents.signing import remote as remote_module

    city = balai_app.ui.config.cities["malang"]
    current = city.settings["documents"]
    city.settings["documents"] = documents_settings.DocumentsSettings(
        timestamp_url=current.timestamp_url, keystore="remote", remote_url="http://sandbox.test"
    )
    transport = httpx.ASGITransport(app=sandbox.app())
    original = remote_module.RemoteSigningClient.__init__

    def with_sandbox(self, base_url, *, transport_=None, **_):
        original(self, base_url, transport=transport)

    monkeypatch.setattr(remote_module.RemoteSigningClient, "__init__", with_sandbox)
    yield sandbox
    city.settings["documents"] = current


def test_an_official_signs_through_the_remote_service(
    client, city_run, remote_city, login_as, post_form, official
):
    issued = city_run("malang", lambda: tk.issue_document(LETTER.key, data=_data()))
    head = official(certificate=False)
    cert = remote_city.enrol("Budi Hartono", "Kepala Dinas Uji", PASSPHRASE)
    city_run(
        "malang",
        lambda: authority.record_remote_certificate(
            user_id=head.id, holder_name="Budi Hartono", position="Kepala Dinas Uji", cert=cert
        ),
    )
    page = client.get("/malang/dokumen/tanda-tangan")
    assert 'name="sandi_layanan"' in page.text
    wrong = post_form(
        "/malang/dokumen/tanda-tangan",
        {"nomor": [issued.number], "kode": _next(head, -30), "sandi_layanan": "salah"},
    )
    assert wrong.status_code == 409 and "menolak" in wrong.text
    assert _status(city_run, issued.number) == "awaiting"
    remote_city.down = True
    down = post_form(
        "/malang/dokumen/tanda-tangan",
        {"nomor": [issued.number], "kode": _next(head, 0), "sandi_layanan": PASSPHRASE},
    )
    assert down.status_code == 409 and "tidak tersedia" in down.text
    assert _status(city_run, issued.number) == "awaiting"
    remote_city.down = False
    answer = post_form(
        "/malang/dokumen/tanda-tangan",
        {"nomor": [issued.number], "kode": _next(head, 30), "sandi_layanan": PASSPHRASE},
    )
    assert answer.status_code == 303, answer.text
    assert _status(city_run, issued.number) == "signed"
    login_as("documents.records")
    pdf = client.get(f"/malang/dokumen/unduh/{issued.number}").content
    [sig] = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    names = [a["type"].native for a in sig.signer_info["unsigned_attrs"]]
    assert "signature_time_stamp_token" in names
    verdict = post_form(
        "/malang/dokumen/verifikasi", {}, files={"berkas": ("s.pdf", pdf, "application/pdf")}
    )
    assert "Utuh" in verdict.text


def _data():
    return {"name": "Siti", "purpose": "Uji", "fee": 0}


def _status(city_run, number):
    async def read():
        row = await Document.select(Document.status).where(Document.number == number).first()
        return row["status"]

    return city_run("malang", read)


def _next(head, seconds):
    from datetime import UTC, datetime, timedelta

    return head.totp.at(datetime.now(UTC) + timedelta(seconds=seconds))
