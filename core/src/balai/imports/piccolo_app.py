"""The imports service's Piccolo app: its tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from balai.imports.tables import ImportRow, ImportRun

APP_CONFIG = AppConfig(
    app_name="imports",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[ImportRun, ImportRow],
    migration_dependencies=[],
    commands=[],
)
