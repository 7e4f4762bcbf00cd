"""`balai backup` and `balai restore`: round trips on SQLite and PostgreSQL, and the refusals.

A source instance gets accounts, audit entries and uploaded files in two
cities; its backup is restored onto a fresh instance, whose every table must
have the same row count and content checksum (read independently of the
manifest), whose files must be byte-identical, and whose audit chains must
verify. Restore refuses a target that holds data and a backup changed after
it was made.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import tomllib
from pathlib import Path

import balai.asgi
import pytest
from balai.asgi import connected
from balai.audit.log import record
from balai.backup.archive import without_secrets
from balai.backup.tables import postgres_tables, sqlite_tables
from balai.cli import main
from balai.files import service as files
from balai.files.storage import LocalStorage
from balai.tenants import city_scope
from balai.testing import _pg_admin, database_url_named, run_database_name, write_config
from click.testing import CliRunner
from files_samples import image_bytes, pdf_bytes
from litestar.datastructures import UploadFile

CITIES = {"malang": [], "semarang": []}


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request):
    """Each test runs on SQLite, and on PostgreSQL when BALAI_TEST_DATABASE_URL is set."""
    return request.param


@pytest.fixture
def databases(engine, request, monkeypatch):
    """The source's and the target's DATABASE_URL (``None``: SQLite in each data folder)."""
    monkeypatch.setenv("LANG", "C")
    if engine == "sqlite":
        monkeypatch.delenv("DATABASE_URL", raising=False)
        yield None, None
        return
    server = request.getfixturevalue("postgres_url")
    names = [f"{run_database_name()}_src", f"{run_database_name()}_dst"]
    for name in names:
        asyncio.run(_pg_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        asyncio.run(_pg_admin(server, f'CREATE DATABASE "{name}"'))
    yield tuple(database_url_named(server, name) for name in names)
    for name in names:
        asyncio.run(_pg_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _run(args, database_url):
    env = {"DATABASE_URL": database_url} if database_url else {}
    return CliRunner().invoke(main, args, env=env)


def _instance(folder: Path, database_url: str | None, monkeypatch) -> Path:
    write_config(folder, CITIES, instance={"development": False})
    path = folder / "balai.toml"
    monkeypatch.setenv("BALAI_SECRET_KEY", "k" * 40)
    assert _run(["migrate", "--config", str(path)], database_url).exit_code == 0
    return path


def _seed(path: Path, database_url: str | None, monkeypatch) -> None:
    if database_url:
        monkeypatch.setenv("DATABASE_URL", database_url)
    app = balai.asgi.build_admin_app(path)

    async def write():
        async with connected(app):
            for slug, count in (("malang", 5), ("semarang", 3)):
                with city_scope(app.ui.config.cities[slug]):
                    for n in range(count):
                        await record("core.login", actor_id=None, subject=f"warga{n}@contoh.id")
                    for name, data, kind, media in (
                        ("foto.png", image_bytes("PNG", (64, 48)), "image", "image/png"),
                        ("surat.pdf", pdf_bytes(), "document", "application/pdf"),
                    ):
                        upload = UploadFile(content_type=media, filename=name, file_data=data)
                        await files.save_upload(upload, kind=kind, owner_id=None)

    asyncio.run(write())
    monkeypatch.delenv("DATABASE_URL", raising=False)


def _tables(data_dir: Path, database_url: str | None):
    if database_url is None:
        return sqlite_tables(data_dir / "balai.db")

    async def read():
        import asyncpg

        connection = await asyncpg.connect(database_url)
        try:
            async with connection.transaction(isolation="repeatable_read", readonly=True):
                return await postgres_tables(connection)
        finally:
            await connection.close()

    return asyncio.run(read())


def _stored_files(data_dir: Path) -> dict[str, bytes]:
    root = data_dir / "files"
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def test_a_backup_restores_every_table_file_and_audit_chain(tmp_path, databases, monkeypatch):
    source_url, target_url = databases
    source = _instance(tmp_path / "source", source_url, monkeypatch)
    _seed(source, source_url, monkeypatch)
    backup = tmp_path / "backup"
    # Files are streamed to and from the backup, never read whole into memory.
    monkeypatch.setattr(LocalStorage, "load", _whole_file_read)
    monkeypatch.setattr(LocalStorage, "save", _whole_file_read)
    made = _run(["backup", "--config", str(source), "--to", str(backup)], source_url)
    assert made.exit_code == 0, made.output
    signature = json.loads((backup / "manifest.sig").read_text())
    assert signature["algorithm"] == "Ed25519" and signature["key_id"]

    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"]["tables"]["balai_audit_entry"]["rows"] == 8
    assert len(manifest["files"]) >= 4  # two files per city (and their thumbnails)
    kept = tomllib.loads((backup / "instance.toml").read_text())
    assert kept == tomllib.loads(source.read_text())  # nothing secret in it to leave out
    assert not list(backup.rglob("secret.key"))

    target = tmp_path / "target"
    write_config(target, CITIES, instance={"development": False})
    restored = _run(
        ["restore", "--config", str(target / "balai.toml"), "--from", str(backup)], target_url
    )
    assert restored.exit_code == 0, restored.output
    assert "every checksum equal" in restored.output

    before = _tables(tmp_path / "source" / "data", source_url)
    after = _tables(target / "data", target_url)
    assert after == before and len(after) > 20
    assert {name: t.rows for name, t in after.items()}["balai_audit_entry"] == 8
    assert _stored_files(target / "data") == _stored_files(tmp_path / "source" / "data")
    verified = _run(["audit", "verify", "--config", str(target / "balai.toml")], target_url)
    assert verified.exit_code == 0, verified.output
    assert "malang: OK, 5 entries" in verified.output
    assert "semarang: OK, 3 entries" in verified.output

    again = _run(
        ["restore", "--config", str(target / "balai.toml"), "--from", str(backup)], target_url
    )
    assert again.exit_code == 1
    assert "not empty" in again.output or "has tables" in again.output


def test_a_damaged_backup_is_refused_and_nothing_restored(tmp_path, databases, monkeypatch):
    source_url, target_url = databases
    source = _instance(tmp_path / "source", source_url, monkeypatch)
    _seed(source, source_url, monkeypatch)
    backup = tmp_path / "backup"
    assert _run(["backup", "--config", str(source), "--to", str(backup)], source_url).exit_code == 0
    manifest = json.loads((backup / "manifest.json").read_text())
    damaged = backup / "files" / next(iter(manifest["files"]))
    damaged.write_bytes(damaged.read_bytes() + b"x")

    target = tmp_path / "target"
    write_config(target, CITIES, instance={"development": False})
    refused = _run(
        ["restore", "--config", str(target / "balai.toml"), "--from", str(backup)], target_url
    )
    assert refused.exit_code == 1
    assert "does not match its checksum" in refused.output
    if target_url:
        assert _tables(target / "data", target_url) == {}
    else:
        assert not (target / "data" / "balai.db").exists()
    assert not (target / "data" / "files").exists()


def _whole_file_read(self, *args):
    raise AssertionError("a backup or restore read a whole file into memory")


def _tampered_target(tmp_path, databases, monkeypatch, tamper):
    """Back a seeded instance up, ``tamper(backup)``, and try restoring it; the CLI's answer."""
    source_url, target_url = databases
    source = _instance(tmp_path / "source", source_url, monkeypatch)
    _seed(source, source_url, monkeypatch)
    backup = tmp_path / "backup"
    assert _run(["backup", "--config", str(source), "--to", str(backup)], source_url).exit_code == 0
    tamper(backup)
    target = tmp_path / "target"
    write_config(target, CITIES, instance={"development": False})
    refused = _run(
        ["restore", "--config", str(target / "balai.toml"), "--from", str(backup)], target_url
    )
    assert refused.exit_code == 1
    if target_url:
        assert _tables(target / "data", target_url) == {}
    else:
        assert not (target / "data" / "balai.db").exists()
    assert not (target / "data" / "files").exists()
    return refused.output


