"""Balai plugin ``e_jkn``."""

__version__ = "0.1.0"
