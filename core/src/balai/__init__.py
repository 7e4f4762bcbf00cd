"""Balai: the platform on which an Indonesian city runs its public digital services.

Plugin authors import only :mod:`balai.toolkit`; everything else is internal.
"""

__version__ = "0.1.0"
