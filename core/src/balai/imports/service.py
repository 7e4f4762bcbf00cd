"""The imports service of the running application: starting runs, finding them.

:func:`balai.web.app.create_app` calls :func:`activate` with the new
application's parts, so that pages and the processing job reach the
importers and the translations without a request. The application built
last in a process is the active one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from balai.imports.catalog import ImporterCatalog
from balai.imports.parsing import ParsedSheet
from balai.imports.tables import FAILED, QUEUED, ImportRow, ImportRun
from balai.imports.types import Importer
from balai.jobs.service import enqueue
from balai.tables import User
from balai.tenants import City

PROCESS_JOB = "imports.process"
INSERT_CHUNK = 500
# Excel in an Indonesian locale splits CSV on ";" (the decimal separator is ",").
REPORT_DELIMITER = ";"


@dataclass
class ImportService:
    """What imports need from the application."""

    catalog: ImporterCatalog
    catalogs: Any
    # How long a run stays with a worker that stopped renewing it (each batch renews it).
    lease: timedelta = timedelta(minutes=2)


_active: ImportService | None = None


def activate(ui: Any) -> ImportService:
    """Collect the importers of ``ui``'s application and make its service the active one.

    Raises:
        PluginError: a plugin declared an invalid importer.
    """
    global _active
    catalog = ImporterCatalog.from_registry(ui.registry, ui.access.permissions)
    _active = ImportService(
        catalog=catalog,
        catalogs=ui.catalogs,
        lease=timedelta(seconds=ui.config.job_lease_seconds),
    )
    return _active


def active() -> ImportService:
    """The service of the application built last in this process.

    Raises:
        RuntimeError: no application was built.
    """
    if _active is None:
        raise RuntimeError("no Balai application has been built in this process")
    return _active


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def write_transaction() -> Any:
    """A transaction that takes SQLite's write lock at once (no upgrade deadlock)."""
    engine = ImportRun._meta.db
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


def owner_key(importer: Importer, context: Mapping[str, Any]) -> str:
    """The digest runs are filed under: ``""`` for a permission-only importer."""
    if importer.access is None:
        return ""
    canonical = json.dumps(context, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


async def start_run(
    city: City,
    importer: Importer,
    sheet: ParsedSheet,
    *,
    user_id: int | None,
    context: Mapping[str, Any],
    file_name: str,
    language: str,
) -> int:
    """Store the run and its rows, then queue their processing; return the run id."""
    async with write_transaction():
        created = await ImportRun.insert(
            ImportRun(
                importer=importer.key,
                user_id=user_id,
                owner_key=owner_key(importer, context),
                context=json.dumps(dict(context)),
                file_name=file_name[:120],
                file_kind=sheet.kind,
                delimiter=sheet.delimiter or REPORT_DELIMITER,
                header=json.dumps(sheet.header),
                positions=json.dumps(sheet.positions),
                unknown_columns=json.dumps(sheet.unknown),
                language=language,
                status=QUEUED,
                total=len(sheet.rows),
                created_at=utc_now(),
            )
        ).returning(ImportRun.id)
        run_id = created[0]["id"]
        for start in range(0, len(sheet.rows), INSERT_CHUNK):
            chunk = sheet.rows[start : start + INSERT_CHUNK]
            await ImportRow.insert(
                *[
                    ImportRow(
                        run=run_id,
                        line=row.line,
                        cells=json.dumps(row.cells),
                        errors=json.dumps(row.problems),
                    )
                    for row in chunk
                ]
            )
    await enqueue(PROCESS_JOB, city, run_id=run_id)
    return run_id


async def find_run(importer: Importer, run_id: int, key: str) -> dict[str, Any] | None:
    """The run ``run_id`` of ``importer`` in the current city, if ``key`` may see it."""
    rows = await ImportRun.select().where(
        (ImportRun.id == run_id)
        & (ImportRun.importer == importer.key)
        & (ImportRun.owner_key == key)
    )
    return rows[0] if rows else None


async def recent_runs(importer: Importer, key: str, limit: int = 20) -> list[dict[str, Any]]:
    """The latest runs of ``importer`` in the current city that ``key`` may see.

    Each run has ``uploader``: the name of the account that uploaded it
    (``""`` once that account is deleted).
    """
    runs = (
        await ImportRun.select(
            ImportRun.id,
            ImportRun.user_id,
            ImportRun.file_name,
            ImportRun.status,
            ImportRun.total,
            ImportRun.done,
            ImportRun.ok,
            ImportRun.failed,
            ImportRun.created_at,
        )
        .where((ImportRun.importer == importer.key) & (ImportRun.owner_key == key))
        .order_by(ImportRun.id, ascending=False)
        .limit(limit)
    )
    ids = {r["user_id"] for r in runs if r["user_id"] is not None}
    names = (
        {
            u["id"]: u["name"]
            for u in await User.select(User.id, User.name).where(User.id.is_in(list(ids)))
        }
        if ids
        else {}
    )
    for run in runs:
        run["uploader"] = names.get(run["user_id"], "")
    return runs


async def failed_rows(run_id: int, *, limit: int | None = None) -> list[dict[str, Any]]:
    """The failed rows of a run in line order, with their cells and reasons decoded."""
    query = (
        ImportRow.select(ImportRow.line, ImportRow.cells, ImportRow.errors)
        .where((ImportRow.run == run_id) & (ImportRow.status == FAILED))
        .order_by(ImportRow.line)
    )
    if limit is not None:
        query = query.limit(limit)
    return [
        {
            "line": r["line"],
            "cells": json.loads(r["cells"]),
            "errors": [tuple(p) for p in json.loads(r["errors"])],
        }
        for r in await query
    ]
