"""The Piccolo app of the ``umkm_market`` plugin: its tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from balai_umkm_market.tables import TABLES

APP_CONFIG = AppConfig(
    app_name="umkm_market",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=list(TABLES),
    migration_dependencies=["balai.piccolo_app"],  # the workflow history holds order steps
    commands=[],
)
