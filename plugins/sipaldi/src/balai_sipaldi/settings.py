"""The per-city settings of the ``sipaldi`` plugin."""

from __future__ import annotations

from typing import Annotated

import msgspec


class DesludgingSettings(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What a city can set for desludging (``[cities.<city>.settings.sipaldi]``).

    Attributes:
        disposal_fee_per_m3: The retribution for treating one cubic metre of
            septage at the city's treatment plant (IPLT), in whole rupiah.
    """

    disposal_fee_per_m3: Annotated[int, msgspec.Meta(ge=0)] = 15000
