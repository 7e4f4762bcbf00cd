"""The per-city settings of the ``umkm_market`` plugin."""

from __future__ import annotations

from typing import Annotated

import msgspec

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
Department = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]


class MarketSettings(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What a city can set for its UMKM market (``[cities.<city>.settings.umkm_market]``).

    Only merchants that Diskopindag has verified are ever shown to the public.

    Attributes:
        districts: The city's districts (kecamatan) a merchant chooses from
            when applying; empty: the applicant types the district.
        asn_departments: The city's departments (OPD) a civil servant (ASN)
            chooses from; empty: they type it.
    """

    districts: tuple[Name, ...] = ()
    asn_departments: tuple[Department, ...] = ()


SLUG = "umkm_market"
MANAGE = "umkm_market.manage"


def settings_of(city) -> MarketSettings:
    """The city's market settings (defaults when it set none)."""
    return city.settings_for(SLUG) or MarketSettings()
