"""Applying a run's rows in the background, in batches, resumably.

The job ``imports.process`` (queued by each upload) and the job
``imports.resume`` (every minute: runs whose worker's lease ran out) both
call :func:`process_run`. A worker first takes the run's lease with a
conditional update, so one worker at a time works on a run. Each batch is
one transaction: the lease is renewed, every row runs inside its own
savepoint (a rejected row's writes are rolled back, the others stay), the
rows are marked ``ok``/``failed`` and the run's counters move on. A worker
that dies mid-batch loses the whole batch's transaction, so those rows are
still ``pending`` and are applied once, by whoever resumes the run.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import Any

from balai.i18n import activate as activate_language
from balai.i18n import gettext as _
from balai.imports.catalog import UnknownImporterError
from balai.imports.parsing import values_of
from balai.imports.service import active, utc_now, write_transaction
from balai.imports.tables import DONE, FAILED, OK, PENDING, QUEUED, RUNNING, ImportRow, ImportRun
from balai.imports.types import ImportContext, Importer, RowError
from balai.jobs.runner import new_worker_id
from balai.tenants import City

log = logging.getLogger("balai.imports")
QUEUED_GRACE = timedelta(minutes=2)


class LeaseLostError(RuntimeError):
    """Another worker took the run over (this one was too slow): stop here."""


async def process_job(city: City, run_id: int, **_: Any) -> None:
    """The job ``imports.process``: apply the rows of one new run."""
    await process_run(city, int(run_id))


async def resume_job(city: City, **_: Any) -> None:
    """The job ``imports.resume``: continue runs a dead worker left, and lost queue entries."""
    for run_id in await stale_runs(utc_now()):
        await process_run(city, run_id)


async def stale_runs(now: datetime) -> list[int]:
    """Runs of the current city nobody is working on though they are not finished."""
    rows = await ImportRun.select(ImportRun.id).where(
        ImportRun.status.is_in([QUEUED, RUNNING])
        & (
            (ImportRun.lease_until.is_null() & (ImportRun.created_at < now - QUEUED_GRACE))
            | (ImportRun.lease_until < now)
        )
    )
    return [r["id"] for r in rows]


async def _take_lease(run_id: int, worker: str, now: datetime) -> dict[str, Any] | None:
    won = await (
        ImportRun.update(
            {
                ImportRun.status: RUNNING,
                ImportRun.worker: worker,
                ImportRun.lease_until: now + active().lease,
            }
        )
        .where(
            (ImportRun.id == run_id)
            & (ImportRun.status != DONE)
            & (ImportRun.lease_until.is_null() | (ImportRun.lease_until < now))
        )
        .returning(ImportRun.id)
    )
    if not won:
        return None
    await ImportRun.update({ImportRun.started_at: now}).where(
        (ImportRun.id == run_id) & ImportRun.started_at.is_null()
    )
    rows = await ImportRun.select().where(ImportRun.id == run_id)
    return rows[0]


async def process_run(city: City, run_id: int, *, worker: str | None = None) -> bool:
    """Apply the pending rows of run ``run_id`` (current city) batch by batch.

    Returns:
        Whether this worker finished the run (``False``: another worker holds
        it, it is done already, or its importer is not offered any more).
    """
    worker = worker or new_worker_id()
    run = await _take_lease(run_id, worker, utc_now())
    if run is None:
        return False
    service = active()
    try:
        importer = service.catalog.get(run["importer"], city)
    except UnknownImporterError:
        log.warning(
            "import run %s: importer %r is not offered in %s", run_id, run["importer"], city.slug
        )
        return False
    activate_language(service.catalogs, run["language"])
    batch = _Batch(importer, run, worker)
    while True:
        rows = await (
            ImportRow.select(ImportRow.id, ImportRow.line, ImportRow.cells, ImportRow.errors)
            .where((ImportRow.run == run_id) & (ImportRow.status == PENDING))
            .order_by(ImportRow.id)
            .limit(importer.batch_size)
        )
        if not rows:
            break
        await batch.apply(rows)
    finished = await (
        ImportRun.update(
            {ImportRun.status: DONE, ImportRun.finished_at: utc_now(), ImportRun.lease_until: None}
        )
        .where((ImportRun.id == run_id) & (ImportRun.worker == worker))
        .returning(ImportRun.id)
    )
    return bool(finished)


class _Batch:
    """Applies batches of one run's rows."""

    def __init__(self, importer: Importer, run: dict[str, Any], worker: str) -> None:
        self.importer = importer
        self.run_id: int = run["id"]
        self.user_id: int | None = run["user_id"]
        self.data: dict[str, Any] = json.loads(run["context"] or "{}")
        self.positions: dict[str, int] = json.loads(run["positions"] or "{}")
        self.worker = worker

    async def apply(self, rows: list[dict[str, Any]]) -> None:
        """One transaction: renew the lease, apply each row in a savepoint, record outcomes."""
        async with write_transaction() as transaction:
            held = await (
                ImportRun.update({ImportRun.lease_until: utc_now() + active().lease})
                .where((ImportRun.id == self.run_id) & (ImportRun.worker == self.worker))
                .returning(ImportRun.id)
            )
            if not held:
                raise LeaseLostError(f"import run {self.run_id} was taken over by another worker")
            applied: list[int] = []
            rejected: list[tuple[int, list[tuple[str, str]]]] = []
            for row in rows:
                problems = await self._apply_row(transaction, row)
                if problems:
                    rejected.append((row["id"], problems))
                else:
                    applied.append(row["id"])
            if applied:
                await ImportRow.update({ImportRow.status: OK}).where(ImportRow.id.is_in(applied))
            for row_id, problems in rejected:
                await ImportRow.update(
                    {ImportRow.status: FAILED, ImportRow.errors: json.dumps(problems)}
                ).where(ImportRow.id == row_id)
            await ImportRun.update(
                {
                    ImportRun.done: ImportRun.done + len(rows),
                    ImportRun.ok: ImportRun.ok + len(applied),
                    ImportRun.failed: ImportRun.failed + len(rejected),
                }
            ).where(ImportRun.id == self.run_id)

    async def _apply_row(self, transaction: Any, row: dict[str, Any]) -> list[tuple[str, str]]:
        problems = [(c, m) for c, m in json.loads(row["errors"] or "[]")]
        values = values_of(json.loads(row["cells"]), self.positions, self.importer.columns)
        if not problems:
            problems = [
                (c.name, _("This column is required."))
                for c in self.importer.required_columns
                if not values[c.name]
            ]
        if problems:
            return problems
        context = ImportContext(self.run_id, row["line"], self.user_id, self.data)
        savepoint = await transaction.savepoint()
        try:
            await self.importer.handle_row(values, context)
        except RowError as exc:
            await savepoint.rollback_to()
            return list(exc.problems)
        except Exception:  # a bug or a database error in the handler: reject the row, log it
            await savepoint.rollback_to()
            log.exception(
                "import %s run %s line %s failed", self.importer.key, self.run_id, row["line"]
            )
            return [("", _("This row could not be saved because of an error in the service."))]
        await savepoint.release()
        return []
