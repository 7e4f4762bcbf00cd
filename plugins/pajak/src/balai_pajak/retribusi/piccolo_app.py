"""The Piccolo app of e-Retribusi: markets, stalls and their monthly bills."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from balai_pajak.retribusi.tables import Market, Stall, StallBill

APP_CONFIG = AppConfig(
    app_name="pajak_retribusi",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[Market, Stall, StallBill],
    migration_dependencies=[],
    commands=[],
)
