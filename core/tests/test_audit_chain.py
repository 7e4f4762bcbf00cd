"""The audit chain: entries chain by hash per city, tampering is found, appends never fork.

Runs on SQLite, and on PostgreSQL when BALAI_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
from functools import partial

import pytest
from balai.audit.chain import GENESIS_HASH, ChainBrokenError, entry_hash, verify_city, verify_job
from balai.audit.log import record
from balai.audit.tables import AuditEntry
from balai.tenants import NoCityError, current_city


async def _entries() -> list[dict]:
    return await AuditEntry.select().order_by(AuditEntry.seq)


async def _raw(sql: str) -> None:
    await AuditEntry._meta.db.run_ddl(sql)


async def _tamper(sql: str) -> None:
    """Change rows behind the application's back, as someone with database access could."""
    if AuditEntry._meta.db.engine_type == "sqlite":
        await _raw("DROP TRIGGER IF EXISTS balai_audit_entry_no_update")
        await _raw("DROP TRIGGER IF EXISTS balai_audit_entry_no_delete")
        await _raw(sql)
    else:
        await _raw("ALTER TABLE balai_audit_entry DISABLE TRIGGER balai_audit_entry_append_only")
        try:
            await _raw(sql)
        finally:
            await _raw("ALTER TABLE balai_audit_entry ENABLE TRIGGER balai_audit_entry_append_only")


def test_entries_chain_by_hash_within_each_city(balai_app, city_run):
    async def write(actor):
        await record("core.login", actor_id=actor, subject="siti@example.id")
        await record(
            "e_jkn.nik_viewed",
            actor_id=actor,
            subject="enrolment:7",
            detail={"b": 2, "a": 1},
            personal_data_of=41,
        )

    city_run("malang", write, None)
    city_run("semarang", write, None)
    malang = city_run("malang", _entries)
    semarang = city_run("semarang", _entries)

    assert [e["seq"] for e in malang] == [1, 2]
    assert [e["seq"] for e in semarang] == [1, 2]  # each city has its own chain
    assert malang[0]["prev_hash"] == GENESIS_HASH
    assert malang[1]["prev_hash"] == malang[0]["entry_hash"]
    assert malang[0]["entry_hash"] != semarang[0]["entry_hash"]  # the city is hashed too
    for entry in malang + semarang:
        assert entry_hash(entry) == entry["entry_hash"]
    assert malang[1]["detail"] == '{"a":1,"b":2}'  # canonical JSON
    assert malang[1]["personal_data_of"] == 41
    assert city_run("malang", verify_city, "malang").ok
    report = city_run("malang", verify_city, "malang")
    assert report.entries == 2
    assert report.head_hash == malang[1]["entry_hash"]


def test_record_needs_a_city_and_a_namespaced_action(balai_app, city_run):
    with pytest.raises(NoCityError):
        asyncio.run(record("core.login", actor_id=None))
    with pytest.raises(ValueError, match="namespaced"):
        city_run("malang", partial(record, "login", actor_id=None))


def test_the_actor_label_is_the_account_name_and_kept(balai_app, city_run):
    from balai.auth.accounts import create_user

    async def scenario():
        uid = await create_user(
            name="Budi Santoso", password="kata-sandi-uji-123", email="b@example.id"
        )
        await record("pajak.assessed", actor_id=uid, subject="nop:35.73")
        await record("core.system", actor_id=None)
        await record("core.ghost", actor_id=987654)
        return await _entries()

    rows = city_run("malang", scenario)
    assert [r["actor_label"] for r in rows] == ["Budi Santoso", "", "#987654"]


@pytest.mark.parametrize(
    ("sql", "seq", "reason"),
    [
        ("UPDATE balai_audit_entry SET subject = 'nothing happened' WHERE seq = 3", 3, "changed"),
        ("UPDATE balai_audit_entry SET detail = '{}' WHERE seq = 2", 2, "changed"),
        ("DELETE FROM balai_audit_entry WHERE seq = 2", 3, "missing"),
        ("UPDATE balai_audit_entry SET prev_hash = entry_hash WHERE seq = 4", 4, "previous hash"),
    ],
)
def test_verify_names_the_first_tampered_entry(balai_app, city_run, sql, seq, reason):
    async def write():
        for n in range(5):
            await record("core.login", actor_id=None, subject=f"user{n}", detail={"n": n})

    city_run("malang", write)
    city_run("semarang", write)
    city_run("malang", _tamper, sql.replace("WHERE", "WHERE city = 'malang' AND"))

    report = city_run("malang", verify_city, "malang")
    assert not report.ok
    assert report.broken.seq == seq
    assert reason in report.broken.reason
    assert city_run("semarang", verify_city, "semarang").ok  # the other city is untouched


