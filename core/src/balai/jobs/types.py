"""The job declaration plugins return from the ``scheduled_jobs`` hook."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import time, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from balai.tenants import City

_NAME = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9_.\-]+$")
MIN_INTERVAL = timedelta(seconds=10)


@dataclass(frozen=True)
class Job:
    """A unit of background work of one plugin, run per city.

    Attributes:
        name: Namespaced ``<slug>.<what>`` (``payments.expire_invoices``).
        run: ``async def run(city, **kwargs)``; called inside
            ``toolkit.city_scope(city)`` for each city that enables the
            owning plugin (built-in services: every city). Scheduled runs get
            no keyword arguments; one-off runs get the ones given to
            ``toolkit.enqueue``. A function that names a parameter
            ``context`` (``async def run(city, *, context, **kwargs)``) also
            gets a :class:`JobContext`. ``balai jobs run --arg NAME=VALUE``
            converts each value to its parameter's annotation (``int``,
            ``float``, ``str``, ``bool``) and refuses one that does not fit;
            a value for an unannotated parameter is read as JSON if it can be.
        every: Run at every multiple of this interval (slots aligned to the
            Unix epoch, so every worker computes the same slots).
        daily_at: Run once a day at this wall-clock time in the city's zone.
        description: One sentence for ``balai jobs`` (a gettext msgid).
        timeout: A run still going after this long is cancelled and recorded
            as failed, so that one stuck job cannot hold up the runner.

    A job with neither ``every`` nor ``daily_at`` only runs when enqueued.
    """

    name: str
    run: Callable[..., Awaitable[Any]]
    every: timedelta | None = None
    daily_at: time | None = None
    description: str = ""
    timeout: timedelta = timedelta(minutes=10)

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"job name {self.name!r} must look like 'slug.what'")
        if self.every is not None and self.daily_at is not None:
            raise ValueError(f"job {self.name!r}: give every or daily_at, not both")
        if self.every is not None and self.every < MIN_INTERVAL:
            raise ValueError(f"job {self.name!r}: every must be at least {MIN_INTERVAL}")
        if self.timeout <= timedelta(0):
            raise ValueError(f"job {self.name!r}: timeout must be positive")
        if self.daily_at is not None and self.daily_at.tzinfo is not None:
            raise ValueError(f"job {self.name!r}: daily_at is city-local; give a naive time")

    @property
    def owner(self) -> str:
        """The slug of the plugin the job belongs to (the part before the first dot)."""
        return self.name.split(".", 1)[0]

    @property
    def scheduled(self) -> bool:
        """Whether the job runs on a schedule (not only when enqueued)."""
        return self.every is not None or self.daily_at is not None

    def schedule_text(self) -> str:
        """The schedule in short form: ``every 5m``, ``daily 02:00``, ``on demand``."""
        if self.every is not None:
            return f"every {span_text(self.every)}"
        if self.daily_at is not None:
            return f"daily {self.daily_at.strftime('%H:%M')}"
        return "on demand"


def span_text(delta: timedelta) -> str:
    """An interval in the largest whole unit: ``30s``, ``5m``, ``2h``, ``1d``."""
    seconds = int(delta.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


CONTEXT_PARAMETER = "context"


@dataclass(frozen=True)
class JobContext:
    """What a run may need besides its city: given to jobs whose ``run`` names ``context``.

    A job runs without a request, so it cannot reach the application through
    ``request.app``; the runner hands it the same application here, the one
    that built the runner (a worker's server, ``balai jobs run``, a test app).

    Attributes:
        city: The city of the run (also the current city of the run's scope).
        job: The job's name.
        run_id: The id of the run's record (``balai jobs`` lists it).
        worker: The id of the worker performing the run.
        app: The litestar application, as ``request.app`` is in a handler;
            ``app.state.ui`` holds the instance configuration and the plugin
            registry. ``None`` only for a runner built without an
            application (the core's own unit tests).
    """

    city: City
    job: str
    run_id: int
    worker: str
    app: Any = None

    @property
    def ui(self) -> Any:
        """The application's state (``app.state.ui``): configuration, registry, database.

        Raises:
            RuntimeError: the runner was built without an application.
        """
        if self.app is None:
            raise RuntimeError(f"job {self.job!r} needs the application, and this runner has none")
        return self.app.state.ui
