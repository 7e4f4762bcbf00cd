"""The notifications' Piccolo app."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from balai.notifications.tables import OutboxMessage, PhoneSandboxMessage

APP_CONFIG = AppConfig(
    app_name="notifications",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[OutboxMessage, PhoneSandboxMessage],
    migration_dependencies=[],
    commands=[],
)
