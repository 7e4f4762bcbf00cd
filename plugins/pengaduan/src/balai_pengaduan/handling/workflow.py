"""How a report moves, and how its number looks.

Officers (``MANAGE``) assign, start, resolve, reject, merge and transfer;
a public comment is a history step that keeps the state (``handling.actions``);
the reporter confirms the fix or reopens it within the city's window; the
system closes a resolved report nobody reopened. Every step is written to
the core's history, audited, and (when public) sent to the reporter.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from balai import toolkit as tk

from balai_pengaduan.settings import MANAGE
from balai_pengaduan.tables import Follower, Report

REPORTER = "reporter"  # the party: the account that made the report
NUMBERS = tk.ReferenceFormat("NGL")  # NGL-2026-7KQ4-M9TX-K

OPEN_STATES = ("new", "assigned", "in_progress", "reopened")
CLOSED_STATES = ("resolved", "closed", "rejected", "merged")
WORKING = ("assigned", "in_progress")

STATES = {
    "new": tk.N_("New"),
    "assigned": tk.N_("Assigned"),
    "in_progress": tk.N_("In progress"),
    "resolved": tk.N_("Resolved"),
    "reopened": tk.N_("Reopened"),
    "closed": tk.N_("Closed"),
    "rejected": tk.N_("Rejected"),
    "merged": tk.N_("Merged"),
}


async def _after_move(record: dict[str, Any], step: Any) -> None:
    """Stamp the clocks (first response, resolution, last change); tell the followers.

    The reporter is told by the workflow itself; people who follow the report
    instead of making a duplicate get the same message for every public step.
    """
    now = datetime.now(UTC)
    changes: dict[Any, Any] = {Report.updated_at: now}
    officer_step = step.actor_id is not None and step.transition not in ("confirm", "reopen")
    if record.get("first_response_at") is None and officer_step:
        changes[Report.first_response_at] = now
    if step.to_state == "resolved":
        changes[Report.resolved_at] = now
    await Report.update(changes).where(Report.id == record["id"])
    transition = FLOW.transitions.get(step.transition)
    if transition is not None and transition.notify:
        await tell_followers(record, step.to_state, step.comment, "pengaduan.report_moved")


async def tell_followers(record: dict[str, Any], state: str, comment: str, kind: str) -> None:
    """Send ``kind`` about ``record`` to every follower (not the reporter, told apart)."""
    followers = await Follower.select(Follower.user_id).where(Follower.report_id == record["id"])
    for row in followers:
        if row["user_id"] != record.get("reporter_id"):
            await tk.notify(
                row["user_id"],
                kind,
                {
                    "record": dict(record),
                    "state": state,
                    "state_label": STATES[state],
                    "comment": comment,
                },
            )


FLOW = tk.Workflow(
    "pengaduan.report",
    table=Report,
    state_column=Report.status,
    states=STATES,
    transitions=[
        tk.Transition(
            "assign", ("new", "reopened", "assigned"), "assigned", tk.N_("Assign"), by=(MANAGE,)
        ),
        tk.Transition("start", ("assigned",), "in_progress", tk.N_("Start work"), by=(MANAGE,)),
        tk.Transition(
            "resolve", WORKING, "resolved", tk.N_("Resolved"), by=(MANAGE,), comment="required"
        ),
        tk.Transition(
            "reject",
            ("new", "reopened", *WORKING),
            "rejected",
            tk.N_("Reject"),
            by=(MANAGE,),
            comment="required",
        ),
        tk.Transition(
            "merge", OPEN_STATES, "merged", tk.N_("Merge into another report"), by=(MANAGE,)
        ),
        tk.Transition(
            "transfer", OPEN_STATES, "new", tk.N_("Transfer to another department"), by=(MANAGE,)
        ),
        tk.Transition(
            "confirm",
            ("resolved",),
            "closed",
            tk.N_("Confirm the fix"),
            by=(REPORTER,),
            notify=False,
        ),
        tk.Transition(
            "reopen",
            ("resolved",),
            "reopened",
            tk.N_("Not fixed: reopen"),
            by=(REPORTER,),
            comment="required",
            notify=False,
        ),
        tk.Transition("close", ("resolved",), "closed", tk.N_("Close"), by=("system",)),
    ],
    notify_column=Report.reporter_id,
    notification="pengaduan.report_moved",
    after_move=_after_move,
)

# Steps an officer takes from the report page's own forms, not the step list.
SPECIAL = ("assign", "merge", "transfer")


def is_open(status: str) -> bool:
    """Whether the report still waits for the city (Open311 ``open``)."""
    return status in OPEN_STATES
