"""The dashboard's Piccolo app."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from balai.dashboard.tables import DailyMetric

APP_CONFIG = AppConfig(
    app_name="dashboard",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[DailyMetric],
    migration_dependencies=[],
    commands=[],
)
