"""The per-city settings of the ``wisata_heritage`` plugin."""

from __future__ import annotations

from typing import Annotated

import msgspec


class HeritageSettings(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What a city can set for its heritage sites (``[cities.<city>.settings.wisata_heritage]``).

    Attributes:
        default_opening_hours: Shown for a site whose own opening hours are
            not recorded, e.g. the city's usual museum hours.
        tickets_target_per_month: Tickets the city aims to sell in a month
            (the mayor's dashboard shows sales against it; 0: no target).
        revenue_target_per_month: Ticket revenue aimed at in a month, in
            rupiah (0: no target).
    """

    default_opening_hours: Annotated[str, msgspec.Meta(min_length=1, max_length=80)] = (
        "08.00–16.00 WIB"
    )
    tickets_target_per_month: Annotated[int, msgspec.Meta(ge=0, le=10_000_000)] = 0
    revenue_target_per_month: Annotated[int, msgspec.Meta(ge=0, le=100_000_000_000)] = 0
