"""The jobs service's tables (Piccolo app ``jobs``).

Both tables hold rows of every city with an explicit ``city`` column rather
than deriving from ``CityTable``: the runner and ``balai jobs`` work across
all cities at once, outside any city scope. Nothing in them is personal
data; job arguments must not be either (pass record ids, not names).
"""

from __future__ import annotations

from piccolo.columns import Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

RUNNING = "running"
OK = "ok"
FAILED = "failed"
STOPPED = "stopped"  # cut short by a worker's shut-down; the claim was released
QUEUED = "queued"
DONE = "done"

SCHEDULED = "scheduled"
ONCE = "once"


class JobRun(Table, tablename="balai_jobs_run"):
    """One run of a job for one city: claimed, then finished ok or failed.

    While the run goes on, its worker renews ``lease_until``; a ``running``
    row whose lease has passed belongs to a worker that died (kill -9, a lost
    host): another worker records it ``stopped``, frees its claim key and
    runs the job again (:meth:`balai.jobs.runner.JobRunner.expire_dead_runs`).

    ``claim_key`` is unique: ``<job>|<city>|<slot ISO>`` for scheduled runs,
    ``once|<token>`` for one-off runs, so that inserting the row is the claim
    (a second worker's insert finds the key taken and skips the run).
    """

    job = Varchar(length=120, index=True)
    city = Varchar(length=40, index=True)
    kind = Varchar(length=10, default=SCHEDULED)
    slot = Timestamptz()
    claim_key = Varchar(length=240, unique=True)
    status = Varchar(length=10, default=RUNNING)
    error = Text(default="")
    worker = Varchar(length=80, default="")
    started_at = Timestamptz()
    finished_at = Timestamptz(null=True, default=None)
    # Renewed while the run goes on; a running run past it lost its worker.
    lease_until = Timestamptz(null=True, default=None)


class QueuedJob(Table, tablename="balai_jobs_queue"):
    """A one-off run waiting in the database queue (used when Redis is not configured).

    A worker takes a row by moving it from ``queued`` to ``running`` in one
    conditional ``UPDATE``; only the worker whose update changed the row runs it.
    """

    token = Varchar(length=40, unique=True)
    job = Varchar(length=120)
    city = Varchar(length=40)
    kwargs = Text(default="{}")
    status = Varchar(length=10, default=QUEUED, index=True)
    attempts = Integer(default=0)
    enqueued_at = Timestamptz()
    claimed_by = Varchar(length=80, default="")
    claimed_at = Timestamptz(null=True, default=None)
