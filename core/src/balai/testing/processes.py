"""Real ``balai`` processes for tests and tools: serve on a free port, kill, read the database.

Used by the two-server test (``tests/test_two_servers.py``) and the kill -9
loop (``tools/kill_loop.py``)::

    server = start_serve(config, env, log_path)   # returns once /healthz answers
    ...                                          # load it over HTTP at server.base
    server.kill()                                # SIGKILL: no shut-down runs
    in_city(config, env, "malang", read_something)

``env`` is the whole environment of the child processes (``DATABASE_URL``,
``REDIS_URL``, ``REDIS_KEY_PREFIX``, ``BALAI_SECRET_KEY`` ...); :func:`in_city`
reads the database with the same values in this process.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx

T = TypeVar("T")
# A loaded CI machine starts a server slowly.
START_SECONDS = 180
# The variables :func:`in_city` copies from the children's environment.
SHARED_ENV = ("DATABASE_URL", "REDIS_URL", "REDIS_KEY_PREFIX", "BALAI_SECRET_KEY")


def balai_command() -> str:
    """The ``balai`` script installed beside this Python.

    Raises:
        RuntimeError: it is not installed there.
    """
    found = shutil.which("balai", path=str(Path(sys.executable).parent))
    if not found:
        raise RuntimeError("the balai command is not installed beside this Python")
    return found


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_balai(args: Sequence[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run ``balai ARGS`` to the end with ``env``; its output is captured as text."""
    return subprocess.run(  # noqa: S603 (our own command)
        [balai_command(), *args], env=env, capture_output=True, text=True, check=False
    )


@dataclass
class ServeProcess:
    """One running ``balai serve``."""

    process: subprocess.Popen[bytes]
    base: str
    log: Path

    def wait_healthy(self, seconds: float = START_SECONDS) -> None:
        """Return once ``/healthz`` answers 200.

        Raises:
            RuntimeError: the process exited, or did not answer in time (the log names why).
        """
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"balai serve at {self.base} exited with {self.process.returncode}; "
                    f"see {self.log}"
                )
            try:
                if httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"balai serve at {self.base} did not answer in {seconds}s ({self.log})")

    def kill(self) -> None:
        """SIGKILL the server's process group (its workers too) and reap it."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self, seconds: float = 20) -> None:
        """Ask the server to shut down (SIGTERM); SIGKILL it after ``seconds``."""
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            self.kill()


def start_serve(
    config: Path,
    env: dict[str, str],
    log: Path,
    *,
    workers: int = 1,
    extra: Sequence[str] = (),
    wait: bool = True,
) -> ServeProcess:
    """Start ``balai serve`` on a free port, its output appended to ``log``.

    The server runs in a process group of its own, so that :meth:`ServeProcess.kill`
    reaches every worker. With ``wait`` (the default) it returns once the
    server answers; otherwise call :meth:`ServeProcess.wait_healthy`.
    """
    port = free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(  # noqa: S603 (our own command)
            [
                balai_command(),
                "serve",
                "--config",
                str(config),
                "--port",
                str(port),
                "--workers",
                str(workers),
                *extra,
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = ServeProcess(process, f"http://127.0.0.1:{port}", log)
    if wait:
        server.wait_healthy()
    return server


def admin_app(config: Path, env: dict[str, str]) -> Any:
    """The administration application of ``config``, built with ``env``'s shared variables.

    Build it once and hand it to :func:`in_city` for many reads: building is
    the slow part.
    """
    import balai.asgi

    with _environment(env):
        return balai.asgi.build_admin_app(config)


def in_city(
    config: Path,
    env: dict[str, str],
    slug: str,
    work: Callable[[], Awaitable[T]],
    *,
    app: Any = None,
    loop: asyncio.AbstractEventLoop | None = None,
) -> T:
    """Run ``work()`` in city ``slug`` of the instance ``config``, with the servers' database.

    The variables of :data:`SHARED_ENV` in ``env`` are this process's while
    it runs. ``app`` (from :func:`admin_app`) saves building one; reusing it
    needs one ``loop`` for every call (its Redis client stays on the loop it
    first ran on); without ``loop`` a fresh one runs ``work``.
    """
    from balai.asgi import connected
    from balai.tenants import city_scope

    with _environment(env):
        app = app or admin_app(config, env)

        async def run() -> T:
            async with connected(app):
                with city_scope(app.ui.config.cities[slug]):
                    return await work()

        return loop.run_until_complete(run()) if loop is not None else asyncio.run(run())


@contextlib.contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update({k: env[k] for k in SHARED_ENV if k in env})
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
