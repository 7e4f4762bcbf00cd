"""The per-city settings of the ``wisata_heritage`` plugin."""

from __future__ import annotations

from typing import Annotated

import msgspec


class HeritageSettings(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What a city can set for its heritage sites (``[cities.<city>.settings.wisata_heritage]``).

    Attributes:
        default_opening_hours: Shown for a site whose own opening hours are
            not recorded, e.g. the city's usual museum hours.
    """

    default_opening_hours: Annotated[str, msgspec.Meta(min_length=1, max_length=80)] = (
        "08.00–16.00 WIB"
    )