def test_rewriting_a_row_with_a_recomputed_hash_still_breaks_the_next_link(balai_app, city_run):
    async def scenario():
        for n in range(3):
            await record("core.login", actor_id=None, subject=f"user{n}")
        first = (await _entries())[0]
        forged = {**first, "subject": "someone else"}
        new_hash = entry_hash(forged)
        await _tamper(
            f"UPDATE balai_audit_entry SET subject = 'someone else', entry_hash = '{new_hash}' "
            f"WHERE city = 'malang' AND seq = 1"
        )
        return await verify_city("malang")

    report = city_run("malang", scenario)
    assert report.broken.seq == 2
    assert "previous hash" in report.broken.reason


def test_the_database_refuses_update_and_delete(balai_app, city_run):
    city_run("malang", partial(record, "core.login", actor_id=None))

    async def update():
        await _raw("UPDATE balai_audit_entry SET subject = 'x'")

    async def delete():
        await _raw("DELETE FROM balai_audit_entry")

    for attempt in (update, delete):
        with pytest.raises(Exception, match="append-only"):
            city_run("malang", attempt)
    assert city_run("malang", verify_city, "malang").entries == 1


def test_concurrent_appends_do_not_fork_the_chain(client, balai_app, city_run):
    async def burst():
        await asyncio.gather(
            *(record("core.login", actor_id=None, subject=f"u{n}") for n in range(40))
        )

    city_run("malang", burst)
    rows = city_run("malang", _entries)
    assert [r["seq"] for r in rows] == list(range(1, 41))
    assert sorted(r["subject"] for r in rows) == sorted(f"u{n}" for n in range(40))
    assert city_run("malang", verify_city, "malang").ok


def test_an_entry_joins_the_callers_transaction(client, balai_app, city_run):
    class Boom(Exception):
        pass

    async def rolled_back():
        with pytest.raises(Boom):
            async with AuditEntry._meta.db.transaction():
                await record("core.officer_created", actor_id=None, subject="user:9")
                raise Boom

    city_run("malang", rolled_back)
    assert city_run("malang", _entries) == []
    city_run("malang", partial(record, "core.login", actor_id=None))
    assert [r["seq"] for r in city_run("malang", _entries)] == [1]


_WORKER = textwrap.dedent(
    """
    import asyncio, sys
    from balai.db.database import Database
    from balai.audit.log import record
    from balai.tenants import City, city_scope

    async def main(url, tag, count):
        database = Database(url, ["balai.piccolo_app", "balai.audit.piccolo_app"])
        await database.open()
        try:
            with city_scope(City(slug="malang", name="Kota Malang")):
                for n in range(count):
                    await record("core.login", actor_id=None, subject=f"{tag}-{n}")
        finally:
            await database.close()

    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
    """
)


def test_two_worker_processes_appending_at_once_keep_one_chain(
    balai_app, balai_database_url, city_run
):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, balai_database_url, tag, "25"],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("a", "b", "c")
    ]
    for worker in workers:
        _, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
    rows = city_run("malang", _entries)
    assert [r["seq"] for r in rows] == list(range(1, 76))
    assert {r["subject"].split("-")[0] for r in rows} == {"a", "b", "c"}
    assert city_run("malang", verify_city, "malang").ok


def test_detail_is_stored_as_json_and_the_user_agent_truncated(client, balai_app, city_run):
    class FakeRequest:
        client = type("C", (), {"host": "203.0.113.9"})()
        headers = {"user-agent": "M" * 500}
        scope: dict = {}

    async def write():
        assert current_city().slug == "malang"
        await record("core.login", actor_id=None, request=FakeRequest(), detail={"login": "x"})
        return (await _entries())[0]

    entry = city_run("malang", write)
    assert json.loads(entry["detail"]) == {"login": "x"}
    assert entry["client_addr"] == "203.0.113.9"
    assert entry["user_agent"] == "M" * 200
    assert entry_hash(entry) == entry["entry_hash"]


def test_the_nightly_job_fails_loudly_on_a_broken_chain(balai_app, city_run):
    jobs = {
        j.name: j.job
        for j in balai_app.ui.jobs.catalog.for_city(balai_app.ui.config.cities["malang"])
    }
    assert jobs["audit.verify"].daily_at is not None
    malang = balai_app.ui.config.cities["malang"]

    async def scenario():
        await record("core.login", actor_id=None)
        await record("core.login", actor_id=None)
        await verify_job(malang)  # holds: no error
        await _tamper(
            "UPDATE balai_audit_entry SET actor_label = 'x' WHERE city = 'malang' AND seq = 1"
        )
        await verify_job(malang)

    with pytest.raises(ChainBrokenError, match="broken at entry 1"):
        city_run("malang", scenario)
