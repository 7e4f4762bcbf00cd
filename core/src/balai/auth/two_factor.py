"""Two-step sign-in: time-based one-time passwords (TOTP, RFC 6238) and recovery codes.

Any authenticator app (Google Authenticator, Microsoft Authenticator,
Aegis, FreeOTP...) reads the QR code or the key. The codes are computed by
``pyotp``; a code is accepted for the current 30-second step and one step
either side (clocks drift), and never twice: the last accepted step is kept
on the account. Ten recovery codes, shown once at enrolment and stored as
HMACs under the instance's secret key, each replace a code once when the
phone is lost; an administrator can also reset an officer's second factor.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import UTC, datetime

import pyotp

from balai.payments.qris import qr_svg
from balai.tables import RecoveryCode, User
from balai.tenants import current_city

STEP = 30
RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_secret() -> str:
    """A fresh base32 key for an authenticator app."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, login: str) -> str:
    """The ``otpauth://`` address the QR code carries."""
    issuer = current_city().name
    return pyotp.TOTP(secret).provisioning_uri(name=login, issuer_name=issuer)


def qr_code(secret: str, login: str) -> str:
    """The provisioning address as an inline SVG QR code."""
    return qr_svg(provisioning_uri(secret, login), title="TOTP")


def spaced(secret: str) -> str:
    """The key in groups of four, as people type it into an app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def matching_step(secret: str, code: str, after_step: int, now: float | None = None) -> int | None:
    """The time step of ``code`` (now or one step either side), if later than ``after_step``."""
    code = "".join(code.split())
    if not (len(code) == 6 and code.isdigit()) or not secret:
        return None
    totp = pyotp.TOTP(secret)
    current = int((time.time() if now is None else now) // STEP)
    for step in (current - 1, current, current + 1):
        if step > after_step and hmac.compare_digest(totp.at(step * STEP), code):
            return step
    return None


async def check_code(user_id: int, code: str) -> bool:
    """Accept an authenticator code of the account once; remembers its step against reuse."""
    row = await User.select(User.totp_secret, User.totp_last_step).where(User.id == user_id).first()
    if row is None:
        return False
    step = matching_step(row["totp_secret"], code, row["totp_last_step"])
    if step is None:
        return False
    claimed = (
        await User.update({User.totp_last_step: step})
        .where((User.id == user_id) & (User.totp_last_step < step))
        .returning(User.id)
    )
    return bool(claimed)


def _digest(secret_key: str, user_id: int, code: str) -> str:
    message = f"{current_city().slug}:{user_id}:recovery:{code}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def _recovery_code() -> str:
    letters = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"{letters[:5]}-{letters[5:]}"


async def enable(user_id: int, secret: str, step: int, secret_key: str) -> list[str]:
    """Turn two-step sign-in on with ``secret``; returns the new recovery codes (shown once)."""
    fresh = [_recovery_code() for _ in range(RECOVERY_CODES)]
    async with User._meta.db.transaction():
        await User.update(
            {
                User.totp_secret: secret,
                User.totp_enabled_at: datetime.now(UTC),
                User.totp_last_step: step,
            }
        ).where(User.id == user_id)
        await RecoveryCode.delete().where(RecoveryCode.user == user_id)
        await RecoveryCode.insert(
            *[RecoveryCode(user=user_id, code_hash=_digest(secret_key, user_id, c)) for c in fresh]
        )
    return fresh


async def disable(user_id: int) -> None:
    """Turn two-step sign-in off (the holder, or an administrator's reset)."""
    async with User._meta.db.transaction():
        await User.update(
            {User.totp_secret: "", User.totp_enabled_at: None, User.totp_last_step: 0}
        ).where(User.id == user_id)
        await RecoveryCode.delete().where(RecoveryCode.user == user_id)


async def use_recovery_code(user_id: int, code: str, secret_key: str) -> bool:
    """Accept one unused recovery code of the account, once."""
    cleaned = "".join(code.split()).lower()
    if len(cleaned) != 11:
        return False
    used = (
        await RecoveryCode.update({RecoveryCode.used_at: datetime.now(UTC)})
        .where(
            (RecoveryCode.user == user_id)
            & (RecoveryCode.code_hash == _digest(secret_key, user_id, cleaned))
            & RecoveryCode.used_at.is_null()
        )
        .returning(RecoveryCode.id)
    )
    return bool(used)


async def recovery_codes_left(user_id: int) -> int:
    """How many recovery codes the account has not used."""
    return await RecoveryCode.count().where(
        (RecoveryCode.user == user_id) & RecoveryCode.used_at.is_null()
    )
