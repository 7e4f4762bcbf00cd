"""The payments service's permissions and roles."""

from balai.types import Permission, Role

VIEW = "payments.view"
CONFIRM_CASH = "payments.confirm_cash"
REFUND = "payments.refund"
RECONCILE = "payments.reconcile"

PERMISSIONS = [
    Permission(VIEW, "See invoices, payments and reconciliation reports"),
    Permission(CONFIRM_CASH, "Confirm that cash for an invoice was received"),
    Permission(REFUND, "Record the refund of a paid invoice"),
    Permission(RECONCILE, "Run the reconciliation with the gateway"),
]

ROLES = [
    Role("payments.cashier", "Cashier", (VIEW, CONFIRM_CASH), department="Bapenda"),
    Role(
        "payments.officer",
        "Payments officer",
        (VIEW, CONFIRM_CASH, REFUND, RECONCILE),
        department="Bapenda",
    ),
]
