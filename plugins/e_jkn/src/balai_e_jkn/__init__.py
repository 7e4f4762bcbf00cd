"""Balai plugin ``e_jkn``: enrolment in the city-funded JKN health cover."""

__version__ = "0.1.0"
