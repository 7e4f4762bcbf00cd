"""A city's market-fee settings (``[cities.<city>.settings.pajak.retribusi]``)."""

from __future__ import annotations

from typing import Annotated

import msgspec


class RetribusiSettings(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """How the monthly stall bills are made.

    Attributes:
        due_day: Day of the billed month by which the fee is due (1-28).
        regulation: The regulation that sets the fees (printed on receipts).
    """

    due_day: Annotated[int, msgspec.Meta(ge=1, le=28)] = 28
    regulation: str = ""
