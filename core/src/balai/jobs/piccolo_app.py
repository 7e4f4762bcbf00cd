"""The jobs service's Piccolo app: its tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from balai.jobs.tables import JobRun, QueuedJob

APP_CONFIG = AppConfig(
    app_name="jobs",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[JobRun, QueuedJob],
    migration_dependencies=[],
    commands=[],
)
