"""The permissions of the ``sipaldi`` plugin (shared by its features' routes)."""

MANAGE = "sipaldi.manage"
CREW = "sipaldi.crew"
PLANT = "sipaldi.plant"
HOUSEHOLD = "household"  # the party: the account owning the visited premises
