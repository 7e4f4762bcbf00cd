"""The demo's signing: each city's CA, certificates for the role accounts, its own TSA."""

from __future__ import annotations

import asyncio

import pyotp
from balai.auth import two_factor
from balai.auth.accounts import create_user
from balai.documents.demo_signing import demo_timestamps, prepare_city, prepare_signing
from balai.documents.signing import authority
from balai.documents.tables import SigningCertificate
from balai.testing import DEFAULT_PASSWORD
from documents_support import HEAD, secret_key
from test_documents_signing import QUEUE, document, issue, sign


def make_head(city_run, city="malang"):
    async def create():
        return await create_user(
            name="Kepala Dinas Uji",
            email=f"{HEAD}@{city}.test",
            password=DEFAULT_PASSWORD,
            roles=(HEAD,),
            verified=True,
        )

    return city_run(city, create)


def certificates(city_run, city="malang"):
    async def read():
        return await SigningCertificate.select(SigningCertificate.serial)

    return [row["serial"] for row in city_run(city, read)]


def test_each_city_gets_a_ca_and_its_role_accounts_a_certificate_once(balai_app, city_run):
    head_id = make_head(city_run)
    said: list[str] = []

    stampers = asyncio.run(prepare_signing(balai_app, said.append))

    assert sorted(stampers) == ["malang", "semarang"]  # both enable the signed letter
    assert city_run("malang", authority.valid_certificate, head_id) is not None
    assert len(certificates(city_run)) == 1
    assert certificates(city_run, "semarang") == []  # no surat.head account there
    assert any("surat.head" in line for line in said)

    again: list[str] = []
    asyncio.run(prepare_signing(balai_app, again.append))
    assert again == [] and len(certificates(city_run)) == 1  # a second start makes nothing


def test_a_city_without_signed_document_types_gets_no_ca(balai_app, city_run):
    stampers = asyncio.run(prepare_signing(balai_app, lambda _line: None))
    assert "yogyakarta" not in stampers
    assert city_run("malang", authority.ca_certificate) is not None


def test_the_file_keeps_its_own_timestamp_url(balai_config):
    config = demo_timestamps(balai_config, "http://127.0.0.1:1")
    assert all(  # the test file sets the URL of its own TSA: it stays
        settings["documents"]["timestamp_url"] != "http://127.0.0.1:1"
        for settings in config.raw_settings.values()
    )
    bare = demo_timestamps(
        type(balai_config)(**{**balai_config.__dict__, "raw_settings": {}}), "http://t:1"
    )
    assert {s["documents"]["timestamp_url"] for s in bare.raw_settings.values()} == {"http://t:1"}


def test_the_demo_official_signs_with_the_demo_keys_and_timestamps(
    balai_app, city_run, client, post_form, tsa_server
):
    head_id = make_head(city_run)
    malang = balai_app.ui.config.cities["malang"]  # on the client's loop (one pool on PostgreSQL)
    stamper = city_run("malang", prepare_city, secret_key(balai_app), malang, lambda _line: None)
    tsa_server.stampers["malang"] = stamper
    issued = issue(city_run)
    assert (
        post_form(
            "/malang/masuk",
            {"login": f"{HEAD}@malang.test", "password": DEFAULT_PASSWORD, "next": ""},
        ).status_code
        == 303
    )
    totp = pyotp.TOTP(pyotp.random_base32())  # enrolled once signed in, as on the account page
    city_run("malang", two_factor.enable, head_id, totp.secret, 0, secret_key(balai_app))

    assert issued.number in client.get(QUEUE).text
    assert sign(post_form, [issued.number], totp.now()).status_code == 303
    row = document(city_run, issued.number)
    assert row["status"] == "signed" and row["signed_by_id"] == head_id
