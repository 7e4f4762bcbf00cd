"""Starting and stopping the bench servers: uvicorn, one worker, pinned to a core."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.counting import PROBE_PATH

REPO = Path(__file__).resolve().parents[1]
SERVER_CORE = 0


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running uvicorn process serving one bench application."""

    name: str
    factory: str
    port: int
    process: subprocess.Popen
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def pid(self) -> int:
        """The server's process id (taskset execs, so this is Python's)."""
        return self.process.pid

    @property
    def base(self) -> str:
        """The server's base URL."""
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 30) -> str:
        """The end of the server's output, for error messages."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def queries(self) -> dict:
        """The server's statement count and most recent statements."""
        with urllib.request.urlopen(self.base + PROBE_PATH, timeout=10) as response:
            return json.loads(response.read())


def launch(name: str, factory: str, env: dict[str, str], log_dir: Path) -> Server:
    """Start ``factory`` under uvicorn pinned to the server core (see :func:`wait_ready`)."""
    port = free_port()
    log_path = log_dir / f"{name}.log"
    command = [
        "taskset",
        "-c",
        str(SERVER_CORE),
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        factory,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env={**os.environ, **env, "PYTHONPATH": str(REPO)},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(name, factory, port, process, log_path, env)


def wait_ready(server: Server, timeout: float = 90) -> Server:
    """Wait until the server answers its probe; stop it and raise when it does not."""
    process, name = server.process, server.name
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited during start-up:\n{server.log_tail()}")
        try:
            server.queries()
            return server
        except OSError:
            time.sleep(0.2)
    stop(server)
    raise RuntimeError(f"{name} did not answer within {timeout:.0f} s:\n{server.log_tail()}")


def stop(server: Server) -> None:
    """Stop the server (SIGTERM, then SIGKILL after 10 s)."""
    if server.process.poll() is not None:
        return
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=10)


def launch_pair(twin_factory: str, env: dict[str, str], log_dir: Path) -> dict[str, Server]:
    """The platform (``bench.serve_balai:build``) and a page's twin, both ready.

    Returns ``{"platform": …, "twin": …}``; when either fails to start, both are stopped.
    """
    running = {
        name: launch(name, factory, env, log_dir)
        for name, factory in (("platform", "bench.serve_balai:build"), ("twin", twin_factory))
    }
    try:
        for server in running.values():
            wait_ready(server)
    except Exception:
        for server in running.values():
            stop(server)
        raise
    return running
