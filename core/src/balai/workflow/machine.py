"""A declared state machine for a plugin's records.

::

    REVIEW = tk.Workflow(
        "pengaduan.report",
        table=Report,
        state_column=Report.status,
        states={"open": N_("Open"), "in_progress": N_("In progress"), "closed": N_("Closed")},
        transitions=[
            tk.Transition("start", ("open",), "in_progress", N_("Start work"),
                          by=("pengaduan.handle",)),
            tk.Transition("close", ("open", "in_progress"), "closed", N_("Close"),
                          by=("pengaduan.handle",), comment="required"),
            tk.Transition("withdraw", ("open",), "closed", N_("Withdraw"), by=("reporter",)),
        ],
        notify_column=Report.reporter_id,
        notification="pengaduan.report_moved",
    )

    row = await Report.select().where(Report.id == 7).first()
    await REVIEW.move(row, "close", tk.Actor.of(user), comment="Fixed.", request=request)

``by`` names who may take a transition: a permission (it has a dot) that the
actor holds here, or a *party* the plugin vouches for (``"reporter"`` when the
account filed the report; ``"system"`` for hooks and jobs, see
:meth:`Actor.system`).

Each move is one conditional ``UPDATE … WHERE id = ? AND <state> = <from>``:
of two people (or a person and a payment callback) moving the same record,
only the first wins; the second gets :class:`StateChanged` (409, with the
state it is in now). In the same transaction the move is written to the
history table, audited, followed by the plugin's ``after_move`` and, when
declared, a notification to the record's person.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from litestar.exceptions import HTTPException
from piccolo.engine.sqlite import TransactionType

from balai.audit.log import record as audit_record
from balai.auth.access import CurrentUser
from balai.i18n import gettext as _
from balai.notifications.outbox import notify
from balai.workflow.tables import WorkflowStep

COMMENTS = ("none", "optional", "required")
MAX_COMMENT = 1000
_CHUNK = 500  # rows per INSERT when writing many steps
SYSTEM = "system"


@dataclass(frozen=True)
class Transition:
    """One allowed move.

    Attributes:
        name: Short, unique in the workflow (``confirm``); the audit action is
            ``<workflow key>.<name>``.
        sources: The states it leaves from.
        target: The state it arrives at.
        label: English msgid of the button that takes it.
        by: Permissions (``slug.action``) or parties (``buyer``, ``system``)
            any one of which may take it.
        comment: ``"none"``, ``"optional"`` or ``"required"`` (a reason the
            person must give, e.g. for a refusal).
        when: Further condition on the record (``lambda r: r["fulfilment"] ==
            "delivery"``); the move is not offered when it is false.
        notify: Whether the record's person is told (when the workflow
            declares ``notification``).
    """

    name: str
    sources: tuple[str, ...]
    target: str
    label: str
    by: tuple[str, ...]
    comment: str = "optional"
    when: Callable[[Mapping[str, Any]], bool] | None = None
    notify: bool = True

    def __post_init__(self) -> None:
        if self.comment not in COMMENTS:
            raise ValueError(f"transition {self.name!r}: comment is one of {COMMENTS}")
        if not self.by:
            raise ValueError(f"transition {self.name!r} names nobody who may take it")


@dataclass(frozen=True)
class Actor:
    """Who asks for a move: an account with its permissions here, and the parties it is.

    Attributes:
        user_id: The account (``None`` for the system).
        permissions: The permissions it holds in the current city.
        parties: The roles it plays for this record, vouched for by the
            plugin (``{"buyer"}`` once it checked the order is the account's).
    """

    user_id: int | None
    permissions: frozenset[str] = field(default_factory=frozenset)
    parties: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, user: CurrentUser, *parties: str) -> Actor:
        """The logged-in ``user``, with its permissions, as ``parties``."""
        return cls(user.id, frozenset(user.permissions), frozenset(parties))

    @classmethod
    def system(cls) -> Actor:
        """The platform itself (hooks, jobs): takes transitions that list ``"system"``."""
        return cls(None, frozenset(), frozenset({SYSTEM}))

    def may(self, transition: Transition) -> bool:
        """Whether this actor may take ``transition``."""
        return any(who in self.permissions or who in self.parties for who in transition.by)


class MoveRefused(ValueError):
    """A move the workflow does not allow; ``str(error)`` is the translated reason.

    Attributes:
        reason: ``unknown``, ``final``, ``not_allowed``, ``comment_required``,
            ``comment_too_long`` or ``changed``.
        current: The record's state.
    """

    def __init__(self, reason: str, message: str, current: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.current = current


class StateChanged(HTTPException):
    """The record moved meanwhile; answered 409 with the state it is in now."""

    status_code = 409

    def __init__(self, message: str, current: str) -> None:
        super().__init__(detail=message)
        self.current = current
        self.reason = "changed"
        self.shown = True  # the error page shows the message (it names the current state)


Hook = Callable[[Mapping[str, Any], WorkflowStep], Awaitable[None]]


class Workflow:
    """The states and transitions of one kind of record of a plugin.

    Args:
        key: ``<slug>.<record kind>`` (``umkm_market.order``), the name in
            the history table and the prefix of audit actions.
        table: The plugin's ``tk.CityTable`` holding the records.
        state_column: Its column holding the state (a ``Varchar``).
        states: Each state's value and English msgid label, in display order.
        transitions: The allowed moves.
        final: States with no way out (default: those no transition leaves).
        notify_column: The record's column naming the account to tell.
        notification: The notification kind (``<slug>.<what>``) sent after
            a move whose transition has ``notify``; its template gets
            ``record``, ``state``, ``state_label`` and ``comment``.
        after_move: ``async (record, step)`` run in the move's transaction
            after the history is written (stock, metrics, own messages).
    """

    def __init__(
        self,
        key: str,
        *,
        table: Any,
        state_column: Any,
        states: Mapping[str, str],
        transitions: Sequence[Transition],
        final: Iterable[str] | None = None,
        notify_column: Any = None,
        notification: str | None = None,
        after_move: Hook | None = None,
    ) -> None:
        if "." not in key:
            raise ValueError(f"workflow key {key!r} must be namespaced, like 'pasar.stall'")
        self.key = key
        self.table = table
        self.state_column = state_column
        self.states = dict(states)
        self.transitions = {t.name: t for t in transitions}
        if len(self.transitions) != len(transitions):
            raise ValueError(f"workflow {key}: two transitions share a name")
        for transition in transitions:
            unknown = {*transition.sources, transition.target} - set(self.states)
            if unknown:
                raise ValueError(f"workflow {key}: {transition.name} names unknown {unknown}")
        leaving = {s for t in transitions for s in t.sources}
        self.final = frozenset(final) if final is not None else frozenset(self.states) - leaving
        self.notify_column = notify_column
        self.notification = notification
        self.after_move = after_move

    # --- reading the rules ------------------------------------------------------

    def label(self, state: str) -> str:
        """The state's name in the visitor's language."""
        return _(self.states[state]) if state in self.states else state

    def labels(self) -> dict[str, str]:
        """Every state's name in the visitor's language, in declared order."""
        return {state: _(label) for state, label in self.states.items()}

    def _state_of(self, record: Mapping[str, Any]) -> str:
        return str(record[self.state_column._meta.name])

    def available(self, record: Mapping[str, Any], actor: Actor) -> list[Transition]:
        """The transitions ``actor`` may take from the record's state now, in declared order."""
        state = self._state_of(record)
        return [
            t
            for t in self.transitions.values()
            if state in t.sources and actor.may(t) and (t.when is None or t.when(record))
        ]

    def check(
        self, record: Mapping[str, Any], name: str, actor: Actor, comment: str = ""
    ) -> Transition:
        """The transition ``name`` if ``actor`` may take it from here with ``comment``.

        Raises:
            MoveRefused: with the reason.
        """
        state = self._state_of(record)
        if state in self.final:
            raise MoveRefused(
                "final",
                _("This is %(state)s: it moves no further.", state=self.label(state)),
                state,
            )
        transition = self.transitions.get(name)
        if transition is None:
            raise MoveRefused("unknown", _("Choose one of the steps offered."), state)
        if transition not in self.available(record, actor):
            raise MoveRefused(
                "not_allowed",
                _(
                    "From %(state)s you cannot take the step %(step)s.",
                    state=self.label(state),
                    step=_(transition.label),
                ),
                state,
            )
        if transition.comment == "required" and not comment:
            raise MoveRefused("comment_required", _("Give a reason for this step."), state)
        if len(comment) > MAX_COMMENT:
            raise MoveRefused(
                "comment_too_long",
                _("Write at most %(n)s characters.", n=MAX_COMMENT),
                state,
            )
        return transition

    # --- moving -----------------------------------------------------------------

    async def move(
        self,
        record: Mapping[str, Any],
        name: str,
        actor: Actor,
        *,
        comment: str = "",
        values: Mapping[Any, Any] | None = None,
        request: Any = None,
    ) -> dict[str, Any]:
        """Take transition ``name`` for ``record`` (a row as loaded, with ``id`` and the state).

        Runs in the caller's transaction, or opens one (on SQLite one that
        takes the write lock at once).

        Args:
            record: The row as loaded (at least ``id`` and the state column).
            name: The transition's name.
            actor: Who moves it.
            comment: What the person wrote (spaces collapsed); a system note
                may be an English msgid.
            values: Further columns to set in the same ``UPDATE``
                (``{Order.cancelled_at: now}``).
            request: The request, for the audit entry's address and agent.

        Returns:
            The record with its new state and ``values``.

        Raises:
            MoveRefused: the rules forbid it; nothing was written.
            StateChanged: the record moved meanwhile (409); nothing was written.
        """
        comment = " ".join(str(comment or "").split())
        transition = self.check(record, name, actor, comment)
        current = self._state_of(record)
        changes: dict[Any, Any] = {self.state_column: transition.target, **(values or {})}
        table = self.table
        async with _transaction(table):
            moved = (
                await table.update(changes)
                .where((table.id == record["id"]) & (self.state_column == current))
                .returning(table.id)
            )
            if not moved:
                fresh = (
                    await table.select(self.state_column).where(table.id == record["id"]).first()
                )
                now_state = self._state_of(fresh) if fresh else current
                raise StateChanged(
                    _(
                        "This changed meanwhile; it is now: %(state)s.",
                        state=self.label(now_state),
                    ),
                    now_state,
                )
            step = await self.record_step(
                record["id"], transition.name, current, transition.target, comment, actor.user_id
            )
            await audit_record(
                f"{self.key}.{transition.name}",
                actor_id=actor.user_id,
                request=request,
                subject=f"{self.key}:{record['id']}",
                detail={"from": current, "to": transition.target},
            )
            updated = {
                **record,
                self.state_column._meta.name: transition.target,
                **{_column_name(k): v for k, v in changes.items()},
            }
            if self.after_move is not None:
                await self.after_move(updated, step)
            await self._notify(updated, transition, comment)
        return updated

    async def _notify(
        self, record: Mapping[str, Any], transition: Transition, comment: str
    ) -> None:
        if not (self.notification and self.notify_column is not None and transition.notify):
            return
        person = record.get(self.notify_column._meta.name)
        if person is None:
            return
        state = self._state_of(record)
        await notify(
            person,
            self.notification,
            {
                "record": dict(record),
                "state": state,
                "state_label": self.states[state],
                "comment": comment,
            },
        )

    async def record_step(
        self,
        record_id: int,
        transition: str,
        from_state: str,
        to_state: str,
        comment: str = "",
        actor_id: int | None = None,
        at: datetime | None = None,
    ) -> WorkflowStep:
        """Write one step to the history without moving anything (demo data, imports, notes)."""
        step = WorkflowStep(
            workflow=self.key,
            record_id=record_id,
            transition=transition,
            from_state=from_state,
            to_state=to_state,
            comment=comment,
            actor_id=actor_id,
            created_at=at or datetime.now(UTC),
        )
        await WorkflowStep.insert(step)
        return step

    async def record_steps(self, steps: Iterable[Mapping[str, Any]]) -> int:
        """Write many past steps at once (demo data, imports); how many were written.

        Each step is a mapping with ``record_id``, ``to_state`` and ``at``, and
        optionally ``transition``, ``from_state``, ``comment`` and ``actor_id``.
        """
        rows = [
            WorkflowStep(
                workflow=self.key,
                record_id=step["record_id"],
                transition=step.get("transition", ""),
                from_state=step.get("from_state", ""),
                to_state=step["to_state"],
                comment=step.get("comment", ""),
                actor_id=step.get("actor_id"),
                created_at=step["at"],
            )
            for step in steps
        ]
        for start in range(0, len(rows), _CHUNK):
            await WorkflowStep.insert(*rows[start : start + _CHUNK])
        return len(rows)

    async def history(self, record_id: int) -> list[dict[str, Any]]:
        """The record's steps, oldest first (``from_state``, ``to_state``, ``comment``, …)."""
        return await (
            WorkflowStep.select()
            .where((WorkflowStep.workflow == self.key) & (WorkflowStep.record_id == record_id))
            .order_by(WorkflowStep.created_at)
            .order_by(WorkflowStep.id)
        )


def _column_name(column: Any) -> str:
    return column._meta.name if hasattr(column, "_meta") else str(column)


def _transaction(table: Any) -> Any:
    """The caller's transaction, or a new one (SQLite: taking the write lock at once)."""
    engine = table._meta.db
    if engine.current_transaction.get() is not None:
        return contextlib.nullcontext()
    if engine.engine_type == "sqlite":
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()
