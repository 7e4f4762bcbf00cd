"""The Piccolo app of the ``pajak`` plugin: its tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from balai_pajak.tables import (
    AssessmentRun,
    BillPayment,
    LinkAttempt,
    NopLink,
    ObjectCorrection,
    Sppt,
    TaxObject,
    Taxpayer,
)

APP_CONFIG = AppConfig(
    app_name="pajak",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[
        Taxpayer,
        TaxObject,
        Sppt,
        BillPayment,
        NopLink,
        LinkAttempt,
        AssessmentRun,
        ObjectCorrection,
    ],
    migration_dependencies=[],
    commands=[],
)
