"""A mobile number proven by a one-time code, without signing in (``toolkit``).

A citizen without an account (or not signed in) may still file something
that needs a way to reach them: a complaint, say. They type their number,
get a six-digit code by text through the phone channel, and type it back.

The code machinery is :mod:`balai.auth.codes` (HMAC'd, 10 minutes, 5 tries,
throttled per number, per client address and per city per day), which keys
codes by account. So the number is attached to an account of the city: the
one that already has it, else a new account with no password (nobody can
sign in to it) whose only contact is that number. Confirming proves the
visitor holds the number, nothing more: it signs nobody in. The caller
keeps the account id to link the record and to notify the holder later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from balai.auth import codes
from balai.auth.accounts import create_user, mark_verified, normalise_phone
from balai.i18n import gettext as _
from balai.tables import User

NO_PASSWORD = "!"  # noqa: S105 (not an Argon2 hash: verify_password refuses every password)


@dataclass(frozen=True)
class PhoneConfirmation:
    """What checking a typed code found.

    Attributes:
        user_id: The account that holds the number, when the code was right.
        problem: Why not (translated), when it was not.
    """

    user_id: int | None
    problem: str = ""

    @property
    def ok(self) -> bool:
        """Whether the number is proven."""
        return self.user_id is not None


async def _holder(phone: str) -> dict | None:
    return (
        await User.select(User.id, User.is_active)
        .where((User.phone == phone) & User.deleted_at.is_null())
        .first()
    )


async def send_phone_code(request: Any, phone: str, *, name: str = "") -> bool:
    """Text a confirmation code to ``phone`` (``+628…`` or as typed).

    Makes a password-less account of the current city for the number when
    none has it (named ``name``). Returns False, sending nothing, when the
    number is not a mobile number, its account is suspended, or a limit of
    :mod:`balai.auth.codes` is reached.
    """
    number = normalise_phone(phone)
    if number is None:
        return False
    holder = await _holder(number)
    if holder is not None and not holder["is_active"]:
        return False
    user_id = holder["id"] if holder else None
    if not await codes.allowed(request, user_id, codes.Purpose.CONFIRM, number):
        return False
    if user_id is None:
        user_id = await create_user(
            name=name.strip()[:120], password="", phone=number, password_hash=NO_PASSWORD
        )
    await codes.issue(request, user_id, codes.Purpose.CONFIRM, number)
    return True


async def confirm_phone_code(request: Any, phone: str, code: str) -> PhoneConfirmation:
    """Check the code typed for ``phone``; a right one proves the number (used once)."""
    number = normalise_phone(phone)
    holder = await _holder(number) if number else None
    if holder is None:
        return PhoneConfirmation(None, codes.refusal_message(codes.Outcome.NONE))
    checked = await codes.check(request, holder["id"], codes.Purpose.CONFIRM, code)
    if checked.outcome is not codes.Outcome.OK:
        return PhoneConfirmation(None, codes.refusal_message(checked.outcome))
    if checked.address != number:
        return PhoneConfirmation(None, _("The code was sent to another number."))
    await mark_verified(holder["id"], number)
    return PhoneConfirmation(holder["id"])
