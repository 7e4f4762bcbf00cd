"""Where an official's signing key is: the adapter point between the queue and the key.

The **local keystore** opens the official's encrypted PKCS#12 from the
certificates table (development, the demo, tests). The remote adapter
(:mod:`balai.documents.signing.remote`) sends only a digest to a remote
signing service and gets a CMS signature back; the key never reaches the
platform.
"""

from __future__ import annotations

import base64
from typing import Any, Protocol

from pyhanko.sign import signers

from balai.documents.signing.authority import p12_purpose, passphrase
from balai.tenants import current_city


class Keystore(Protocol):
    """Gives the pyHanko signer for an official's certificate row."""

    async def signer_for(self, certificate: dict[str, Any], credentials: str) -> signers.Signer:
        """The signer that signs with the key of ``certificate``.

        ``credentials`` is what the official gave for the remote service
        (unused by the local keystore: its PKCS#12 opens with the instance secret).
        """
        ...


class LocalKeystore:
    """Signs with the official's PKCS#12 stored (encrypted) in the certificates table."""

    def __init__(self, secret_key: str) -> None:
        self.secret_key = secret_key

    async def signer_for(self, certificate: dict[str, Any], credentials: str) -> signers.Signer:
        """Open the PKCS#12 of ``certificate`` with its derived passphrase.

        Raises:
            ValueError: the bundle does not open (another instance's secret).
        """
        secret = passphrase(self.secret_key, p12_purpose(current_city(), certificate["serial"]))
        return signers.SimpleSigner.load_pkcs12_data(
            base64.b64decode(certificate["pkcs12"]), other_certs=[], passphrase=secret
        )
