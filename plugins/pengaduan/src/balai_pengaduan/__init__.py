"""Balai plugin ``pengaduan``: Complaints and emergencies."""

__version__ = "0.1.0"
