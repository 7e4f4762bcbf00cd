"""The Piccolo app of the revenue summary."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from balai_pajak.revenue.tables import RevenueMonth

APP_CONFIG = AppConfig(
    app_name="pajak_revenue",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[RevenueMonth],
    migration_dependencies=[],
    commands=[],
)
