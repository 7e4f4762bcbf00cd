"""The core's Piccolo app: its tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from balai.tables import (
    OneTimeCode,
    RecoveryCode,
    RoleGrant,
    SessionRecord,
    SignIn,
    ThrottleCounter,
    User,
)
from balai.workflow.tables import WorkflowStep

APP_CONFIG = AppConfig(
    app_name="balai",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[
        User,
        RoleGrant,
        SessionRecord,
        ThrottleCounter,
        WorkflowStep,
        OneTimeCode,
        SignIn,
        RecoveryCode,
    ],
    migration_dependencies=[],
    commands=[],
)
