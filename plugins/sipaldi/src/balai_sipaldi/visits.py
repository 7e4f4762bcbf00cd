"""A visit's states and moves (``tk.Workflow``), shared by planning, the household and the crew.

Officers publish or drop the planner's proposals; the household confirms,
moves its visit within the window or declines with a reason; the crew
records it done (with the volume pumped) or the household not home or
refusing, after which a new visit is planned (see
:mod:`balai_sipaldi.crew.outcomes`).
"""

from __future__ import annotations

from balai import toolkit as tk

from balai_sipaldi.crew.outcomes import after_visit_move
from balai_sipaldi.permissions import CREW, HOUSEHOLD, MANAGE
from balai_sipaldi.tables import Visit, VisitStatus

S = VisitStatus
WAITING = (S.SCHEDULED.value, S.CONFIRMED.value)

VISITS = tk.Workflow(
    "sipaldi.visit",
    table=Visit,
    state_column=Visit.status,
    states={
        S.PROPOSED.value: tk.N_("Proposed"),
        S.SCHEDULED.value: tk.N_("Scheduled"),
        S.CONFIRMED.value: tk.N_("Confirmed"),
        S.DONE.value: tk.N_("Done"),
        S.NOT_HOME.value: tk.N_("Not home"),
        S.REFUSED.value: tk.N_("Refused"),
        S.DECLINED.value: tk.N_("Declined"),
        S.CANCELLED.value: tk.N_("Cancelled"),
    },
    transitions=[
        tk.Transition(
            "publish",
            (S.PROPOSED.value,),
            S.SCHEDULED.value,
            tk.N_("Publish"),
            by=(MANAGE, "system"),
            comment="none",
            notify=False,
        ),
        tk.Transition(
            "drop",
            (S.PROPOSED.value,),
            S.CANCELLED.value,
            tk.N_("Take out of the plan"),
            by=(MANAGE,),
            notify=False,
        ),
        tk.Transition(
            "confirm",
            (S.SCHEDULED.value,),
            S.CONFIRMED.value,
            tk.N_("Confirm"),
            by=(HOUSEHOLD,),
            comment="none",
            notify=False,
        ),
        tk.Transition(
            "reschedule",
            WAITING,
            S.SCHEDULED.value,
            tk.N_("Move the visit"),
            by=(HOUSEHOLD, MANAGE),
            notify=False,
        ),
        tk.Transition(
            "decline",
            WAITING,
            S.DECLINED.value,
            tk.N_("Decline"),
            by=(HOUSEHOLD,),
            comment="required",
            notify=False,
        ),
        tk.Transition(
            "done", WAITING, S.DONE.value, tk.N_("Done"), by=(CREW,), comment="none", notify=False
        ),
        tk.Transition(
            "not_home", WAITING, S.NOT_HOME.value, tk.N_("Not home"), by=(CREW,), notify=False
        ),
        tk.Transition(
            "refused", WAITING, S.REFUSED.value, tk.N_("Refused"), by=(CREW,), notify=False
        ),
    ],
    after_move=after_visit_move,
)
