"""The local keystore: a city CA, its timestamp authority, officials' certificates, the CRL.

``balai signing init-ca`` makes the city's CA (RSA 3072, ten years) and a
timestamp-authority certificate it issues; ``balai signing issue`` gives an
official a certificate and an encrypted PKCS#12. Private keys are stored
encrypted (PKCS#8 and PKCS#12, AES-256) under passphrases derived from the
instance's secret key with HKDF, so a copy of the database alone opens
nothing. The certificate revocation list is made from the certificates
table whenever asked (served at ``/dokumen/ca/crl``) and handed to pyHanko
when signing, which embeds it (PAdES B-LT).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from balai.documents.tables import SigningAuthority, SigningCertificate
from balai.tenants import City, current_city

CA_YEARS = 10
CERT_YEARS = 2
CRL_DAYS = 7


class KeystoreError(RuntimeError):
    """The city has no CA yet, or a key could not be opened."""


def passphrase(secret_key: str, purpose: str) -> bytes:
    """A 32-byte passphrase for ``purpose`` derived from the instance secret (HKDF-SHA256)."""
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"balai.documents", info=purpose.encode()
    ).derive(secret_key.encode())
    return base64.urlsafe_b64encode(derived)


def subject_name(common: str, city: City, unit: str = "") -> x509.Name:
    """A certificate subject of the city: country, the city government, unit, common name."""
    parts = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"Pemerintah {city.name}"),
    ]
    if unit:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit[:64]))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common[:64]))
    return x509.Name(parts)


def crl_url(city: City) -> str:
    """Where the city's revocation list is published (in every certificate it issues)."""
    return city.absolute_url("/dokumen/ca/crl")


def _encrypted_key(key: rsa.RSAPrivateKey, secret: bytes) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(secret),
    ).decode()


def _pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


@dataclass(frozen=True)
class Authority:
    """The city's CA and TSA, opened (keys decrypted) for use in this process."""

    ca_cert: x509.Certificate
    ca_key: rsa.RSAPrivateKey
    tsa_cert: x509.Certificate
    tsa_key: rsa.RSAPrivateKey
    row_id: int


def issue_leaf(
    *,
    subject: x509.Name,
    public_key: rsa.RSAPublicKey,
    issuer: x509.Certificate,
    issuer_key: rsa.RSAPrivateKey,
    city: City,
    not_before: datetime,
    not_after: datetime,
    usage: ExtendedKeyUsageOID | x509.ObjectIdentifier,
) -> x509.Certificate:
    """An end-entity certificate from ``issuer`` for one ``usage``, naming the city's CRL."""
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=usage != ExtendedKeyUsageOID.TIME_STAMPING,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
        .add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        full_name=[x509.UniformResourceIdentifier(crl_url(city))],
                        relative_name=None,
                        reasons=None,
                        crl_issuer=None,
                    )
                ]
            ),
            critical=False,
        )
    )
    return builder.sign(issuer_key, hashes.SHA256())


