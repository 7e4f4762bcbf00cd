"""The yearly PBB-P2 assessment run: one bill (SPPT) per active tax object.

An officer starts a run for a tax year (:func:`start_run`); the core's job
queue performs it in the background (:func:`perform`, job
``pajak.assess_year``). The run is

* **idempotent**: an object that already has a bill for the year keeps it,
  untouched (paid or not); only missing bills are made, and the unique index
  (city, nop, year) refuses a duplicate even from two runs at once;
* **resumable**: objects are walked in NOP order in batches; each batch's
  bills and the run's cursor (``last_nop``) and counts are written in one
  transaction, so a run that stopped continues after the last batch it
  finished (:func:`resume_run`);
* **fast**: two reads for the whole run (the active objects with their
  taxpayers, the NOPs that already have a bill), then one multi-row
  ``INSERT`` per batch.

The NJOPTKP goes to each taxpayer's largest object among all active ones
(:func:`balai_pajak.pbb.assessment.njoptkp_holders`), computed before the first
batch, so a resumed run decides it the same way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from balai import toolkit as tk

from balai_pajak.bulk import insert_rows
from balai_pajak.pbb.assessment import assess, njop_of, njoptkp_holders
from balai_pajak.pbb.rules import NoRuleError, PbbRule, pbb_settings
from balai_pajak.tables import AssessmentRun, RunStatus, Sppt, SpptStatus, TaxObject

JOB_NAME = "pajak.assess_year"
BATCH_SIZE = 5000
# A running run that has not saved a batch for this long lost its worker.
STALLED_AFTER = timedelta(minutes=15)
UNPAID = SpptStatus.UNPAID.value
# Reasons a run failed, stored in ``message`` and translated when shown.
NO_RULE = "no_rule"

# The columns a bill is inserted with, in order.
BILL_COLUMNS = (
    "city",
    "tax_object",
    "nop",
    "year",
    "taxpayer",
    "taxpayer_name",
    "land_area",
    "building_area",
    "njop_land",
    "njop_building",
    "njop_total",
    "njoptkp",
    "taxable_base",
    "rate_ppm",
    "tax_due",
    "due_date",
    "regulation",
    "status",
    "paid_principal",
    "paid_penalty",
    "invoice_number",
    "created_at",
)


class RunInProgress(RuntimeError):
    """A run for that year is already going; the message-free signal for the page."""

    def __init__(self, run_id: int) -> None:
        super().__init__(f"run {run_id} is still going")
        self.run_id = run_id


async def active_objects() -> list[dict]:
    """The current city's active tax objects with their taxpayer's name, by NOP."""
    city = tk.current_city().slug
    return await TaxObject.raw(
        "SELECT o.id, o.nop, o.land_area, o.building_area, o.land_njop_per_m2,"
        " o.building_njop_per_m2, o.taxpayer, COALESCE(t.name, '') AS taxpayer_name"
        " FROM pajak_tax_object o LEFT JOIN pajak_taxpayer t ON t.id = o.taxpayer"
        " WHERE o.city = {} AND o.is_active = {} ORDER BY o.nop",
        city,
        True,
    )


async def billed_nops(year: int) -> set[str]:
    """The NOPs that already have a bill for ``year`` in the current city."""
    city = tk.current_city().slug
    rows = await Sppt.raw("SELECT nop FROM pajak_sppt WHERE city = {} AND year = {}", city, year)
    return {r["nop"] for r in rows}


def bill_row(
    obj: dict, rule: PbbRule, year: int, issued_on: date, holder: bool, now: datetime, city: str
) -> tuple:
    """The values of one new bill, in :data:`BILL_COLUMNS` order."""
    figures = assess(obj, rule, year, issued_on=issued_on, gets_njoptkp=holder)
    return (
        city,
        obj["id"],
        obj["nop"],
        year,
        obj["taxpayer"],
        obj["taxpayer_name"],
        obj["land_area"],
        obj["building_area"],
        figures.njop_land,
        figures.njop_building,
        figures.njop_total,
        figures.njoptkp,
        figures.taxable_base,
        figures.rate_ppm,
        figures.tax_due,
        figures.due_date,
        figures.regulation,
        UNPAID,
        0,
        0,
        "",
        now,
    )


async def insert_bills(rows: Sequence[tuple]) -> None:
    """Insert bills (tuples in :data:`BILL_COLUMNS` order)."""
    await insert_rows(Sppt, BILL_COLUMNS, rows)


async def running_run(year: int) -> dict | None:
    """The run of ``year`` still going in the current city, if any."""
    return (
        await AssessmentRun.select()
        .where((AssessmentRun.year == year) & (AssessmentRun.status == RunStatus.RUNNING.value))
        .first()
    )


async def start_run(year: int, user_id: int | None) -> int:
    """Record a run of ``year`` and queue it; the run's id.

    Raises:
        RunInProgress: a run of that year is still going (its id is given).
        NoRuleError: the city has no rule for that year (nothing recorded).
    """
    city = tk.current_city()
    pbb_settings(city).rule_for(year)
    going = await running_run(year)
    if going is not None:
        raise RunInProgress(going["id"])
    total = await TaxObject.count().where(TaxObject.is_active == True)  # noqa: E712
    row = (await AssessmentRun.insert(AssessmentRun(year=year, total=total, created_by=user_id)))[0]
    # Queued once the run is committed: with Redis the entry is pushed at once and a
    # worker may take it before an open transaction commits (it found no run and did
    # nothing). A run left without its entry (a crash in between) stalls and is resumed.
    await tk.enqueue(JOB_NAME, city, run_id=row["id"])
    return row["id"]


def stalled(run: dict, now: datetime) -> bool:
    """Whether a running run has made no progress for :data:`STALLED_AFTER`."""
    last = run.get("updated_at") or run["started_at"]
    return run["status"] == RunStatus.RUNNING.value and now - last > STALLED_AFTER


def resumable(run: dict, now: datetime) -> bool:
    """Whether a run may be queued again: it failed, or it stalled."""
    return run["status"] == RunStatus.FAILED.value or stalled(run, now)


async def resume_run(run_id: int) -> bool:
    """Queue a failed or stalled run again from its cursor; ``False`` otherwise."""
    run = await AssessmentRun.select().where(AssessmentRun.id == run_id).first()
    if run is None or not resumable(run, datetime.now(UTC)):
        return False
    await AssessmentRun.update(
        {AssessmentRun.status: RunStatus.RUNNING.value, AssessmentRun.message: ""}
    ).where(AssessmentRun.id == run_id)
    await tk.enqueue(JOB_NAME, tk.current_city(), run_id=run_id)  # after the commit, as above
    return True


async def _finish(run_id: int, status: RunStatus, message: str = "") -> None:
    await AssessmentRun.update(
        {
            AssessmentRun.status: status.value,
            AssessmentRun.message: message,
            AssessmentRun.finished_at: datetime.now(UTC),
        }
    ).where(AssessmentRun.id == run_id)


async def perform(city: tk.City, run_id: int) -> None:
    """The job: make the missing bills of the run's year, batch by batch, from its cursor."""
    run = await AssessmentRun.select().where(AssessmentRun.id == run_id).first()
    if run is None or run["status"] != RunStatus.RUNNING.value:
        return
    year = run["year"]
    try:
        rule = pbb_settings(city).rule_for(year)
    except NoRuleError:
        await _finish(run_id, RunStatus.FAILED, NO_RULE)
        return
    try:
        await _walk(city, run, rule)
    except (Exception, asyncio.CancelledError) as exc:  # timed out or stopped: resumable
        await _finish(run_id, RunStatus.FAILED, f"{type(exc).__name__}: {exc}"[:500])
        raise
    await _finish(run_id, RunStatus.DONE)


