"""Balai plugin ``umkm_market``: the city's market of local businesses (UMKM)."""

__version__ = "0.1.0"