def test_a_manifest_changed_to_match_changed_files_is_refused(tmp_path, databases, monkeypatch):
    def tamper(backup):
        manifest = json.loads((backup / "manifest.json").read_text())
        key = next(iter(manifest["files"]))
        changed = (backup / "files" / key).read_bytes() + b"x"
        (backup / "files" / key).write_bytes(changed)
        manifest["files"][key]["sha256"] = hashlib.sha256(changed).hexdigest()
        manifest["files"][key]["size"] = len(changed)
        (backup / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")

    output = _tampered_target(tmp_path, databases, monkeypatch, tamper)
    assert "The manifest was changed after it was signed (tampered with)" in output


def test_an_unsigned_backup_or_another_instances_is_refused(tmp_path, databases, monkeypatch):
    unsigned = _tampered_target(
        tmp_path / "a", databases, monkeypatch, lambda b: (b / "manifest.sig").unlink()
    )
    assert "has no manifest.sig" in unsigned

    def another_secret(backup):
        monkeypatch.setenv("BALAI_SECRET_KEY", "z" * 40)  # the target has another secret

    other = _tampered_target(tmp_path / "b", databases, monkeypatch, another_secret)
    assert "signed with another instance key" in other
    assert "set BALAI_SECRET_KEY to the secret of the instance" in other


def test_restore_writes_the_backups_instance_file_without_secrets(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    source = _instance(tmp_path / "source", None, monkeypatch)
    backup = tmp_path / "backup"
    assert _run(["backup", "--config", str(source), "--to", str(backup)], None).exit_code == 0

    new_host = tmp_path / "new" / "balai.toml"
    written = _run(["restore", "--from", str(backup), "--write-instance", str(new_host)], None)
    assert written.exit_code == 0, written.output
    assert "instance file" in written.output
    # The backup's copy (secret-looking values emptied: test_secret_looking_values_...).
    assert new_host.read_bytes() == (backup / "instance.toml").read_bytes()
    assert tomllib.loads(new_host.read_text()) == tomllib.loads(source.read_text())

    again = _run(["restore", "--from", str(backup), "--write-instance", str(new_host)], None)
    assert again.exit_code == 1 and "exists already" in again.output
    neither = _run(["restore", "--from", str(backup)], None)
    assert neither.exit_code == 1 and "--write-instance" in neither.output
    monkeypatch.delenv("BALAI_SECRET_KEY")
    keyless = _run(
        ["restore", "--from", str(backup), "--write-instance", str(tmp_path / "x")], None
    )
    assert keyless.exit_code == 1 and "Set BALAI_SECRET_KEY" in keyless.output


def test_a_backup_goes_only_into_a_new_folder(tmp_path, databases, monkeypatch):
    source_url, _target_url = databases
    source = _instance(tmp_path / "source", source_url, monkeypatch)
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "keep.txt").write_text("mine")
    result = _run(["backup", "--config", str(source), "--to", str(occupied)], source_url)
    assert result.exit_code == 1 and "not an empty folder" in result.output
    assert [p.name for p in occupied.iterdir()] == ["keep.txt"]


def test_a_folder_that_is_no_backup_is_refused(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    target = tmp_path / "target"
    write_config(target, CITIES)
    empty = tmp_path / "nothing"
    empty.mkdir()
    result = _run(["restore", "--config", str(target / "balai.toml"), "--from", str(empty)], None)
    assert result.exit_code == 1 and "not a balai backup" in result.output
    assert not (target / "data" / "balai.db").exists()


def test_secret_looking_values_stay_out_of_the_instance_file():
    text = (
        '[cities.malang.settings.sms]\napi_key = "abc"\nsender = "BALAI"\n'
        'SMTP_PASSWORD="x"\n  "auth-token" = \'y\'\nbase_url = "https://malang.go.id"\n'
    )
    kept, removed = without_secrets(text)
    assert removed == ["api_key", "SMTP_PASSWORD", '"auth-token"']
    assert "abc" not in kept and '"x"' not in kept and "'y'" not in kept
    parsed = tomllib.loads(kept)["cities"]["malang"]["settings"]["sms"]
    assert parsed == {
        "api_key": "",
        "sender": "BALAI",
        "SMTP_PASSWORD": "",
        "auth-token": "",
        "base_url": "https://malang.go.id",
    }
