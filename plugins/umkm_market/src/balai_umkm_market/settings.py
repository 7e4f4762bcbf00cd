"""The per-city settings of the ``umkm_market`` plugin."""

from __future__ import annotations

import msgspec


class MarketSettings(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What a city can set for its UMKM market (``[cities.<city>.settings.umkm_market]``).

    Attributes:
        verified_only: Show citizens only merchants that Diskopindag has
            verified; when false, unverified merchants are listed too, marked
            as such.
    """

    verified_only: bool = True
