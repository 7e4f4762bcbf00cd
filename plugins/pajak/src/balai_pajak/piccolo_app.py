"""The Piccolo app of the ``pajak`` plugin: its tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from balai_pajak.tables import TaxObject

APP_CONFIG = AppConfig(
    app_name="pajak",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[TaxObject],
    migration_dependencies=[],
    commands=[],
)
