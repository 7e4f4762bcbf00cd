"""Msgids that the core picks from data at run time, listed so that extraction finds them.

Nothing imports this module: ``tools/i18n.py`` (and ``pybabel extract``) read
it like any other source file, so these msgids stay in the catalogs. Prefer a
literal ``_("...")`` where the text is chosen (as ``payments/labels.py``
does); list a msgid here only when the code looks it up from data.
``tests/test_catalogs.py`` fails when one of these sources gains a text that
is not translated.
"""

from balai.i18n import gettext as _


def _dashboard_dimensions() -> tuple[str, ...]:
    """``dashboard.collect.DIMENSION_TITLES`` and ``FEEDERS``, shown on the mayor's dashboard."""
    return (
        _("Smart governance"),
        _("Smart living"),
        _("Smart economy"),
        _("Smart branding"),
        _("Smart society"),
        _("Smart environment"),
        _("Permits, complaints, local taxes and the city's own accounts."),
        _("Health, housing, transport and public safety services."),
        _("Payments, markets and small businesses (UMKM), and investment."),
        _("Tourism, events and city promotion."),
        _("Education, social aid, libraries and citizen participation."),
        _("Waste collection, parks, air and water quality, and energy."),
    )
