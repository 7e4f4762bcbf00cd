"""People for officers: an account looked up by login, the people a record concerns.

An officer holding a plugin's permission may see the name and contact (e-mail,
phone) of the citizens their records concern, and look up an account by the
e-mail or phone it logs in with (to link a record to it). Every person shown
is a view of personal data: one audit entry per person, naming the officer,
the record (``subject``) and the permission used, which the citizen sees on
their "who viewed my data" page (``/audit/data-saya``).

A person of another city is never found (accounts are city rows).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from litestar.exceptions import PermissionDeniedException

from balai.audit.log import record
from balai.auth.access import current_user
from balai.auth.accounts import normalise_email, normalise_phone
from balai.tables import User

VIEWED = "person_viewed"
LOOKED_UP = "person_looked_up"


@dataclass(frozen=True)
class Person:
    """A citizen's name and contact, as an officer may see them.

    Attributes:
        id: The account's id (what records keep, e.g. ``owner_id``).
        name: The name the account was registered with.
        email: The e-mail address, if the account has one.
        phone: The phone number (``08…``), if the account has one.
        is_active: Whether the account may log in.
    """

    id: int
    name: str
    email: str | None
    phone: str | None
    is_active: bool

    @property
    def login(self) -> str:
        """The e-mail, or the phone when there is no e-mail."""
        return self.email or self.phone or ""


_COLUMNS = (User.id, User.name, User.email, User.phone, User.is_active)


def _person(row: dict[str, Any]) -> Person:
    return Person(row["id"], row["name"], row["email"], row["phone"], row["is_active"])


async def _officer(request: Any, permission: str) -> Any:
    user = await current_user(request)
    if user is None or not user.can(permission):
        raise PermissionDeniedException(f"{permission} is needed to see personal data")
    return user


async def _audit(
    request: Any, officer: Any, action: str, person: Person, subject: str, permission: str
) -> None:
    plugin = permission.split(".", 1)[0]
    await record(
        f"{plugin}.{action}",
        actor_id=officer.id,
        request=request,
        subject=subject or f"user:{person.id}",
        detail={"permission": permission},
        personal_data_of=person.id,
    )


async def people(
    request: Any, user_ids: Iterable[int | None], *, permission: str, subject: str
) -> dict[int, Person]:
    """The name and contact of each account in ``user_ids`` (absent ids left out), audited.

    Args:
        request: The officer's request.
        user_ids: Account ids from the officer's records (``None`` is skipped).
        permission: The plugin permission that lets the officer see them
            (``pajak.manage``); the audit action is ``<plugin>.person_viewed``.
        subject: The record the people are shown for (``pbjt_business:12``).

    Raises:
        PermissionDeniedException: the officer does not hold ``permission`` (403).
    """
    officer = await _officer(request, permission)
    wanted = sorted({i for i in user_ids if i is not None})
    if not wanted:
        return {}
    rows = await User.select(*_COLUMNS).where(User.id.is_in(wanted))
    found = {row["id"]: _person(row) for row in rows}
    for person in found.values():
        await _audit(request, officer, VIEWED, person, subject, permission)
    return found


async def person(
    request: Any, user_id: int | None, *, permission: str, subject: str
) -> Person | None:
    """The name and contact of account ``user_id`` (``None`` if there is none), audited.

    See :func:`people`.
    """
    found = await people(request, [user_id], permission=permission, subject=subject)
    return found.get(user_id) if user_id is not None else None


async def look_up_account(
    request: Any, login: str, *, permission: str, subject: str = ""
) -> Person | None:
    """The account of this city that logs in with ``login`` (e-mail or phone), audited.

    The e-mail is compared without case, the phone in any usual spelling
    (``0812…``, ``+62812…``). ``None`` when no account answers to it, or
    when ``login`` is neither an e-mail address nor a phone number.

    Raises:
        PermissionDeniedException: the officer does not hold ``permission`` (403).
    """
    officer = await _officer(request, permission)
    email, phone = normalise_email(login or ""), normalise_phone(login or "")
    if email:
        where = User.email == email
    elif phone:
        where = User.phone == phone
    else:
        return None
    row = await User.select(*_COLUMNS).where(where).first()
    if row is None:
        return None
    found = _person(row)
    await _audit(request, officer, LOOKED_UP, found, subject, permission)
    return found
