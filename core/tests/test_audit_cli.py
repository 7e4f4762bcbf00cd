"""``balai audit verify``: OK on an intact log, exit 1 naming the first changed entry."""

from __future__ import annotations

import asyncio
import sqlite3

import balai.asgi
import pytest
from balai.asgi import connected
from balai.audit.log import record
from balai.cli import main
from balai.tenants import city_scope
from balai.testing import write_config
from click.testing import CliRunner


@pytest.fixture
def config_file(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("LANG", "C")
    write_config(tmp_path / "instance", {"malang": [], "semarang": []})
    path = tmp_path / "instance" / "balai.toml"
    assert CliRunner().invoke(main, ["migrate", "--config", str(path)]).exit_code == 0
    return path


def _seed(config_file, city_slug: str, count: int) -> None:
    app = balai.asgi.build_admin_app(config_file)

    async def write():
        async with connected(app):
            with city_scope(app.ui.config.cities[city_slug]):
                for n in range(count):
                    await record("core.login", actor_id=None, subject=f"warga{n}@example.id")

    asyncio.run(write())


def _verify(config_file, *extra):
    return CliRunner().invoke(main, ["audit", "verify", "--config", str(config_file), *extra])


def test_verify_reports_ok_per_city(config_file):
    _seed(config_file, "malang", 3)
    result = _verify(config_file)
    assert result.exit_code == 0, result.output
    assert "malang: OK, 3 entries" in result.output
    assert "semarang: OK, 0 entries" in result.output


def test_verify_names_the_changed_entry_and_fails(config_file):
    _seed(config_file, "malang", 4)
    _seed(config_file, "semarang", 2)
    database = sqlite3.connect(config_file.parent / "data" / "balai.db")
    with database:
        database.execute("DROP TRIGGER balai_audit_entry_no_update")
        database.execute(
            "UPDATE balai_audit_entry SET subject = 'orang-lain' WHERE city = 'malang' AND seq = 2"
        )
    database.close()

    result = _verify(config_file)
    assert result.exit_code == 1
    assert "malang: chain broken at entry 2" in result.output
    assert "the entry was changed" in result.output
    assert "semarang: OK, 2 entries" in result.output

    only_semarang = _verify(config_file, "--city", "semarang")
    assert only_semarang.exit_code == 0
    assert "malang" not in only_semarang.output


def test_verify_refuses_an_unknown_city(config_file):
    result = _verify(config_file, "--city", "atlantis")
    assert result.exit_code == 1
    assert "atlantis" in result.output
