"""The Piccolo app of PBJT: businesses and their monthly returns."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from balai_pajak.pbjt.tables import Business, TaxReturn

APP_CONFIG = AppConfig(
    app_name="pajak_pbjt",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[Business, TaxReturn],
    migration_dependencies=[],
    commands=[],
)
