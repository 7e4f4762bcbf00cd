"""The signing queue: what an official must sign, and signing it after a fresh second factor.

A signature binds the official personally, so every signing request (one
document or a batch) carries a fresh authenticator code (or a recovery
code), checked at that moment; a code is accepted once. Then each document
is checked again (this city's, awaiting, of a role the official holds),
signed with the official's valid certificate, stored and audited. A
document signed meanwhile by someone else is not signed twice: the row only
changes from ``awaiting``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pyhanko.sign.general import SigningError
from pyhanko_certvalidator.errors import PathValidationError

from balai.audit.log import record as audit_record
from balai.auth import two_factor
from balai.auth.access import CurrentUser
from balai.documents import service
from balai.documents.settings import DocumentsSettings
from balai.documents.signing import authority, pades
from balai.documents.signing.keystore import Keystore
from balai.documents.signing.remote import RemoteRefused, RemoteUnavailable
from balai.documents.tables import Document
from balai.documents.types import DocumentStatus
from balai.files import service as files
from balai.files.types import Visibility
from balai.i18n import format_when, translate
from balai.i18n import gettext as _
from balai.tables import User
from balai.tenants import current_city

log = logging.getLogger("balai.documents")
MAX_BATCH = 500


class SigningRefused(Exception):
    """Nothing was signed; ``message`` says why (translated)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(f"{reason}: {message}")
        self.message = message
        self.reason = reason


@dataclass(frozen=True)
class Outcome:
    """What became of one document of a signing request."""

    number: str
    signed: bool
    message: str = ""
    stop: bool = False


def _remote_refusal(code: str) -> str:
    if code == "WRONG_PASSPHRASE":
        return _("The signing service refused the passphrase.")
    if code == "LOCKED":
        return _("The signing service locked your certificate after wrong passphrases.")
    if code == "CERTIFICATE_REVOKED":
        return _("The signing service says your certificate is revoked.")
    return _("The signing service refused to sign (%(code)s).", code=code)


async def awaiting(user: CurrentUser, limit: int = MAX_BATCH) -> list[dict[str, Any]]:
    """The current city's documents waiting for a signature of a role ``user`` holds."""
    if not user.roles:
        return []
    return (
        await Document.select()
        .where(
            (Document.status == DocumentStatus.AWAITING.value)
            & Document.signer_role.is_in(sorted(user.roles))
        )
        .order_by(Document.issued_at)
        .limit(limit)
    )


def settings() -> DocumentsSettings:
    """The current city's documents settings."""
    found = current_city().settings_for("documents")
    return found if isinstance(found, DocumentsSettings) else DocumentsSettings()


async def check_second_factor(user: CurrentUser, code: str, secret_key: str) -> None:
    """Accept a fresh authenticator (or recovery) code of ``user``, once.

    Raises:
        SigningRefused: no authenticator enrolled, or a wrong or reused code.
    """
    row = await User.select(User.totp_secret).where(User.id == user.id).first()
    if row is None or not row["totp_secret"]:
        raise SigningRefused(
            _("Set up two-step sign-in (an authenticator app) before signing documents."),
            "no_second_factor",
        )
    code = (code or "").strip()[:32]
    if not code:
        raise SigningRefused(_("Enter the code from your authenticator app."), "no_code")
    if await two_factor.check_code(user.id, code):
        return
    if await two_factor.use_recovery_code(user.id, code, secret_key):
        return
    raise SigningRefused(_("The code is wrong or was already used."), "wrong_code")


async def sign_documents(
    *,
    user: CurrentUser,
    numbers: list[str],
    code: str,
    keystore: Keystore,
    secret_key: str,
    credentials: str = "",
    request: Any = None,
) -> list[Outcome]:
    """Sign the documents ``numbers`` as ``user`` after checking ``code``.

    Raises:
        SigningRefused: no documents chosen, the second factor failed, or the
            official has no valid certificate (none, revoked, expired).
            Nothing is signed then.
    """
    if not numbers or len(numbers) > MAX_BATCH:
        raise SigningRefused(_("Choose the documents to sign."), "no_documents")
    try:
        await check_second_factor(user, code, secret_key)
    except SigningRefused as refused:
        await audit_record(
            "documents.sign_refused",
            actor_id=user.id,
            request=request,
            subject=f"documents:{len(numbers)}",
            detail={"reason": refused.reason},
        )
        raise
    return await sign_after_second_factor(
        user=user,
        numbers=numbers,
        keystore=keystore,
        secret_key=secret_key,
        credentials=credentials,
        request=request,
    )


