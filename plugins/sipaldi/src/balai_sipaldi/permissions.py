"""The permissions of the ``sipaldi`` plugin (shared by its features' routes)."""

MANAGE = "sipaldi.manage"
CREW = "sipaldi.crew"
PLANT = "sipaldi.plant"
FIRM = "sipaldi.firm"  # an operator's office: its deliveries and disposal-fee invoices
HOUSEHOLD = "household"  # the party: the account owning the visited premises
