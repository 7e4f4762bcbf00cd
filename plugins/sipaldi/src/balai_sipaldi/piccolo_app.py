"""The Piccolo app of the ``sipaldi`` plugin: its tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from balai_sipaldi.tables import (
    Delivery,
    Fee,
    Instalment,
    Operator,
    Premises,
    ServiceArea,
    Staff,
    Truck,
    Visit,
)

APP_CONFIG = AppConfig(
    app_name="sipaldi",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[Premises, Operator, Truck, ServiceArea, Visit, Delivery, Fee, Instalment, Staff],
    migration_dependencies=[],
    commands=[],
)
