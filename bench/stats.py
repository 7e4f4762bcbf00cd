"""Summaries of alternating rounds: median [min–max] and spread."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Spread:
    """Median, minimum and maximum of a figure over the rounds."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        """Summarise ``values`` (NaN when empty)."""
        clean = [v for v in values if not math.isnan(v)]
        if not clean:
            return cls(math.nan, math.nan, math.nan)
        return cls(statistics.median(clean), min(clean), max(clean))

    @property
    def relative_spread(self) -> float:
        """(max - min) / median."""
        return (self.high - self.low) / self.median if self.median else math.inf

    def show(self, digits: int = 2) -> str:
        """``median [min–max]``."""
        if math.isnan(self.median):
            return "n/a"
        return f"{self.median:.{digits}f} [{self.low:.{digits}f}–{self.high:.{digits}f}]"

    def as_dict(self) -> dict[str, float]:
        """JSON-ready."""
        return {"median": self.median, "min": self.low, "max": self.high}


def ratios(numerators: list[float], denominators: list[float]) -> list[float]:
    """Round-by-round ratios of two figures measured in the same rounds."""
    return [n / d if d else math.nan for n, d in zip(numerators, denominators, strict=True)]
