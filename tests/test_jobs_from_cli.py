"""Every declared job, the core's and each installed plugin's, runs from `balai jobs run`.

Jobs run outside a request: this checks that each gets what it needs (its
city, its arguments, the application through its ``JobContext``) when a
maintainer runs it by hand on a freshly migrated SQLite instance.
"""

from __future__ import annotations

import pytest
from balai.asgi import build_admin_app
from balai.cli import main
from balai.plugins import BUILTIN_SLUGS
from balai.testing import installed_plugin_slugs, write_config
from click.testing import CliRunner

ENGLISH = {"LANG": "en_US.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], env=ENGLISH)


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """A fresh SQLite instance: Malang enables every installed plugin, Semarang none."""
    for name in ("DATABASE_URL", "REDIS_URL", "BALAI_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    write_config(
        tmp_path / "instance",
        {"malang": installed_plugin_slugs(), "semarang": []},
        environ={"BALAI_SECRET_KEY": "a-local-secret-key-for-the-cli-jobs-test-0123456789"},
    )
    path = tmp_path / "instance" / "balai.toml"
    monkeypatch.setenv("BALAI_SECRET_KEY", "a-local-secret-key-for-the-cli-jobs-test-0123456789")
    migrated = invoke("migrate", "--config", path)
    assert migrated.exit_code == 0, migrated.output
    return path


def test_every_declared_job_runs_from_the_command_line(instance):
    catalog = build_admin_app(instance).ui.jobs.catalog
    owners = {item.plugin for item in catalog.jobs.values()}
    assert {"payments", "notifications", "files", "audit", "jobs"} <= owners
    for name, item in sorted(catalog.jobs.items()):
        needed = item.missing_arguments({})
        if needed:  # an on-demand job: refused clearly without its arguments
            refused = invoke("jobs", "run", name, "--city", "malang", "--config", instance)
            assert refused.exit_code == 1, (name, refused.output)
            assert f"{name} needs the argument(s) {', '.join(needed)}" in refused.output
        args = [a for n in needed for a in ("--arg", f"{n}=1")]  # ids of no record: a no-op
        result = invoke("jobs", "run", name, "--city", "malang", *args, "--config", instance)
        assert result.exit_code == 0, (name, result.output)
        assert f"{name} ran for malang: ok" in result.output
        if item.plugin in BUILTIN_SLUGS:  # the core's services run in every city
            other = invoke("jobs", "run", name, "--city", "semarang", *args, "--config", instance)
            assert other.exit_code == 0, (name, other.output)
    listed = invoke("jobs", "--config", instance)
    malang = [line for line in listed.output.splitlines() if " malang " in line]
    assert len(malang) == len(catalog.jobs)
    assert all(" ok " in line for line in malang), malang


def test_job_arguments_must_be_name_value_pairs(instance):
    for bad in ("run_id", "=3", "context=1"):
        result = invoke(
            "jobs",
            "run",
            "jobs.prune_history",
            "--city",
            "malang",
            "--arg",
            bad,
            "--config",
            instance,
        )
        assert result.exit_code == 1
        assert "Give job arguments as NAME=VALUE" in result.output


def test_job_arguments_take_the_type_the_job_declares(instance):
    from balai.jobs.catalog import DeclaredJob, JobArgumentError
    from balai.jobs.types import Job

    async def typed(city, *, number: str, count: int, ratio: float, dry: bool, extra=None):
        return None

    item = DeclaredJob("ronda", Job("ronda.typed", typed))
    converted = item.convert_arguments(
        {"number": "007", "count": " 12 ", "ratio": "0.5", "dry": "ya", "extra": '{"a": 1}'}
    )
    assert converted == {"number": "007", "count": 12, "ratio": 0.5, "dry": True, "extra": {"a": 1}}
    assert type(converted["count"]) is int
    for bad in ({"count": "dua belas"}, {"dry": "mungkin"}, {"ratio": "x"}, {"nope": "1"}):
        with pytest.raises(JobArgumentError):
            item.convert_arguments(bad)

    # From the command line: a bad value is refused before anything runs.
    refused = invoke(
        "jobs",
        "run",
        "pajak.assess_year",
        "--city",
        "malang",
        "--arg",
        "run_id=abc",
        "--config",
        instance,
    )
    assert refused.exit_code == 1
    assert "pajak.assess_year: --arg run_id must be a whole number, not 'abc'." in refused.output
    unknown = invoke(
        "jobs",
        "run",
        "pajak.assess_year",
        "--city",
        "malang",
        "--arg",
        "run_id=1",
        "--arg",
        "tahun=2025",
        "--config",
        instance,
    )
    assert unknown.exit_code == 1
    assert "pajak.assess_year takes no argument tahun." in unknown.output
    # A text parameter keeps its leading zeros (it used to arrive as the number 7).
    kept = invoke(
        "jobs",
        "run",
        "pajak.issue_receipt",
        "--city",
        "malang",
        "--arg",
        "invoice_number=007",
        "--config",
        instance,
    )
    assert kept.exit_code == 0, kept.output
