"""The payments service's Piccolo app: its tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from balai.payments.tables import (
    Payment,
    PaymentAttempt,
    PaymentEvent,
    PaymentInvoice,
    PaymentInvoiceItem,
    PaymentRefund,
    ReconciliationDiff,
    ReconciliationRun,
    SandboxTransaction,
)

APP_CONFIG = AppConfig(
    app_name="payments",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[
        PaymentInvoice,
        PaymentInvoiceItem,
        PaymentAttempt,
        Payment,
        PaymentEvent,
        PaymentRefund,
        ReconciliationDiff,
        ReconciliationRun,
        SandboxTransaction,
    ],
    migration_dependencies=["balai.piccolo_app"],
    commands=[],
)