async def _walk(city: tk.City, run: dict, rule: PbbRule) -> None:
    year, run_id = run["year"], run["id"]
    objects = await active_objects()
    holders = njoptkp_holders((o["nop"], o["taxpayer"], njop_of(o)[2]) for o in objects)
    existing = await billed_nops(year)
    now = datetime.now(UTC)
    issued_on = now.astimezone(city.tz).date()
    cursor = run["last_nop"]
    remaining = [o for o in objects if o["nop"] > cursor]
    done, created = run["done"], run["created"]
    await AssessmentRun.update({AssessmentRun.total: done + len(remaining)}).where(
        AssessmentRun.id == run_id
    )
    for start in range(0, len(remaining), BATCH_SIZE):
        batch = remaining[start : start + BATCH_SIZE]
        rows = [
            bill_row(o, rule, year, issued_on, o["nop"] in holders, now, city.slug)
            for o in batch
            if o["nop"] not in existing
        ]
        try:
            await _save_batch(run_id, rows, done + len(batch), created + len(rows), batch)
        except Exception:
            # Another run made some of these bills meanwhile: keep theirs, make the rest.
            existing = await billed_nops(year)
            rows = [r for r in rows if r[2] not in existing]
            await _save_batch(run_id, rows, done + len(batch), created + len(rows), batch)
        done += len(batch)
        created += len(rows)


async def _save_batch(run_id: int, rows: list[tuple], done: int, created: int, batch) -> None:
    """A batch's bills and the run's progress, in one transaction."""
    async with Sppt._meta.db.transaction():
        await insert_bills(rows)
        await AssessmentRun.update(
            {
                AssessmentRun.done: done,
                AssessmentRun.created: created,
                AssessmentRun.kept: done - created,
                AssessmentRun.last_nop: batch[-1]["nop"],
                AssessmentRun.updated_at: datetime.now(UTC),
            }
        ).where(AssessmentRun.id == run_id)


def job() -> tk.Job:
    """The job declaration of the run (for the ``scheduled_jobs`` hook)."""
    return tk.Job(
        name=JOB_NAME,
        run=perform,
        description="Make the year's PBB-P2 bills of every active tax object",
        timeout=timedelta(hours=2),
    )
