"""The access log names the city of each request, by host or by path prefix."""

from __future__ import annotations

import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from balai.testing import write_config

LINE = re.compile(r'^(\S+) - (\S+) "(\S+) (\S+) HTTP/[\d.]+" (\d{3}) (\d+)ms$')


def access_lines(caplog: pytest.LogCaptureFixture) -> list[tuple[str, ...]]:
    found = []
    for record in caplog.records:
        if record.name == "balai.access":
            match = LINE.match(record.getMessage())
            assert match, record.getMessage()
            found.append(match.groups()[1:5])
    return found


def test_each_request_is_logged_with_its_city_by_path_or_by_host(client, caplog):
    caplog.set_level(logging.INFO, logger="balai.access")
    client.get("/malang/?lihat=1")
    client.get("/", headers={"Host": "semarang.localhost"})
    client.get("/tidak-ada/", follow_redirects=False)
    client.get("/", headers={"Host": "kota-lain.example"})
    lines = access_lines(caplog)
    assert lines[:3] == [
        ("malang", "GET", "testserver/malang/?lihat=1", "200"),
        ("semarang", "GET", "semarang.localhost/", "200"),
        ("-", "GET", "testserver/tidak-ada/", "404"),
    ]
    assert lines[3][:3] == ("-", "GET", "kota-lain.example/")  # no city: the list, or refused


def test_refused_and_failed_requests_are_logged_with_their_status(client, caplog, post_form):
    caplog.set_level(logging.INFO, logger="balai.access")
    client.post("/malang/masuk", data={"login": "x"})  # no CSRF token
    assert access_lines(caplog) == [("malang", "POST", "testserver/malang/masuk", "403")]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_balai_serve_prints_the_access_line_instead_of_uvicorns(tmp_path: Path):
    write_config(tmp_path / "instance", {"malang": [], "semarang": []})
    config = tmp_path / "instance" / "balai.toml"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "BALAI_CONFIG", "BALAI_SECRET_KEY"}
    }
    balai = [str(Path(sys.executable).parent / "balai")]
    subprocess.run([*balai, "migrate", "--config", config], env=env, check=True, timeout=300)
    port = _free_port()
    server = subprocess.Popen(
        [*balai, "serve", "--config", config, "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base}/malang/", timeout=5).read()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "no server"
                time.sleep(0.3)
        by_host = urllib.request.Request(f"{base}/", headers={"Host": f"semarang.localhost:{port}"})
        urllib.request.urlopen(by_host, timeout=5).read()
    finally:
        server.terminate()
        output = server.communicate(timeout=60)[0]
    assert re.search(rf' - malang "GET 127\.0\.0\.1:{port}/malang/ HTTP/1\.1" 200 \d+ms', output)
    assert re.search(rf' - semarang "GET semarang\.localhost:{port}/ HTTP/1\.1" 200 \d+ms', output)
    assert '"GET /malang/ HTTP/1.1" 200 OK' not in output  # uvicorn's own line is off
