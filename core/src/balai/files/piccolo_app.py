"""The files service's Piccolo app: its table and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from balai.files.tables import FileRecord

APP_CONFIG = AppConfig(
    app_name="files",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[FileRecord],
    migration_dependencies=[],
    commands=[],
)
