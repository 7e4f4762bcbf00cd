"""PBB-P2 settings of the demo cities, read from ``examples/demo.toml`` (one source)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import msgspec
from balai import toolkit as tk
from balai_pajak.settings import PajakSettings

DEMO_TOML = Path(__file__).resolve().parents[3] / "examples" / "demo.toml"


def demo_pbb(city: str) -> dict:
    """The raw ``[cities.<city>.settings.pajak.pbb]`` table of the demo instance."""
    document = tomllib.loads(DEMO_TOML.read_text(encoding="utf-8"))
    return document["cities"][city]["settings"]["pajak"]["pbb"]


def city_with(pbb: dict, slug: str = "malang") -> tk.City:
    """A city whose pajak settings hold ``pbb`` (validated like at start-up)."""
    settings = msgspec.convert({"pbb": pbb}, PajakSettings, strict=False)
    return tk.City(slug=slug, name=f"Kota {slug.title()}", settings={"pajak": settings})
