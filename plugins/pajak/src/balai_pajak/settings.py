"""The per-city settings of the ``pajak`` plugin."""

from __future__ import annotations

from typing import Annotated

import msgspec

from balai_pajak.pbb_rules import PbbSettings


class PajakSettings(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What a city can set for its local taxes (``[cities.<city>.settings.pajak]``).

    Attributes:
        pbb_due_month: The month (1-12) at whose end the year's PBB-P2 falls
            due; most cities use August.
        pbb: PBB-P2 rules and penalty regimes, effective-dated (``pbb_rules``).
    """

    pbb_due_month: Annotated[int, msgspec.Meta(ge=1, le=12)] = 8
    pbb: PbbSettings = msgspec.field(default_factory=PbbSettings)