async def init_ca(secret_key: str, *, now: datetime | None = None) -> SigningAuthority:
    """Create the current city's CA and TSA certificate (once).

    Raises:
        KeystoreError: the city has a CA already.
    """
    city = current_city()
    if await SigningAuthority.exists():
        raise KeystoreError(f"{city.slug} has a signing CA already")
    now = now or datetime.now(UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    ca_name = subject_name(f"{city.name} Root CA", city)
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa_cert = issue_leaf(
        subject=subject_name(f"{city.name} Timestamp Authority", city),
        public_key=tsa_key.public_key(),
        issuer=ca_cert,
        issuer_key=ca_key,
        city=city,
        not_before=now - timedelta(minutes=5),
        not_after=now + timedelta(days=365 * CA_YEARS - 1),
        usage=ExtendedKeyUsageOID.TIME_STAMPING,
    )
    row = SigningAuthority(
        ca_cert_pem=_pem(ca_cert),
        ca_key_pem=_encrypted_key(ca_key, passphrase(secret_key, f"ca.{city.slug}")),
        tsa_cert_pem=_pem(tsa_cert),
        tsa_key_pem=_encrypted_key(tsa_key, passphrase(secret_key, f"tsa.{city.slug}")),
        created_at=now,
    )
    await row.save()
    return row


async def open_authority(secret_key: str) -> Authority:
    """The current city's CA and TSA with their keys decrypted.

    Raises:
        KeystoreError: no CA yet (run ``balai signing init-ca``), or the keys
            do not open with this instance's secret.
    """
    city = current_city()
    row = await SigningAuthority.select().first()
    if row is None:
        raise KeystoreError(f"{city.slug} has no signing CA: run 'balai signing init-ca'")
    try:
        ca_key = serialization.load_pem_private_key(
            row["ca_key_pem"].encode(), passphrase(secret_key, f"ca.{city.slug}")
        )
        tsa_key = serialization.load_pem_private_key(
            row["tsa_key_pem"].encode(), passphrase(secret_key, f"tsa.{city.slug}")
        )
    except ValueError as exc:
        raise KeystoreError("the CA's keys do not open with this instance's secret") from exc
    assert isinstance(ca_key, rsa.RSAPrivateKey) and isinstance(tsa_key, rsa.RSAPrivateKey)
    return Authority(
        ca_cert=x509.load_pem_x509_certificate(row["ca_cert_pem"].encode()),
        ca_key=ca_key,
        tsa_cert=x509.load_pem_x509_certificate(row["tsa_cert_pem"].encode()),
        tsa_key=tsa_key,
        row_id=row["id"],
    )


async def ca_certificate() -> x509.Certificate | None:
    """The current city's CA certificate (public; ``None`` before ``init-ca``)."""
    row = await SigningAuthority.select(SigningAuthority.ca_cert_pem).first()
    return x509.load_pem_x509_certificate(row["ca_cert_pem"].encode()) if row else None


async def issue_certificate(
    secret_key: str,
    *,
    user_id: int,
    holder_name: str,
    position: str,
    years: int = CERT_YEARS,
    now: datetime | None = None,
) -> SigningCertificate:
    """Give an official of the current city a signing certificate and an encrypted PKCS#12.

    Raises:
        KeystoreError: the city has no CA.
    """
    city = current_city()
    authority = await open_authority(secret_key)
    now = now or datetime.now(UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    not_after = now + timedelta(days=365 * years)
    cert = issue_leaf(
        subject=subject_name(holder_name, city, position),
        public_key=key.public_key(),
        issuer=authority.ca_cert,
        issuer_key=authority.ca_key,
        city=city,
        not_before=now - timedelta(minutes=5),
        not_after=not_after,
        usage=x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36"),  # id-kp-documentSigning
    )
    serial = format(cert.serial_number, "x")
    bundle = pkcs12.serialize_key_and_certificates(
        holder_name.encode(),
        key,
        cert,
        [authority.ca_cert],
        serialization.BestAvailableEncryption(passphrase(secret_key, p12_purpose(city, serial))),
    )
    row = SigningCertificate(
        user_id=user_id,
        serial=serial,
        holder_name=holder_name,
        position=position,
        cert_pem=_pem(cert),
        pkcs12=base64.b64encode(bundle).decode(),
        not_before=now - timedelta(minutes=5),
        not_after=not_after,
        created_at=now,
    )
    await row.save()
    return row


async def record_remote_certificate(
    *, user_id: int, holder_name: str, position: str, cert: x509.Certificate
) -> SigningCertificate:
    """Record a certificate whose key the remote signing service keeps (no PKCS#12 here)."""
    row = SigningCertificate(
        user_id=user_id,
        serial=format(cert.serial_number, "x"),
        holder_name=holder_name,
        position=position,
        cert_pem=_pem(cert),
        pkcs12="",
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        created_at=datetime.now(UTC),
    )
    await row.save()
    return row


def p12_purpose(city: City, serial: str) -> str:
    """The HKDF purpose of one official's PKCS#12 passphrase."""
    return f"p12.{city.slug}.{serial}"


async def revoke(serial: str, *, now: datetime | None = None) -> bool:
    """Revoke a certificate of the current city; whether it was valid until now."""
    changed = (
        await SigningCertificate.update({SigningCertificate.revoked_at: now or datetime.now(UTC)})
        .where((SigningCertificate.serial == serial) & SigningCertificate.revoked_at.is_null())
        .returning(SigningCertificate.id)
    )
    return bool(changed)


async def current_crl(
    secret_key: str, *, now: datetime | None = None
) -> x509.CertificateRevocationList:
    """The city's certificate revocation list as of now, signed by its CA.

    Its number is the time it was made (seconds), so later lists have larger numbers.
    """
    authority = await open_authority(secret_key)
    now = now or datetime.now(UTC)
    revoked = await SigningCertificate.select(
        SigningCertificate.serial, SigningCertificate.revoked_at
    ).where(SigningCertificate.revoked_at.is_not_null())
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(authority.ca_cert.subject)
        .last_update(now - timedelta(minutes=1))
        .next_update(now + timedelta(days=CRL_DAYS))
        .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.ca_key.public_key()),
            critical=False,
        )
    )
    for entry in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(int(entry["serial"], 16))
            .revocation_date(entry["revoked_at"])
            .build()
        )
    return builder.sign(authority.ca_key, hashes.SHA256())


async def valid_certificate(user_id: int, *, now: datetime | None = None) -> dict | None:
    """The official's newest certificate that is neither revoked nor expired, if any."""
    now = now or datetime.now(UTC)
    return (
        await SigningCertificate.select()
        .where(
            (SigningCertificate.user_id == user_id)
            & SigningCertificate.revoked_at.is_null()
            & (SigningCertificate.not_after > now)
            & (SigningCertificate.not_before <= now)
        )
        .order_by(SigningCertificate.not_after, ascending=False)
        .first()
    )
