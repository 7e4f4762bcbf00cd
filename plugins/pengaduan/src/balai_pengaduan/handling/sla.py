"""SLA clocks: what is due when, and the job escalating overdue reports to department heads.

Each category sets hours for the first response and for the resolution
(``Category.first_response_hours`` / ``resolution_hours``); a report's due
times are fixed when it is made. The job (every 15 minutes) tells the heads
of the report's department once about each overdue report, and closes a
resolved report whose reporter neither confirmed nor reopened it in time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from balai import toolkit as tk

from balai_pengaduan.handling.workflow import FLOW, OPEN_STATES
from balai_pengaduan.settings import city_settings
from balai_pengaduan.tables import Member, Report


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Clock:
    """The clock a report runs against now.

    Attributes:
        what: ``response``, ``resolution`` or ``""`` (stopped: the report is closed).
        due: When it runs out (UTC).
        overdue: Whether it has run out.
        minutes_left: Whole minutes left (negative when overdue).
    """

    what: str
    due: datetime | None
    overdue: bool
    minutes_left: int

    @property
    def label(self) -> str:
        """The clock in words, in the visitor's language."""
        if not self.what:
            return tk._("Clock stopped")
        hours, minutes = divmod(abs(self.minutes_left), 60)
        span = tk._("%(h)s h %(m)s min", h=hours, m=minutes)
        if self.what == "response":
            if self.overdue:
                return tk._("First response overdue by %(span)s", span=span)
            return tk._("First response due in %(span)s", span=span)
        if self.overdue:
            return tk._("Resolution overdue by %(span)s", span=span)
        return tk._("Resolution due in %(span)s", span=span)


def clock(row: dict[str, Any], now: datetime | None = None) -> Clock:
    """The clock of ``row`` at ``now``."""
    now = now or datetime.now(UTC)
    if row["status"] not in OPEN_STATES:
        return Clock("", None, False, 0)
    if row.get("first_response_at") is None:
        what, due = "response", _aware(row["response_due"])
    else:
        what, due = "resolution", _aware(row["resolution_due"])
    left = int((due - now).total_seconds() // 60)
    return Clock(what, due, left < 0, left)


async def escalate(city: tk.City, **_: Any) -> int:
    """Tell the department heads about each report that became overdue; how many.

    Runs in the city's scope. A report is escalated once (``escalated_at``);
    a department without a head is recorded in the audit log instead.
    """
    now = datetime.now(UTC)
    overdue = (
        await Report.select(
            Report.id,
            Report.number,
            Report.category,
            Report.department,
            Report.status,
            Report.first_response_at,
            Report.response_due,
            Report.resolution_due,
        )
        .where(
            Report.status.is_in(list(OPEN_STATES))
            & Report.escalated_at.is_null()
            & (
                (Report.first_response_at.is_null() & (Report.response_due < now))
                | (Report.resolution_due < now)
            )
        )
        .limit(500)
    )
    settings = city_settings()
    for row in overdue:
        running = clock(row, now)
        heads = await Member.select(Member.user_id).where(
            (Member.department == row["department"]) & (Member.head == True)  # noqa: E712
        )
        category = settings.category(row["category"])
        async with Report._meta.db.transaction():
            claimed = (
                await Report.update({Report.escalated_at: now})
                .where((Report.id == row["id"]) & Report.escalated_at.is_null())
                .returning(Report.id)
            )
            if not claimed:
                continue
            for head in heads:
                await tk.notify(
                    head["user_id"],
                    "pengaduan.report_overdue",
                    {
                        "number": row["number"],
                        "category": category.name if category else row["category"],
                        "what": tk._("first response")
                        if running.what == "response"
                        else tk._("resolution"),
                        "due": running.due,
                    },
                )
            await tk.audit_record(
                "pengaduan.report_escalated",
                actor_id=None,
                subject=f"pengaduan.report:{row['id']}",
                detail={"clock": running.what, "heads": len(heads)},
            )
    return len(overdue)


async def close_unanswered(city: tk.City, **_: Any) -> int:
    """Close resolved reports whose reporter let the confirmation window pass; how many."""
    cutoff = datetime.now(UTC) - timedelta(days=city_settings().confirm_days)
    rows = (
        await Report.select(Report.id, Report.status, Report.number, Report.reporter_id)
        .where((Report.status == "resolved") & (Report.resolved_at < cutoff))
        .limit(500)
    )
    for row in rows:
        try:
            await FLOW.move(row, "close", tk.Actor.system(), comment="")
        except tk.StateChanged:
            continue
    return len(rows)


async def run(city: tk.City, **kwargs: Any) -> None:
    """The scheduled job: escalate, then close what waited too long."""
    await escalate(city)
    await close_unanswered(city)
