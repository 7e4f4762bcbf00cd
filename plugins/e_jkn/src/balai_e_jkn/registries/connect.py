"""Which Dukcapil, BPJS and welfare-registry adapters a city uses."""

from __future__ import annotations

from balai import toolkit as tk

from balai_e_jkn.registries.sandboxes import sandboxes_for
from balai_e_jkn.registries.types import Bpjs, Dukcapil, WelfareRegistry


def dukcapil_for(city: tk.City) -> Dukcapil:
    """The city's population-registry adapter (the sandbox until a real one is configured)."""
    return sandboxes_for(city.slug).dukcapil


def bpjs_for(city: tk.City) -> Bpjs:
    """The city's BPJS adapter (the sandbox until a real one is configured)."""
    return sandboxes_for(city.slug).bpjs


def dinsos_for(city: tk.City) -> WelfareRegistry:
    """The city's social-welfare registry adapter (the sandbox until a real one is configured)."""
    return sandboxes_for(city.slug).dinsos
