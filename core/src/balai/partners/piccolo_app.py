"""The partners service's Piccolo app: its tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from balai.partners.tables import (
    Partner,
    PartnerInquiry,
    PartnerMessage,
    PartnerPayment,
    PartnerReconDiff,
    PartnerReconRun,
    PartnerTicketOrder,
    PartnerToken,
)

APP_CONFIG = AppConfig(
    app_name="partners",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[
        Partner,
        PartnerToken,
        PartnerMessage,
        PartnerInquiry,
        PartnerPayment,
        PartnerTicketOrder,
        PartnerReconRun,
        PartnerReconDiff,
    ],
    migration_dependencies=["balai.payments.piccolo_app"],
    commands=[],
)
