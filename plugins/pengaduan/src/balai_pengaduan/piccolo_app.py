"""The Piccolo app of the ``pengaduan`` plugin: its tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from balai_pengaduan.tables import ApiClient, Follower, Member, Note, Photo, Report

APP_CONFIG = AppConfig(
    app_name="pengaduan",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[Report, Photo, Note, Follower, Member, ApiClient],
    migration_dependencies=[],
    commands=[],
)
