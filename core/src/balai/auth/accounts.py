"""Creating accounts, checking credentials, granting roles."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from balai.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from balai.i18n import gettext as _
from balai.tables import RoleGrant, User

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


def normalise_phone(raw: str) -> str | None:
    """An Indonesian mobile number as ``+628…``, or ``None`` when it is not one."""
    digits = re.sub(r"[\s\-().]", "", raw)  # \s: any Unicode space, NBSP and tabs too
    if digits.startswith("+62"):
        digits = "0" + digits[3:]
    elif digits.startswith("62"):
        digits = "0" + digits[2:]
    if not re.fullmatch(r"08[0-9]{7,12}", digits):  # ASCII digits only
        return None
    return "+62" + digits[1:]


def normalise_email(raw: str) -> str | None:
    """A lower-cased email address, or ``None`` when it is not one."""
    email = raw.strip().lower()
    return email if _EMAIL.match(email) and len(email) <= 254 else None


@dataclass
class AccountForm:
    """A registration or officer form, checked field by field."""

    name: str = ""
    email: str = ""
    phone: str = ""
    password: str = ""
    password_confirm: str | None = None
    errors: dict[str, str] = field(default_factory=dict)

    async def check(self) -> bool:
        """Validate every field (translated messages in ``errors``); True when valid."""
        self.name = " ".join(self.name.split())
        if not 2 <= len(self.name) <= 120:
            self.errors["name"] = _("Enter your name (2 to 120 characters).")
        email = phone = None
        if self.email.strip():
            email = normalise_email(self.email)
            if email is None:
                self.errors["email"] = _("Enter a valid email address, like nama@contoh.id.")
        if self.phone.strip():
            phone = normalise_phone(self.phone)
            if phone is None:
                self.errors["phone"] = _("Enter an Indonesian mobile number, like 0812 3456 7890.")
        if not self.email.strip() and not self.phone.strip():
            self.errors["contact"] = _("Enter an email address or a mobile number.")
        problem = password_problem(self.password, name=self.name, login=self.email or self.phone)
        if problem:
            self.errors["password"] = problem
        elif self.password_confirm is not None and self.password_confirm != self.password:
            self.errors["password_confirm"] = _("The two passwords differ.")
        if email and await User.exists().where(User.email == email):
            self.errors["email"] = _("An account with this email already exists.")
        if phone and await User.exists().where(User.phone == phone):
            self.errors["phone"] = _("An account with this number already exists.")
        self.email, self.phone = email or "", phone or ""
        return not self.errors


async def create_user(
    *,
    name: str,
    password: str,
    email: str | None = None,
    phone: str | None = None,
    roles: tuple[str, ...] = (),
    password_hash: str | None = None,
    verified: bool = False,
) -> int:
    """Create an account in the current city; returns its id.

    ``password_hash`` (``hash_password(password)`` made earlier) skips hashing
    again: the demo gives all accounts of a city one password and hashes it once.
    ``verified`` marks the email and phone as already proven (accounts made by
    an operator on the command line, the demo, tests); a citizen who registers
    proves theirs with a code (:mod:`balai.auth.codes`).
    """
    now = datetime.now(UTC)
    proven = now if verified else None
    rows = await User.insert(
        User(
            name=name,
            email=email or None,
            phone=phone or None,
            password_hash=password_hash or hash_password(password),
            created_at=now,
            email_verified_at=proven if email else None,
            phone_verified_at=proven if phone else None,
        )
    )
    user_id = rows[0]["id"]
    for role in roles:
        await grant_role(user_id, role)
    return user_id


async def grant_role(user_id: int, role: str) -> None:
    """Give ``role`` to a user of the current city (no-op when held)."""
    if not await RoleGrant.exists().where((RoleGrant.user == user_id) & (RoleGrant.role == role)):
        await RoleGrant.insert(RoleGrant(user=user_id, role=role, granted_at=datetime.now(UTC)))


async def find_login(login: str) -> dict | None:
    """The account (active or suspended) whose email or phone is ``login``."""
    email = normalise_email(login)
    phone = normalise_phone(login)
    if email:
        where = User.email == email
    elif phone:
        where = User.phone == phone
    else:
        return None
    return await User.select(User.id, User.password_hash, User.is_active).where(where).first()


async def login_identity(login: str) -> str:
    """One name for everything ``login`` could be typed as, for counting attempts.

    The account (``user:<id>``) when one answers to it, else the normalised
    email or phone number, else the text with spaces collapsed, case-folded:
    ``" Budi@Kota.id"``, ``0812…``, ``+62812…`` and ``62812…`` count as one.
    """
    row = await find_login(login)
    if row:
        return f"user:{row['id']}"
    return normalise_email(login) or normalise_phone(login) or " ".join(login.split()).casefold()


@dataclass(frozen=True)
class LoginCheck:
    """What a login and password prove: the account, and whether it may sign in."""

    user_id: int | None
    suspended: bool = False


async def check_login(login: str, password: str) -> LoginCheck:
    """Check a login and password; a right password of a suspended account says so.

    A successful check of an active account records the sign-in time and
    re-hashes the password when the hash parameters changed since it was set.
    """
    row = await find_login(login)
    ok = verify_password(row["password_hash"] if row else None, password)
    if not row or not ok:
        return LoginCheck(None)
    if not row["is_active"]:
        return LoginCheck(row["id"], suspended=True)
    values: dict = {User.last_login_at: datetime.now(UTC)}
    if needs_rehash(row["password_hash"]):
        values[User.password_hash] = hash_password(password)
    await User.update(values).where(User.id == row["id"])
    return LoginCheck(row["id"])


async def authenticate(login: str, password: str) -> int | None:
    """The id of the active account ``login`` if ``password`` is right, else ``None``."""
    found = await check_login(login, password)
    return None if found.suspended else found.user_id


async def set_password(user_id: int, password: str) -> None:
    """Store a new password for an account of the current city."""
    await User.update({User.password_hash: hash_password(password)}).where(User.id == user_id)


async def mark_verified(user_id: int, address: str) -> None:
    """Record that the account's holder proved ``address`` (its email or phone) is theirs."""
    now = datetime.now(UTC)
    if address.startswith("+"):
        changes = {User.phone: address, User.phone_verified_at: now}
    else:
        changes = {User.email: address, User.email_verified_at: now}
    await User.update(changes).where(User.id == user_id)