async def sign_after_second_factor(
    *,
    user: CurrentUser,
    numbers: list[str],
    keystore: Keystore,
    secret_key: str,
    credentials: str = "",
    request: Any = None,
) -> list[Outcome]:
    """Sign ``numbers`` as ``user``, whose second factor was checked for this request.

    The yearly batch bench calls it directly; pages go through :func:`sign_documents`.

    Raises:
        SigningRefused: the official has no valid certificate (none, revoked, expired).
    """
    certificate = await authority.valid_certificate(user.id)
    if certificate is None:
        await audit_record(
            "documents.sign_refused",
            actor_id=user.id,
            request=request,
            detail={"reason": "no_valid_certificate"},
        )
        raise SigningRefused(
            _("You have no valid signing certificate (none, revoked or expired)."),
            "no_valid_certificate",
        )
    city = current_city()
    opened = await authority.open_authority(secret_key)
    crl = await authority.current_crl(secret_key)
    context = pades.validation_context(opened.ca_cert, crl, [opened.tsa_cert])
    stamper = pades.timestamper(f"{settings().timestamp_url.rstrip('/')}/{city.slug}")
    signer = await keystore.signer_for(certificate, credentials)
    outcomes: list[Outcome] = []
    stopped: Outcome | None = None
    for number in dict.fromkeys(numbers):
        if stopped is not None:  # the service refused the official: do not try again
            outcomes.append(Outcome(number, False, stopped.message))
            continue
        outcome = await _sign_one(
            number,
            user=user,
            certificate=certificate,
            signer=signer,
            context=context,
            stamper=stamper,
            request=request,
        )
        outcomes.append(outcome)
        if outcome.stop:
            stopped = outcome
    return outcomes


async def _sign_one(
    typed: str,
    *,
    user: CurrentUser,
    certificate: dict[str, Any],
    signer: Any,
    context: Any,
    stamper: Any,
    request: Any,
) -> Outcome:
    parsed = service.active().catalog.parse_number(typed)
    row = await service.find(parsed[1]) if parsed else None
    if row is None:
        return Outcome(typed[:40], False, _("No such document in this city."))
    number = row["number"]
    if row["status"] != DocumentStatus.AWAITING.value:
        return Outcome(number, False, _("This document is already signed."))
    if row["signer_role"] not in user.roles:
        return Outcome(number, False, _("Your roles do not include signing this document."))
    unsigned = await files.read_bytes(row["unsigned_token"])
    if unsigned is None:
        return Outcome(number, False, _("The document's file is missing."))
    city = current_city()
    now = datetime.now(UTC)
    request_ = pades.SignatureRequest(
        pdf=unsigned,
        page=row["sig_page"],
        box=tuple(int(v) for v in row["sig_box"].split(",")),  # type: ignore[arg-type]
        stamp_text=_(
            "Signed electronically by\n%(name)s\n%(position)s\n%(when)s",
            name=certificate["holder_name"],
            position=row["signer_position"] or certificate["position"],
            when=format_when(now, city.tz),
        ),
        reason=translate(row["title"]),
        location=city.name,
    )
    try:
        signed = await pades.sign_pdf(request_, signer, context=context, stamper=stamper)
    except RemoteRefused as refused:
        await audit_record(
            "documents.sign_refused",
            actor_id=user.id,
            request=request,
            subject=f"document:{number}",
            detail={"reason": f"remote:{refused.code}"},
        )
        return Outcome(number, False, _remote_refusal(refused.code), stop=True)
    except RemoteUnavailable:
        await audit_record(
            "documents.sign_failed",
            actor_id=user.id,
            request=request,
            subject=f"document:{number}",
            detail={"error": "remote_unavailable"},
        )
        return Outcome(
            number,
            False,
            _("The signing service is not available; nothing was signed. Try again later."),
            stop=True,
        )
    except (SigningError, PathValidationError, OSError) as exc:
        log.warning("signing %s failed: %s", number, exc)
        await audit_record(
            "documents.sign_failed",
            actor_id=user.id,
            request=request,
            subject=f"document:{number}",
            detail={"error": type(exc).__name__},
        )
        return Outcome(number, False, _("The signature could not be made; try again later."))
    stored = await files.save_generated(
        signed, name=f"{number}.pdf", owner_id=None, visibility=Visibility.OFFICER
    )
    changed = (
        await Document.update(
            {
                Document.status: DocumentStatus.SIGNED.value,
                Document.file_token: stored.id,
                Document.sha256: stored.sha256,
                Document.signed_at: now,
                Document.signed_by_id: user.id,
                Document.signer_name: certificate["holder_name"],
                Document.signer_serial: certificate["serial"],
            }
        )
        .where((Document.id == row["id"]) & (Document.status == DocumentStatus.AWAITING.value))
        .returning(Document.id)
    )
    if not changed:
        await files.delete_file(stored.id)
        return Outcome(number, False, _("This document is already signed."))
    await audit_record(
        "documents.signed",
        actor_id=user.id,
        request=request,
        subject=f"document:{number}",
        detail={"certificate": certificate["serial"], "sha256": stored.sha256},
    )
    return Outcome(number, True)
