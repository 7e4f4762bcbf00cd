"""The documents service's tables (Piccolo app ``documents``)."""

from __future__ import annotations

from piccolo.columns import Integer, Text, Timestamptz, Varchar

from balai.db.tables import CityTable


class Document(CityTable, tablename="balai_documents_document"):
    """An official document of one city, issued by a plugin.

    ``file_token`` names the PDF in the files service (the signed one once
    signed; ``unsigned_token`` keeps the rendered original). ``data`` is the
    JSON the plugin gave, kept so the document can be shown again.
    ``reference`` is the plugin's own key for it (an invoice number), which
    makes issuing the same document twice return the first.
    ``sig_page`` and ``sig_box`` (``x1,y1,x2,y2`` in PDF points) place the
    visible signature block the renderer left free.
    """

    number = Varchar(length=40)
    type_key = Varchar(length=60, index=True)
    reference = Varchar(length=80, default="")
    title = Varchar(length=200)
    subject_id = Integer(null=True, default=None, index=True)
    status = Varchar(length=10, index=True)
    signer_role = Varchar(length=60, default="")
    data = Text(default="{}")
    file_token = Varchar(length=43)
    sha256 = Varchar(length=64, index=True)
    unsigned_token = Varchar(length=43, default="")
    sig_page = Integer(default=0)
    sig_box = Varchar(length=60, default="")
    issued_at = Timestamptz()
    retain_until = Timestamptz()
    signed_at = Timestamptz(null=True, default=None)
    signed_by_id = Integer(null=True, default=None)
    signer_name = Varchar(length=120, default="")
    signer_position = Varchar(length=200, default="")
    signer_serial = Varchar(length=48, default="")

    city_unique = (("number",),)
    city_indexes = (("status", "signer_role"), ("type_key", "reference"))


class SigningAuthority(CityTable, tablename="balai_documents_authority"):
    """The city's own certification authority and timestamp authority (the local keystore).

    Keys are PKCS#8 PEM encrypted with a key derived from the instance's
    secret (``balai signing init-ca`` makes them).
    """

    ca_cert_pem = Text()
    ca_key_pem = Text()
    tsa_cert_pem = Text()
    tsa_key_pem = Text()
    created_at = Timestamptz()


class SigningCertificate(CityTable, tablename="balai_documents_certificate"):
    """An official's signing certificate and, in the local keystore, their encrypted PKCS#12."""

    user_id = Integer(index=True)
    serial = Varchar(length=48)
    holder_name = Varchar(length=120)
    position = Varchar(length=200, default="")
    cert_pem = Text()
    pkcs12 = Text(default="")
    not_before = Timestamptz()
    not_after = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()

    city_unique = (("serial",),)
