"""Balai plugin ``wisata_heritage``."""

__version__ = "0.1.0"
