"""The imports service's tables (Piccolo app ``imports``).

An upload becomes one :class:`ImportRun` and one :class:`ImportRow` per data
row, written before any row is applied. Processing moves rows from
``pending`` to ``ok`` or ``failed`` in the same transaction as the
handler's own writes, so a row is applied exactly once even when a worker
dies mid-way: what was committed is marked, the rest is still pending.
Rows keep the uploaded cells (for the error report); they may hold personal
data and are deleted with their run after :data:`KEEP_RUNS`.
"""

from __future__ import annotations

from datetime import timedelta

from piccolo.columns import Integer, Text, Timestamptz, Varchar

from balai.db.tables import CityTable

QUEUED = "queued"
RUNNING = "running"
DONE = "done"

PENDING = "pending"
OK = "ok"
FAILED = "failed"

KEEP_RUNS = timedelta(days=90)


class ImportRun(CityTable, tablename="balai_imports_run"):
    """One uploaded file for one importer, and its progress.

    ``context`` is the JSON the importer's access callback returned for the
    uploader and ``owner_key`` its digest (runs are listed to requests with
    the same context). ``header`` and ``positions`` (JSON) say where each
    column is among the stored cells. ``lease_until``/``worker``: the worker
    processing the run holds a lease renewed after each batch; an expired
    lease lets another worker resume it.
    """

    importer = Varchar(length=120, index=True)
    user_id = Integer(null=True, default=None, index=True)
    owner_key = Varchar(length=64, default="", index=True)
    context = Text(default="{}")
    file_name = Varchar(length=120, default="")
    file_kind = Varchar(length=8, default="csv")
    delimiter = Varchar(length=1, default=",")
    header = Text(default="[]")
    positions = Text(default="{}")
    unknown_columns = Text(default="[]")
    language = Varchar(length=8, default="id")
    status = Varchar(length=10, default=QUEUED, index=True)
    total = Integer(default=0)
    done = Integer(default=0)
    ok = Integer(default=0)
    failed = Integer(default=0)
    worker = Varchar(length=80, default="")
    lease_until = Timestamptz(null=True, default=None)
    created_at = Timestamptz()
    started_at = Timestamptz(null=True, default=None)
    finished_at = Timestamptz(null=True, default=None)


class ImportRow(CityTable, tablename="balai_imports_row"):
    """One data row of a run: its cells (JSON list) and, once failed, the reasons.

    ``errors`` is a JSON list of ``[column, message]`` (column ``""`` for the
    whole row). Problems found while reading the file are stored at upload
    and make the row fail without calling the handler.
    """

    run = Integer(index=True)
    line = Integer()
    cells = Text(default="[]")
    status = Varchar(length=8, default=PENDING)
    errors = Text(default="[]")
