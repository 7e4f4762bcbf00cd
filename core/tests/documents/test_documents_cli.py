"""``balai signing``: init-ca once, issue an official's certificate, revoke it; the TSA command."""

from __future__ import annotations

import asyncio

import balai.asgi
import pytest
from balai.asgi import connected
from balai.auth.accounts import create_user
from balai.cli import main
from balai.documents.signing import authority
from balai.documents.tables import SigningAuthority, SigningCertificate
from balai.tenants import city_scope
from balai.testing import write_config
from click.testing import CliRunner

LOGIN = "kepala@contoh.id"


@pytest.fixture
def config_file(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("LANG", "C")
    write_config(tmp_path / "instance", {"malang": [], "semarang": []})
    path = tmp_path / "instance" / "balai.toml"
    assert CliRunner().invoke(main, ["migrate", "--config", str(path)]).exit_code == 0
    return path


def in_city(config_file, fn, city="malang"):
    app = balai.asgi.build_admin_app(config_file)

    async def run():
        async with connected(app):
            with city_scope(app.ui.config.cities[city]):
                return await fn(app)

    return asyncio.run(run())


def signing(config_file, *args):
    return CliRunner().invoke(main, ["signing", *args, "--config", str(config_file)])


def test_init_ca_issue_and_revoke(config_file):
    first = signing(config_file, "init-ca", "--city", "malang")
    assert first.exit_code == 0, first.output
    again = signing(config_file, "init-ca", "--city", "malang")
    assert again.exit_code != 0 and "already" in again.output
    assert signing(config_file, "init-ca", "--city", "jakarta").exit_code != 0

    async def rows(app):
        return await SigningAuthority.select()

    [ca] = in_city(config_file, rows)
    assert "ENCRYPTED PRIVATE KEY" in ca["ca_key_pem"] and "ENCRYPTED" in ca["tsa_key_pem"]
    assert in_city(config_file, rows, "semarang") == []

    unknown = signing(
        config_file, "issue", "--city", "malang", "--login", LOGIN, "--position", "Kepala"
    )
    assert unknown.exit_code != 0

    async def official(app):
        return await create_user(name="Dra. Hartini", password="kata-sandi-uji-123", email=LOGIN)

    user_id = in_city(config_file, official)
    issued = signing(
        config_file, "issue", "--city", "malang", "--login", LOGIN, "--position", "Kepala Bapenda"
    )
    assert issued.exit_code == 0, issued.output

    async def certificate(app):
        return await authority.valid_certificate(user_id)

    cert = in_city(config_file, certificate)
    assert cert["holder_name"] == "Dra. Hartini" and cert["pkcs12"]
    revoked = signing(config_file, "revoke", "--city", "malang", "--serial", cert["serial"])
    assert revoked.exit_code == 0, revoked.output
    assert in_city(config_file, certificate) is None
    assert signing(config_file, "revoke", "--city", "malang", "--serial", cert["serial"]).exit_code

    async def count(app):
        return await SigningCertificate.count()

    assert in_city(config_file, count) == 1


def test_the_keys_do_not_open_with_another_secret(config_file):
    assert signing(config_file, "init-ca", "--city", "malang").exit_code == 0

    async def open_with_other(app):
        with pytest.raises(authority.KeystoreError):
            await authority.open_authority("another instance's secret key, long enough")
        return True

    assert in_city(config_file, open_with_other)


def test_the_tsa_command_needs_a_ca(config_file):
    result = signing(config_file, "tsa", "--port", "18318")
    assert result.exit_code != 0 and "init-ca" in result.output
