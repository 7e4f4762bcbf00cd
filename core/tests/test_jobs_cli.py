"""`balai jobs`: the declared jobs with their last run per city; `balai jobs run`."""

from __future__ import annotations

import asyncio

import balai.web.app
import pytest
from balai.asgi import build_admin_app, connected
from balai.cli import main
from balai.jobs.tables import JobRun
from balai.testing import write_config
from click.testing import CliRunner
from test_jobs_runner import SLUG, Ronda, ronda_registry

ENGLISH = {"LANG": "en_US.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}


@pytest.fixture
def ronda(monkeypatch):
    plugin = Ronda()
    monkeypatch.setattr(
        balai.web.app, "build_registry", lambda plugins=None: ronda_registry(plugin)
    )
    for name in ("DATABASE_URL", "REDIS_URL", "BALAI_SECRET_KEY", "BALAI_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    return plugin


@pytest.fixture
def config_file(tmp_path, ronda):
    write_config(
        tmp_path / "instance",
        {"malang": [SLUG], "makassar": [SLUG], "semarang": []},
        city_options={"makassar": {"timezone": "Asia/Makassar"}},
    )
    path = tmp_path / "instance" / "balai.toml"
    result = invoke("migrate", "--config", path)
    assert result.exit_code == 0, result.output
    return path


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], env=ENGLISH)


def stored_runs(config_file):
    app = build_admin_app(config_file)

    async def read():
        async with connected(app):
            return await JobRun.select().order_by(JobRun.id)

    return asyncio.run(read())


def test_jobs_lists_declared_jobs_that_never_ran(config_file):
    result = invoke("jobs", "--config", config_file)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(
        "ronda.patrol" in line and "every 1m" in line and "Walk the block." in line
        for line in lines
    )
    assert any("ronda.report" in line and "daily 00:00" in line for line in lines)
    assert any("jobs.prune_history" in line and "daily 03:30" in line for line in lines)
    never = [line for line in lines if "never run" in line]
    # ronda's 4 jobs in malang and makassar; the built-in job in all three cities
    assert len([line for line in never if line.startswith("ronda.")]) == 4 * 2
    assert len([line for line in never if line.startswith("jobs.prune_history")]) == 3
    assert not any("ronda." in line and "semarang" in line for line in lines)


def test_jobs_run_runs_one_job_now_and_the_list_shows_it_in_city_time(config_file, ronda):
    result = invoke("jobs", "run", "ronda.wake", "--city", "makassar", "--config", config_file)
    assert result.exit_code == 0, result.output
    assert "ronda.wake ran for makassar: ok" in result.output
    assert ronda.calls == [("wake", "makassar", {})]
    rows = stored_runs(config_file)
    assert [(r["job"], r["city"], r["status"], r["kind"]) for r in rows] == [
        ("ronda.wake", "makassar", "ok", "once")
    ]
    listed = invoke("jobs", "--config", config_file)
    line = next(
        line for line in listed.output.splitlines() if "ronda.wake" in line and "makassar" in line
    )
    assert " ok " in line and "WITA" in line


def test_jobs_run_reports_a_failure_with_exit_1(config_file):
    result = invoke("jobs", "run", "ronda.broken", "--city", "malang", "--config", config_file)
    assert result.exit_code == 1
    assert "ronda.broken failed for malang" in result.output
    assert "the lantern is out" in result.output
    listed = invoke("jobs", "--config", config_file)
    line = next(
        line for line in listed.output.splitlines() if "ronda.broken" in line and "malang" in line
    )
    assert "failed" in line and "RuntimeError: the lantern is out" in line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ronda.patrol", "--city", "semarang"], "does not enable plugin 'ronda'"),
        (["ronda.nothing", "--city", "malang"], "no job named 'ronda.nothing'"),
        (["ronda.patrol", "--city", "bandung"], "No city bandung"),
    ],
)
def test_jobs_run_refuses_what_cannot_run(config_file, args, message):
    result = invoke("jobs", "run", *args, "--config", config_file)
    assert result.exit_code == 1
    assert message in result.output
    assert stored_runs(config_file) == []


def test_jobs_needs_a_config(ronda):
    result = invoke("jobs")
    assert result.exit_code == 1
    assert "--config" in result.output


def test_jobs_says_to_migrate_first(tmp_path, ronda):
    write_config(tmp_path / "fresh", {"malang": [SLUG]})
    path = tmp_path / "fresh" / "balai.toml"
    for args in (
        ["jobs", "--config", path],
        ["jobs", "run", "ronda.wake", "--city", "malang", "--config", path],
    ):
        result = invoke(*args)
        assert result.exit_code == 2
        assert "Migrations are pending: run `balai migrate` first." in result.output
    assert ronda.calls == []


def test_schedules_are_shown_in_indonesian(config_file):
    result = CliRunner().invoke(
        main, ["jobs", "--config", str(config_file)], env={"LANG": "id_ID.UTF-8"}
    )
    assert result.exit_code == 0, result.output
    assert "setiap 1m" in result.output and "setiap hari 00:00" in result.output
    assert "sesuai permintaan" in result.output
    assert "belum pernah dijalankan" in result.output
