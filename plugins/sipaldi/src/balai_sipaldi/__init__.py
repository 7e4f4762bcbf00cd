"""Balai plugin ``sipaldi``: domestic wastewater services (septic-tank desludging)."""

__version__ = "0.1.0"
