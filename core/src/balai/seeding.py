"""What plugins may do only while ``balai demo`` seeds a city: demo accounts.

The demo (:func:`balai.demo.seed_city`) opens a :func:`seeding` scope around
the city's core accounts and every plugin's ``seed_demo`` hook. Inside it,
and only there, :func:`demo_user` finds or creates a demo account and
:func:`balai.payments.demo.seed_paid_invoices` records settled payments in
bulk. Outside it both raise :class:`NotSeedingError`, so neither can be
used by a request handler, a job or an import to make accounts or money
appear.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass

from balai.auth.accounts import create_user, grant_role
from balai.auth.passwords import hash_password
from balai.tables import User
from balai.tenants import current_city
from balai.types import DemoAccount


@dataclass
class _Seeding:
    """The demo password of the city being seeded, hashed once (Argon2 is slow on purpose)."""

    password: str
    sandbox_partner: str = ""
    hashed: str = ""

    def password_hash(self) -> str:
        if not self.hashed:
            self.hashed = hash_password(self.password)
        return self.hashed


_SEEDING: contextvars.ContextVar[_Seeding | None] = contextvars.ContextVar(
    "balai_demo_seeding", default=None
)


class NotSeedingError(RuntimeError):
    """A demo-only function was called outside the demo's seeding of a city."""


@contextlib.contextmanager
def seeding(password: str, sandbox_partner: str = "") -> Iterator[None]:
    """Allow the demo-only functions in this block; demo accounts get ``password``.

    ``sandbox_partner``: the city's partner id at the sandbox bank when it
    serves as the gateway; demo gateway payments are then in its book too, so
    reconciliation matches them.
    """
    token = _SEEDING.set(_Seeding(password, sandbox_partner))
    try:
        yield
    finally:
        _SEEDING.reset(token)


def _current() -> _Seeding:
    state = _SEEDING.get()
    if state is None:
        raise NotSeedingError("only available while `balai demo` seeds a city")
    return state


def require_seeding() -> str:
    """The demo password of the city being seeded; raises outside a :func:`seeding` block."""
    return _current().password


def sandbox_partner() -> str:
    """The seeded city's sandbox-bank partner id ('' when the sandbox is not the gateway)."""
    return _current().sandbox_partner


async def create_demo_account(name: str, login: str, role: str | None = None) -> int:
    """A new account with the city's demo password (hashed once per city); returns its id."""
    state = _current()
    return await create_user(
        name=name,
        email=login,
        password=state.password,
        password_hash=state.password_hash(),
        roles=(role,) if role else (),
        verified=True,  # demo accounts are usable at once: pay, enrol and report
    )


@dataclass(frozen=True)
class DemoUser:
    """A demo account a plugin asked for: its id and what the banner prints.

    Attributes:
        id: The account's id in the current city.
        account: Login, password and role, ready for ``DemoReport.accounts``.
    """

    id: int
    account: DemoAccount


async def demo_user(login: str, name: str, role: str | None = None) -> DemoUser:
    """Find or create the current city's demo account ``login`` (an e-mail address).

    Only while the demo seeds the city (see the module docstring). An
    existing account (e.g. the core's ``warga@<city>.test``) is returned as
    it is, with ``role`` granted if it lacks it; a new one gets the city's
    demo password. Use it for the accounts a plugin's demo data belongs to
    (a merchant's owner, the citizen's linked tax objects) and put
    ``.account`` into the plugin's ``DemoReport.accounts`` so the start-up
    banner prints it.

    Args:
        login: The e-mail address to log in with, ``<who>@<city>.test`` by convention.
        name: The account's display name (used only when it is created).
        role: A role name the city offers (``None``: a citizen).

    Raises:
        NotSeedingError: outside the demo's seeding.
        ValueError: an empty login or name.
    """
    password = require_seeding()
    login = login.strip().lower()
    if "@" not in login or not name.strip():
        raise ValueError("a demo account needs an e-mail login and a name")
    found = await User.select(User.id).where(User.email == login).first()
    if found is None:
        user_id = await create_demo_account(name.strip(), login, role)
    else:
        user_id = found["id"]
        if role:
            await grant_role(user_id, role)
    return DemoUser(user_id, DemoAccount(current_city().slug, login, password, role or "citizen"))
