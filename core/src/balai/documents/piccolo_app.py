"""The documents service's Piccolo app: its tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from balai.documents.tables import Document, SigningAuthority, SigningCertificate

APP_CONFIG = AppConfig(
    app_name="documents",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[Document, SigningAuthority, SigningCertificate],
    migration_dependencies=[],
    commands=[],
)
