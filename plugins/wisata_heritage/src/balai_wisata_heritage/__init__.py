"""Balai plugin ``wisata_heritage``: the city's heritage sites and their events."""

__version__ = "0.1.0"
