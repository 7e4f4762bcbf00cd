"""The per-city settings of the ``e_jkn`` plugin."""

from __future__ import annotations

from typing import Annotated

import msgspec


class EnrolmentSettings(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What a city can set for its health cover (``[cities.<city>.settings.e_jkn]``).

    Attributes:
        annual_quota: How many residents the city's budget (APBD) can enrol
            in JKN this calendar year; the public page shows the places left.
    """

    annual_quota: Annotated[int, msgspec.Meta(ge=0)] = 5000
