"""What the officers' editing pages of sites, events and walks share.

Every change is a step in the record's history (the core's workflow
history): a state change through its ``tk.Workflow``, an edit as a step that
stays in the same state, each with the officer and the reason they gave,
and an audit entry ``<workflow key>.<what>``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from balai import toolkit as tk
from litestar import Request
from litestar.exceptions import NotFoundException
from piccolo.engine.sqlite import TransactionType

MANAGE = "wisata_heritage.manage"
REASON_MAX = 300


def reason_field() -> tk.TextField:
    """The reason every change asks for (kept in the history and the audit log)."""
    return tk.TextField(
        "Reason for the change",
        max_length=REASON_MAX,
        hint="Kept in the record's history, e.g. 'Jam buka baru dari pengelola'.",
    )


def publication_workflow(key: str, table: Any, *, end: str, end_label: str) -> tk.Workflow:
    """Draft → published → ``end`` (withdrawn or cancelled), with reasons to leave published.

    A withdrawn site or walk can be published again; a cancelled event stays
    cancelled (it is final).
    """
    return tk.Workflow(
        key,
        table=table,
        state_column=table.status,
        states={"draft": tk.N_("Draft"), "published": tk.N_("Published"), end: end_label},
        transitions=[
            tk.Transition(
                "publish",
                ("draft", end) if end == "withdrawn" else ("draft",),
                "published",
                tk.N_("Publish"),
                by=(MANAGE,),
                notify=False,
            ),
            tk.Transition(
                end,
                ("published",),
                end,
                tk.N_("Withdraw") if end == "withdrawn" else tk.N_("Cancel the event"),
                by=(MANAGE,),
                comment="required",
                notify=False,
            ),
        ],
        final=() if end == "withdrawn" else (end,),
    )


class StepForm(tk.Form):
    """A publication step an officer takes on a record, with the reason it may need."""

    step = tk.TextField("Step", max_length=40)
    comment = tk.TextField("Reason", max_length=REASON_MAX, required=False)


async def take_step(
    request: Request, workflow: tk.Workflow, record: dict, updated_at: Any, user: tk.CurrentUser
) -> str | None:
    """Move ``record`` by the submitted step (history, audit); ``None`` when done.

    Returns:
        Why it was refused (the form's or the workflow's message), or ``None``.
    """
    form = StepForm(await request.form())
    if not await form.validate(owner_id=user.id):
        return next(iter(form.errors.values()))
    try:
        await workflow.move(
            record,
            form.clean["step"],
            tk.Actor.of(user),
            comment=form.clean.get("comment") or "",
            request=request,
            values={updated_at: datetime.now(UTC)},
        )
    except tk.MoveRefused as refused:
        return str(refused)
    return None


async def officer(request: Request) -> tk.CurrentUser:
    """The signed-in officer (the route's guard already checked the permission)."""
    user = await tk.current_user(request)
    assert user is not None  # guarded by tk.require_permission
    return user


async def record_change(
    workflow: tk.Workflow,
    record_id: int,
    state: str,
    *,
    what: str,
    reason: str,
    user: tk.CurrentUser,
    request: Request,
    detail: dict | None = None,
) -> None:
    """Write an edit (``what``: created, edited, …) to the history and the audit log."""
    await workflow.record_step(
        record_id,
        what,
        "" if what == "created" else state,
        state,
        comment=reason,
        actor_id=user.id,
    )
    await tk.audit_record(
        f"{workflow.key}.{what}",
        actor_id=user.id,
        request=request,
        subject=f"{workflow.key}:{record_id}",
        detail={"reason": reason, **(detail or {})},
    )


async def history(workflow: tk.Workflow, record_id: int) -> list[dict]:
    """The record's history, newest first, with state labels."""
    steps = await workflow.history(record_id)
    for step in steps:
        step["to_label"] = workflow.label(step["to_state"]) if step["to_state"] else ""
    return list(reversed(steps))


def require(row: dict | None, message: str) -> dict:
    """``row``, or a 404 with ``message``."""
    if row is None:
        raise NotFoundException(message)
    return row


def write_transaction(table: Any) -> Any:
    """A transaction for an edit (SQLite: taking the write lock at once, so two never deadlock)."""
    engine = table._meta.db
    if engine.engine_type == "sqlite":
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()
