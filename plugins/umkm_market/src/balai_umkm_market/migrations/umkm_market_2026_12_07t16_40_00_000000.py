"""Order history moves to the core's workflow history (``balai_workflow_step``).

The orders' states are a ``tk.Workflow`` now, which keeps every step in the
core's city-scoped history table. The rows of ``umkm_market_order_event`` are
copied there (raw steps run before Piccolo's table steps), then the table is
dropped. Going back recreates the table empty; the copied steps stay in the
core's history.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-07T16:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Order history in the core's workflow history"

COPY = (
    "INSERT INTO balai_workflow_step "
    "(city, workflow, record_id, transition, from_state, to_state, comment, actor_id, created_at) "
    "SELECT city, 'umkm_market.order', \"order\", 'history', '', status, note, by_user_id, "
    "created_at FROM umkm_market_order_event ORDER BY id"
)


class _Raw(Table, tablename="umkm_market_order_event"):
    """Only used to reach the engine for raw statements."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="umkm_market", description=DESCRIPTION)

    async def copy() -> None:
        await _Raw.raw(COPY)

    manager.add_raw(copy)
    manager.drop_table(class_name="OrderEvent", tablename="umkm_market_order_event")
    return manager
