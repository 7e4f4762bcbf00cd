"""The partners service's permissions and roles."""

from balai.types import Permission, Role

VIEW = "partners.view"
MANAGE = "partners.manage"
RECONCILE = "partners.reconcile"

PERMISSIONS = [
    Permission(VIEW, "See partners, their payments and reconciliation reports"),
    Permission(MANAGE, "Add partners, set their services and issue their secrets"),
    Permission(RECONCILE, "Run the reconciliation with a partner"),
]

ROLES = [
    Role(
        "partners.officer",
        "Partner channels officer",
        (VIEW, MANAGE, RECONCILE),
        department="Bapenda",
    ),
]
