"""The history of every workflow move (a core table, one city's rows each)."""

from __future__ import annotations

from piccolo.columns import Integer, Text, Timestamptz, Varchar

from balai.db.tables import CityTable


class WorkflowStep(CityTable, tablename="balai_workflow_step"):
    """One move of one record: from which state to which, by whom, with what comment.

    ``workflow`` is the declaring plugin's key (``umkm_market.order``);
    ``record_id`` the moved row's id in the plugin's table. ``actor_id`` is
    ``None`` for the system. ``comment`` is what the person typed, or a
    system note (an English msgid, translated where shown).
    """

    workflow = Varchar(length=80)
    record_id = Integer()
    transition = Varchar(length=40)
    from_state = Varchar(length=40)
    to_state = Varchar(length=40)
    comment = Text(default="")
    actor_id = Integer(null=True, default=None)
    created_at = Timestamptz()
