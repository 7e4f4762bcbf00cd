"""The year's revenue targets per tax type (``[[cities.<city>.settings.pajak.targets]]``)."""

from __future__ import annotations

from typing import Annotated

import msgspec

Rupiah = Annotated[int, msgspec.Meta(ge=0, le=100_000_000_000_000)]


class RevenueTarget(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The revenue a city plans to collect in ``year`` per tax type, in rupiah.

    Attributes:
        year: The budget year.
        pbb, pbjt, retribusi: Targets of each tax type (0: no target set).
        source: Where the figures come from (e.g. the APBD document).
    """

    year: Annotated[int, msgspec.Meta(ge=2000, le=2100)]
    pbb: Rupiah = 0
    pbjt: Rupiah = 0
    retribusi: Rupiah = 0
    source: str = ""
