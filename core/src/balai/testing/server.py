"""A real HTTP server for a test app: uvicorn on a free port, in a thread of its own.

For tests that need a client outside the process's ASGI test client (a
browser, schemathesis, any HTTP library)::

    with serving(app) as base_url:   # returns once the app's start-up has run
        requests.get(base_url + "/malang/")
    # leaving it stops the server; the app's shut-down runs

The server has its own event loop, so it never meets pytest-asyncio's or a
browser driver's. Seed the database before :meth:`ServerThread.start`
(``run_in_city`` on a fresh loop closes the connections it opened).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

SERVER_START_SECONDS = 30


class ServerThread:
    """Serve an ASGI app with uvicorn on 127.0.0.1 in a background thread."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        self.server = uvicorn.Server(
            uvicorn.Config(app, lifespan="on", log_level="warning", access_log=False)
        )
        self._thread = threading.Thread(target=self._serve, name="balai-test-server", daemon=True)
        self._error: BaseException | None = None

    @property
    def base_url(self) -> str:
        """The server's address, without a trailing slash."""
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        try:
            asyncio.run(self.server.serve(sockets=[self._socket]))
        except BaseException as exc:  # reported to the test in start()
            self._error = exc

    def start(self) -> None:
        """Start serving; return once the app's start-up has finished."""
        self._thread.start()
        deadline = time.monotonic() + SERVER_START_SECONDS
        while not self.server.started:
            if not self._thread.is_alive():
                raise RuntimeError(f"the test server stopped during start-up: {self._error!r}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the test server did not start in {SERVER_START_SECONDS}s")
            time.sleep(0.05)

    def stop(self) -> None:
        """Ask uvicorn to finish (shut-down hooks run) and wait for the thread."""
        self.server.should_exit = True
        self._thread.join(timeout=15)
        self._socket.close()
        if self._thread.is_alive():
            raise RuntimeError("the test server did not stop within 15s")


@contextlib.contextmanager
def serving(app: Any) -> Iterator[str]:
    """Serve ``app`` (a :class:`ServerThread`) while the block runs; gives its base URL."""
    server = ServerThread(app)
    server.start()
    try:
        yield server.base_url
    finally:
        server.stop()
