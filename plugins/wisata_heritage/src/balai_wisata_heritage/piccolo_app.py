"""The Piccolo app of the ``wisata_heritage`` plugin: its tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from balai_wisata_heritage.tables import Site

APP_CONFIG = AppConfig(
    app_name="wisata_heritage",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[Site],
    migration_dependencies=[],
    commands=[],
)
