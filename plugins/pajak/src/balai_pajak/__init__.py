"""Balai plugin ``pajak``: local taxes of the city (PBB-P2 first)."""

__version__ = "0.1.0"
