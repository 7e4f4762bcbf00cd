"""Read pages from a real PostgreSQL streaming replica; writes and fresh reads on the primary.

Needs ``BALAI_TEST_DATABASE_URL`` (the primary) and ``BALAI_TEST_REPLICA_URL``
(a hot standby of it; ``bash tools/pg_replica.sh`` makes one on port 5433,
and ``.ci/run`` does so). To make the replica visibly different from the
primary, the test pauses its replay (``pg_wal_replay_pause()``) and renames
the account on the primary: a page that shows the old name was read from the
replica. The stop/start of the replica uses Debian's ``pg_ctlcluster``
(``BALAI_TEST_REPLICA_CLUSTER``, default ``15 balai_replica``).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import time
from dataclasses import replace
from urllib.parse import urlsplit

import asyncpg
import pytest
from balai.config import ConfigError, load_config
from balai.db.replica import STICKY_COOKIE, is_plain_read
from balai.testing import (
    build_app,
    database_url_named,
    make_login_as,
    make_post_form,
    open_client,
    run_in_city,
)

REPLICA_ENV = "BALAI_TEST_REPLICA_URL"
ACCOUNT = "/malang/akun/"


@pytest.fixture
def balai_plugins():
    return []


def test_only_plain_selects_may_go_to_the_replica():
    assert is_plain_read('SELECT "balai_user"."name" FROM "balai_user" WHERE id = $1')
    assert is_plain_read("WITH t AS (SELECT 1) SELECT * FROM t")
    for statement in (
        'INSERT INTO "balai_user" ("name") VALUES ($1) RETURNING "id"',
        'UPDATE "balai_user" SET "name" = $1',
        'SELECT * FROM "balai_job" WHERE id = $1 FOR UPDATE SKIP LOCKED',
        "SELECT pg_try_advisory_lock(1)",
        "SELECT nextval('s')",
        "WITH gone AS (DELETE FROM t RETURNING id) SELECT count(*) FROM gone",
        'CREATE TABLE "t" ("id" serial)',
    ):
        assert not is_plain_read(statement), statement


def test_a_replica_needs_postgresql(tmp_path):
    path = tmp_path / "balai.toml"
    path.write_text('[cities.malang]\nname = "Kota Malang"\n[instance]\ndevelopment = true\n')
    env = {"DATABASE_REPLICA_URL": "postgresql://postgres@127.0.0.1:5433/balai"}
    with pytest.raises(ConfigError, match="DATABASE_REPLICA_URL"):
        load_config(path, environ=env)
    env["DATABASE_URL"] = "postgresql://postgres@127.0.0.1:5432/balai"
    assert load_config(path, environ=env).database_replica_url == env["DATABASE_REPLICA_URL"]


def _sql(url: str, statement: str):
    async def run():
        connection = await asyncpg.connect(url, timeout=5)
        try:
            return await connection.fetchval(statement)
        finally:
            await connection.close()

    return asyncio.run(run())


def _wait_replayed(primary: str, replica: str, *, replay: bool = True) -> None:
    """Wait until the replica received (and, with ``replay``, replayed) all the primary wrote."""
    target = _sql(primary, "SELECT pg_current_wal_lsn()::text")
    column = "pg_last_wal_replay_lsn()" if replay else "pg_last_wal_receive_lsn()"
    deadline = time.monotonic() + 20
    while not _sql(replica, f"SELECT {column} >= '{target}'::pg_lsn"):
        assert time.monotonic() < deadline, f"the replica did not reach {target} in 20 s"
        time.sleep(0.05)


def _cluster(action: str) -> None:
    version, name = os.environ.get("BALAI_TEST_REPLICA_CLUSTER", "15 balai_replica").split()
    subprocess.run(["pg_ctlcluster", version, name, action], check=True, timeout=60)


def test_reads_from_the_replica_writes_and_fresh_reads_on_the_primary(
    balai_config, balai_test_databases, postgres_url, balai_fast_passwords
):
    replica_server = os.environ.get(REPLICA_ENV)
    if not replica_server:
        pytest.skip(f"{REPLICA_ENV} is not set (a streaming replica: bash tools/pg_replica.sh)")
    if not shutil.which("pg_ctlcluster"):
        pytest.skip("pg_ctlcluster (Debian's postgresql-common) is needed to stop the replica")
    replica = database_url_named(replica_server, urlsplit(postgres_url).path.lstrip("/"))
    assert _sql(replica, "SELECT pg_is_in_recovery()"), f"{replica} is not a standby"
    config = replace(
        balai_config,
        database_replica_url=replica,
        replica_max_lag_seconds=3600,
        replica_sticky_seconds=30,
    )
    app = build_app(config, balai_test_databases, database_url=postgres_url, plugins=[])
    route = app.ui.database.replica
    route.check_seconds = 0  # the test changes the replica's state between requests
    paused = False
    try:
        with open_client(app) as client:
            post_form = make_post_form(client)
            user = make_login_as(client, app, post_form)(name="Nama Lama")
            assert STICKY_COOKIE in client.cookies, "a login writes: the browser sticks to primary"
            _wait_replayed(postgres_url, replica)

            # A page view with no recent write reads from the replica.
            client.cookies.delete(STICKY_COOKIE)
            before = route.served
            page = client.get(ACCOUNT)
            assert page.status_code == 200 and "Nama Lama" in page.text
            assert route.served > before, "the account page's reads went to the replica"
            assert STICKY_COOKIE not in page.headers.get("set-cookie", "")

            async def in_recovery():
                async with route.pool.acquire() as connection:
                    return await connection.fetchval("SELECT pg_is_in_recovery()")

            assert run_in_city(app, "malang", in_recovery), "the read pool is the standby's"

            # Freeze the replica, then someone renames the account on the primary.
            _sql(replica, "SELECT pg_wal_replay_pause()")
            paused = True
            _sql(postgres_url, f"UPDATE balai_user SET name = 'Nama Baru' WHERE id = {user['id']}")
            _wait_replayed(postgres_url, replica, replay=False)

            page = client.get(ACCOUNT)
            assert "Nama Lama" in page.text, "read from the (paused) replica: the old name"

            # The browser writes (signs in again): its next reads see the primary.
            again = {"login": user["login"], "password": user["password"], "next": ""}
            assert post_form("/malang/masuk", again).status_code == 303
            assert STICKY_COOKIE in client.cookies
            page = client.get(ACCOUNT)
            assert page.status_code == 200 and "Nama Baru" in page.text, "own write, fresh read"

            # Lag beyond the limit: the primary answers without the cookie too.
            client.cookies.delete(STICKY_COOKIE)
            route.max_lag_seconds = 0.2
            time.sleep(0.3)
            before = route.served
            page = client.get(ACCOUNT)
            assert "Nama Baru" in page.text and route.served == before, "lagging: primary"

            _sql(replica, "SELECT pg_wal_replay_resume()")
            paused = False
            _wait_replayed(postgres_url, replica)
            route.max_lag_seconds = 3600
            page = client.get(ACCOUNT)
            assert "Nama Baru" in page.text and route.served > before, "caught up: replica again"

            # The replica stops: pages still answer, from the primary.
            _cluster("stop")
            try:
                served, fell_back = route.served, route.fell_back
                for _ in range(3):
                    page = client.get(ACCOUNT)
                    assert page.status_code == 200 and "Nama Baru" in page.text
                assert route.served == served and route.fell_back > fell_back
                # A write while the replica is down still lands on the primary.
                assert post_form("/malang/keluar", {}).status_code == 303
                assert STICKY_COOKIE in client.cookies
            finally:
                _cluster("start")
    finally:
        if paused:
            _sql(replica, "SELECT pg_wal_replay_resume()")
