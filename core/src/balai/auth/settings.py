"""A city's account settings: ``[cities.<slug>.settings.core]`` in the instance file.

Every field has a default, so a city that sets nothing gets: second factor
optional for everyone, and at most 500 code texts a day.
"""

from __future__ import annotations

import msgspec

from balai.tenants import current_city

SLUG = "core"


class AccountSettings(msgspec.Struct, forbid_unknown_fields=True):
    """What a city may set about accounts.

    Attributes:
        two_factor_officers: Every officer (any role) must sign in with a
            second factor; an officer without one is sent to enrol it.
        two_factor_roles: Roles whose holders must use a second factor even
            when it is not required of every officer (``["city_admin",
            "pajak.officer"]``).
        phone_codes_per_day: At most this many one-time codes are texted per
            day in the city (the provider's bill has a ceiling); further
            requests are refused until the next day.
    """

    two_factor_officers: bool = False
    two_factor_roles: list[str] = []
    phone_codes_per_day: int = msgspec.field(default=500)

    def __post_init__(self) -> None:
        if not 1 <= self.phone_codes_per_day <= 1_000_000:
            raise ValueError("phone_codes_per_day must be from 1 to 1000000")

    def second_factor_required(self, roles: frozenset[str]) -> bool:
        """Whether an account holding ``roles`` must use a second factor."""
        if not roles:
            return False
        return self.two_factor_officers or bool(roles & set(self.two_factor_roles))


def account_settings() -> AccountSettings:
    """The current city's account settings."""
    found = current_city().settings_for(SLUG)
    return found if isinstance(found, AccountSettings) else AccountSettings()
