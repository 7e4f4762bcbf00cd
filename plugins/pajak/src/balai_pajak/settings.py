"""The per-city settings of the ``pajak`` plugin."""

from __future__ import annotations

import msgspec

from balai_pajak.pbb.rules import PbbSettings
from balai_pajak.pbjt.settings import PbjtSettings
from balai_pajak.retribusi.settings import RetribusiSettings
from balai_pajak.revenue.settings import RevenueTarget


class PajakSettings(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What a city can set for its local taxes (``[cities.<city>.settings.pajak]``).

    Attributes:
        pbb: PBB-P2 rules and penalty regimes, effective-dated (``pbb_rules``);
            each rule also says when its year's bills fall due.
        pbjt: PBJT rules (rates per kind, deadlines, sanctions), effective-dated.
        retribusi: How monthly market-stall bills are made.
        targets: The revenue targets per year and tax type (dashboard).
    """

    pbb: PbbSettings = msgspec.field(default_factory=PbbSettings)
    pbjt: PbjtSettings = msgspec.field(default_factory=PbjtSettings)
    retribusi: RetribusiSettings = msgspec.field(default_factory=RetribusiSettings)
    targets: tuple[RevenueTarget, ...] = ()
