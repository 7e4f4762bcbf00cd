"""The test kit touches only what its run created on shared PostgreSQL and Redis servers.

A run creates its own database (``balai_test_<pid>_<random>``) next to the
one ``BALAI_TEST_DATABASE_URL`` names and writes Redis keys under its own
prefix; it drops and deletes exactly those at the end. The server tests run
when the variables are set (as in CI); the guards below run everywhere.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from balai.db.database import Database
from balai.jobs.service import enqueue
from balai.testing import (
    DATABASE_ENV,
    REDIS_ENV,
    TEST_SECRET_KEY,
    TestDatabases,
    build_app,
    run_database_name,
    run_in_city,
    run_redis_prefix,
    write_config,
)

# --- guards that need no server --------------------------------------------------


def test_run_names_are_unique_per_process_and_safe_as_identifiers():
    assert run_database_name().startswith(f"balai_test_{os.getpid()}_")
    assert run_redis_prefix().startswith(f"balai-test-{os.getpid()}-")
    assert run_redis_prefix().endswith(":")
    assert run_database_name().replace("_", "").isalnum()
    other = subprocess.run(
        [sys.executable, "-c", "import balai.testing as t; print(t.run_database_name())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert other.startswith("balai_test_") and other != run_database_name()


def test_the_kit_refuses_to_empty_a_postgres_database_it_did_not_create(tmp_path):
    databases = TestDatabases(tmp_path)
    foreign = Database("postgresql://postgres@127.0.0.1:5432/test", ["balai.piccolo_app"])
    with pytest.raises(RuntimeError, match="empties only the database it created"):
        databases.prepare(foreign)


def test_the_kit_refuses_a_test_app_on_redis_without_the_run_prefix(tmp_path, balai_test_databases):
    config = write_config(
        tmp_path / "instance",
        {"malang": [], "semarang": []},
        environ={"BALAI_SECRET_KEY": TEST_SECRET_KEY, "REDIS_URL": "redis://127.0.0.1:6379/0"},
    )
    assert config.redis_prefix == "balai:"  # an operator's default, which the kit never clears
    with pytest.raises(RuntimeError, match="this run's key prefix"):
        build_app(config, balai_test_databases)


# --- every Redis key the app writes carries the prefix -----------------------------


class RedisCommands:
    """Records every command the async Redis clients send (pipelines included)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from redis.asyncio.client import Pipeline, Redis

        self.sent: list[tuple[Any, ...]] = []
        plain = Redis.execute_command
        queued = Pipeline.pipeline_execute_command

        def execute_command(client: Any, *args: Any, **options: Any) -> Any:
            self.sent.append(args)
            return plain(client, *args, **options)

        def pipeline_execute_command(pipe: Any, *args: Any, **options: Any) -> Any:
            self.sent.append(args)
            return queued(pipe, *args, **options)

        monkeypatch.setattr(Redis, "execute_command", execute_command)
        monkeypatch.setattr(Pipeline, "pipeline_execute_command", pipeline_execute_command)

    def keys(self, url: str) -> set[str]:
        """The keys of the recorded commands, as the server itself finds them."""
        import redis

        found: set[str] = set()
        server = redis.Redis.from_url(url)
        try:
            for args in self.sent:
                name = str(args[0]).upper()
                if name == "SCAN":
                    words = [_text(a) for a in args]
                    found.add(words[words.index("MATCH") + 1])
                elif name not in {"PING", "SCRIPT LOAD", "CLIENT SETINFO"}:
                    found.update(_text(k) for k in server.command_getkeys(*args))
        finally:
            server.close()
        return found


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


@pytest.mark.redis
def test_sessions_throttles_locks_and_queues_use_only_the_run_prefix(
    redis_url, monkeypatch, client, balai_app, login_as, post_form
):
    commands = RedisCommands(monkeypatch)
    login_as(None)
    refused = post_form("/malang/masuk", {"login": "nobody@example.id", "password": "wrong"})
    assert refused.status_code in {400, 401, 403, 429}
    post_form("/malang/keluar", {})
    malang = balai_app.ui.config.cities["malang"]
    runner = balai_app.ui.jobs.runner

    async def jobs() -> None:
        await enqueue("imports.process", malang, run_id=987654)  # no such upload: a no-op
        await runner.run_queued()
        await runner.run_due(datetime(2026, 12, 7, 3, 45, tzinfo=UTC))
        await runner.queue.recover()

    run_in_city(balai_app, "malang", jobs)

    keys = commands.keys(redis_url)
    prefix = run_redis_prefix()
    assert balai_app.ui.config.redis_prefix == prefix
    assert keys and all(k.startswith(prefix) for k in keys), sorted(keys)
    used = sorted(k[len(prefix) :] for k in keys)
    for part in ("session:", "throttle:", "jobs:queue", "jobs:lock:", "jobs:worker:"):
        assert any(u.startswith(part) for u in used), (part, used)
    assert "jobs:processing:*" in used  # the recovery's scan looks under the prefix too


# --- two runs on one server, next to a developer's own data ------------------------

