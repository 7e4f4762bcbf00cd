"""A test plugin ``surat`` that declares a signed letter, and the signing fixtures.

``surat`` declares one document type (``surat.keterangan``, signed by the role
``surat.head``) whose template lives in ``templates/surat/`` beside this module. The
fixtures start the city's real RFC 3161 timestamp authority on loopback and
make the city CA, an official with the role, an authenticator and a certificate.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyotp
import pytest
from balai import toolkit as tk
from balai.auth import two_factor
from balai.config import Config
from balai.documents.signing import authority
from balai.documents.signing.tsa import CityStamper, TimestampServer
from balai.testing import TestDatabases, build_app, write_config
from test_platform_uji_plugin import SLUG as UJI
from test_platform_uji_plugin import uji_registry

SLUG = "surat"
HEAD = "surat.head"
LETTER = tk.DocumentType(
    key="surat.keterangan",
    title="Certificate letter",
    template="surat/documents/keterangan.html",
    numbering=tk.ReferenceFormat("SKET"),
    required_data=("name", "purpose", "fee"),
    signer_role=HEAD,
    signer_position="Kepala Dinas Uji",
    department="Dinas Uji Coba",
)


class SuratPlugin:
    """The test plugin: a role and a document type."""

    @tk.hookimpl
    def plugin_info(self) -> tk.PluginInfo:
        return tk.PluginInfo(
            slug=SLUG, title="Surat", dimension=tk.Dimension.GOVERNANCE, version="0.1", path="surat"
        )

    @tk.hookimpl
    def permissions(self) -> list[tk.Permission]:
        return [tk.Permission("surat.sign", "Sign letters")]

    @tk.hookimpl
    def roles(self) -> list[tk.Role]:
        return [tk.Role(HEAD, "Head of the test office", ("surat.sign",))]

    @tk.hookimpl
    def document_types(self) -> list[tk.DocumentType]:
        return [LETTER]

    @tk.hookimpl
    async def seed_demo(self, city: tk.City) -> tk.DemoReport:
        """Two letters per city, one of them the demo citizen's (for the conformance suite)."""
        citizen = await tk.demo_user(f"warga@{city.slug}.test", f"Warga {city.name}")
        for name, subject_id in ((f"Siti {city.name}", citizen.id), (f"Budi {city.name}", None)):
            data = {"name": name, "purpose": f"Keterangan {city.slug}", "fee": 0}
            await tk.issue_document(LETTER.key, data=data, subject_id=subject_id)
        return tk.DemoReport(summary=["surat: 2 letters awaiting signature"])


def surat_registry() -> Any:
    registry = uji_registry()
    registry.register(SuratPlugin(), SLUG)
    return registry


@pytest.fixture(scope="module")
def tsa_server() -> Iterator[TimestampServer]:
    server = TimestampServer({}).start()
    yield server
    server.stop()


@pytest.fixture
def balai_cities() -> dict[str, list[str]]:
    return {"malang": [UJI, SLUG], "semarang": [SLUG]}


@pytest.fixture
def balai_config(tmp_path: Path, balai_cities: dict, tsa_server: TimestampServer) -> Config:
    settings = {"settings": {"documents": {"timestamp_url": tsa_server.url}}}
    return write_config(
        tmp_path / "instance", balai_cities, city_options={c: settings for c in balai_cities}
    )


@pytest.fixture
def balai_app(
    balai_config: Config,
    balai_database_url: str,
    balai_test_databases: TestDatabases,
    balai_fast_passwords: None,
) -> Any:
    return build_app(
        balai_config,
        balai_test_databases,
        database_url=balai_database_url,
        registry=surat_registry(),
    )


def secret_key(app: Any) -> str:
    return app.ui.config.secret_key


@pytest.fixture
def city_ca(balai_app: Any, city_run: Any, tsa_server: TimestampServer):
    """Make a city's CA and serve its timestamp authority: ``city_ca("malang")``."""

    def make(city: str = "malang") -> None:
        async def run() -> Any:
            await authority.init_ca(secret_key(balai_app))
            return await authority.open_authority(secret_key(balai_app))

        tsa_server.stampers[city] = CityStamper.of(city_run(city, run))

    return make


@dataclass
class Official:
    id: int
    login: str
    totp: pyotp.TOTP
    serial: str = ""

    def code(self) -> str:
        return self.totp.now()


@pytest.fixture
def official(balai_app: Any, city_run: Any, login_as: Any, city_ca: Any):
    """Log in as an official holding ``role`` with an authenticator and (if asked) a certificate."""

    def make(
        role: str = HEAD,
        *,
        city: str = "malang",
        totp: bool = True,
        certificate: bool = True,
        name: str = "Budi Hartono",
    ) -> Official:
        account = login_as(role, city, name=name)
        secret = pyotp.random_base32()
        if totp:
            city_run(city, two_factor.enable, account["id"], secret, 0, secret_key(balai_app))
        found = Official(account["id"], account["login"], pyotp.TOTP(secret))
        if certificate:

            async def issue() -> Any:
                return await authority.issue_certificate(
                    secret_key(balai_app),
                    user_id=account["id"],
                    holder_name=name,
                    position="Kepala Dinas Uji",
                )

            found.serial = city_run(city, issue).serial
        return found

    return make
