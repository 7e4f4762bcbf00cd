"""The running application, for work that starts without a request (jobs).

Jobs are called with a city only; settling and expiring need the plugin
registry (to call hooks) and the configuration (gateway secret). The
payments plugin's ``startup`` hook records the app here, the way the jobs
service records itself for ``toolkit.enqueue``.
"""

from __future__ import annotations

from typing import Any

_app: Any = None


def remember(app: Any) -> None:
    """Record the litestar app that started last in this process."""
    global _app
    _app = app


def active_app() -> Any:
    """The litestar app recorded at start-up.

    Raises:
        RuntimeError: no application has started in this process.
    """
    if _app is None:
        raise RuntimeError("the payments service has not started in this process")
    return _app