INNER_TEST = '''
"""One test run of the kit, started twice at once by the outer test."""

import json
import os
import time
from pathlib import Path

import pytest
import redis
from balai.tables import User
from balai.testing import run_database_name, run_redis_prefix

MEETING = Path(os.environ["MEETING"])
NAME = os.environ["RUN_NAME"]
USERS = int(os.environ["RUN_USERS"])


@pytest.fixture
def balai_plugins():
    return []


def wait_for_both(step):
    (MEETING / f"{step}-{NAME}").touch()
    deadline = time.monotonic() + 120
    while len(list(MEETING.glob(f"{step}-*"))) < 2:
        assert time.monotonic() < deadline, f"the other run never reached {step}"
        time.sleep(0.05)


def test_a_run_sees_only_its_own_rows_and_keys(client, login_as, city_run, balai_app):
    (MEETING / f"names-{NAME}.json").write_text(
        json.dumps({"database": run_database_name(), "prefix": run_redis_prefix()})
    )
    wait_for_both("started")
    for _ in range(USERS):
        login_as(None)
    wait_for_both("written")

    async def count():
        return await User.count()

    assert city_run("malang", count) == USERS
    store = redis.Redis.from_url(os.environ["BALAI_TEST_REDIS_URL"])
    try:
        sessions = list(store.scan_iter(match=run_redis_prefix() + "session:*"))
        assert len(sessions) == 1  # this client's, the last login
    finally:
        store.close()
    wait_for_both("checked")
'''


def _server_url() -> str:
    url = os.environ.get(DATABASE_ENV)
    if not url or not os.environ.get(REDIS_ENV):
        pytest.skip(f"{DATABASE_ENV} and {REDIS_ENV} are not both set")
    return url


async def _pg(url: str, statement: str, *args: Any) -> list[Any]:
    import asyncpg

    connection = await asyncpg.connect(url, timeout=10)
    try:
        return await connection.fetch(statement, *args)
    finally:
        await connection.close()


@pytest.mark.postgres
@pytest.mark.redis
def test_two_runs_at_once_leave_each_other_and_the_servers_data_alone(tmp_path: Path):
    url = _server_url()
    import redis

    mark = secrets.token_hex(4)
    sentinel = f"balai_sentinel_{mark}"
    keys = {f"balai:sentinel:{mark}": "kept", f"balai:session:sentinel-{mark}": "kept"}
    asyncio.run(_pg(url, f'CREATE TABLE "{sentinel}" (note text)'))
    asyncio.run(_pg(url, f'INSERT INTO "{sentinel}" VALUES ($1)', "a developer's row"))
    store = redis.Redis.from_url(os.environ[REDIS_ENV])
    store.mset(keys)
    try:
        meeting = tmp_path / "meeting"
        meeting.mkdir()
        (tmp_path / "test_inner.py").write_text(textwrap.dedent(INNER_TEST), encoding="utf-8")
        (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        runs = {
            name: subprocess.Popen(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_inner.py"],
                cwd=tmp_path,
                env={**os.environ, "MEETING": str(meeting), "RUN_NAME": name, "RUN_USERS": users},
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for name, users in (("first", "2"), ("second", "3"))
        }
        outputs = {name: run.communicate(timeout=600)[0] for name, run in runs.items()}
        for name, run in runs.items():
            assert run.returncode == 0, outputs[name]
            assert "1 passed" in outputs[name], outputs[name]

        names = [json.loads((meeting / f"names-{n}.json").read_text()) for n in runs]
        databases = {n["database"] for n in names}
        prefixes = {n["prefix"] for n in names}
        assert len(databases) == 2 and len(prefixes) == 2
        assert asyncio.run(_pg(url, f'SELECT note FROM "{sentinel}"'))[0]["note"] == (
            "a developer's row"
        )
        assert {k: store.get(k) for k in keys} == {k: v.encode() for k, v in keys.items()}
        left = asyncio.run(
            _pg(url, "SELECT datname FROM pg_database WHERE datname = ANY($1)", list(databases))
        )
        assert left == []  # each run dropped the database it created
        for prefix in prefixes:
            assert list(store.scan_iter(match=prefix + "*")) == []
    finally:
        asyncio.run(_pg(url, f'DROP TABLE IF EXISTS "{sentinel}"'))
        store.delete(*keys)
        store.close()


STOPPED_TEST = """
import json
import os
import time
from pathlib import Path

from balai.testing import run_database_name, run_redis_prefix


def test_waits_to_be_stopped(client):
    client.get("/malang/")
    names = {"database": run_database_name(), "prefix": run_redis_prefix()}
    Path(os.environ["NAMES"]).write_text(json.dumps(names))
    time.sleep(600)
"""


@pytest.mark.postgres
@pytest.mark.redis
def test_a_run_stopped_with_sigterm_still_drops_its_database_and_keys(tmp_path: Path):
    import redis

    url = _server_url()
    (tmp_path / "test_stopped.py").write_text(textwrap.dedent(STOPPED_TEST), encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    names_file = tmp_path / "names.json"
    run = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_stopped.py"],
        cwd=tmp_path,
        env={**os.environ, "NAMES": str(names_file)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 300
        while not names_file.exists():
            assert run.poll() is None, run.communicate()[0]
            assert time.monotonic() < deadline, "the inner run never started its test"
            time.sleep(0.2)
        names = json.loads(names_file.read_text())
        created = asyncio.run(
            _pg(url, "SELECT 1 FROM pg_database WHERE datname = $1", names["database"])
        )
        assert created, "the run's database should exist while it runs"
        run.send_signal(signal.SIGTERM)
        output = run.communicate(timeout=120)[0]
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode != 0, output
    left = asyncio.run(_pg(url, "SELECT 1 FROM pg_database WHERE datname = $1", names["database"]))
    assert left == [], output
    store = redis.Redis.from_url(os.environ[REDIS_ENV])
    try:
        assert list(store.scan_iter(match=names["prefix"] + "*")) == []
    finally:
        store.close()
