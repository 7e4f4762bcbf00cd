"""The Piccolo app of the ``wisata_heritage`` plugin: its tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from balai_wisata_heritage.events.tables import Event
from balai_wisata_heritage.sites.tables import Site, SiteException
from balai_wisata_heritage.tickets.tables import (
    Admission,
    Ticket,
    TicketOrder,
    TicketPrice,
    TicketProduct,
    TicketSlot,
    TicketStock,
)
from balai_wisata_heritage.walks.tables import Walk, WalkStop

APP_CONFIG = AppConfig(
    app_name="wisata_heritage",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[
        Site,
        SiteException,
        Event,
        Walk,
        WalkStop,
        TicketProduct,
        TicketPrice,
        TicketSlot,
        TicketStock,
        TicketOrder,
        Ticket,
        Admission,
    ],
    migration_dependencies=[],
    commands=[],
)
