"""Balai plugin ``sipaldi``."""

__version__ = "0.1.0"
