"""The Piccolo app of the ``e_jkn`` plugin: its tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from balai_e_jkn.tables import Enrolment, Member

APP_CONFIG = AppConfig(
    app_name="e_jkn",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[Enrolment, Member],
    migration_dependencies=[],
    commands=[],
)
