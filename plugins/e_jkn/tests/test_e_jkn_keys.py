"""``balai keys rotate`` on e_jkn's sealed NIK, KK and card numbers: re-encrypted, still found."""

from __future__ import annotations

import asyncio

import balai.asgi
import pytest
from balai import toolkit as tk
from balai.asgi import connected
from balai.cli import main
from balai.crypto.keys import new_key
from balai.tenants import city_scope
from balai.testing import write_config
from balai_e_jkn.identity import NIK_PURPOSE, nik_index
from balai_e_jkn.registries.people import SANTOSO
from balai_e_jkn.tables import Enrolment, Member
from click.testing import CliRunner

OLD, NEW, INDEX = new_key(), new_key(), new_key()


@pytest.fixture
def config_file(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("LANG", "C")
    monkeypatch.setenv("BALAI_DATA_KEYS", f"old:{OLD}")
    monkeypatch.setenv("BALAI_INDEX_KEY", INDEX)
    write_config(tmp_path / "instance", {"malang": ["e_jkn"], "semarang": []})
    path = tmp_path / "instance" / "balai.toml"
    assert CliRunner().invoke(main, ["migrate", "--config", str(path)]).exit_code == 0
    return path


def _in_malang(config_file, work):
    app = balai.asgi.build_admin_app(config_file)

    async def run():
        async with connected(app):
            with city_scope(app.ui.config.cities["malang"]):
                return await work()

    return asyncio.run(run())


async def _seed():
    [row] = await Enrolment.insert(
        Enrolment(applicant_name="Budi", kk_sealed=tk.seal(SANTOSO[0].kk, "e_jkn.kk"))
    )
    for n, person in enumerate(SANTOSO):
        await Member.insert(
            Member(
                enrolment=row["id"],
                position=n,
                name=person.name,
                nik_sealed=tk.seal(person.nik, NIK_PURPOSE),
                nik_index=nik_index(person.nik),
                open_nik_index=nik_index(person.nik),
                born=person.born,
            )
        )


async def _read():
    rows = await Member.select(Member.nik_sealed, Member.nik_index).order_by(Member.position)
    return [
        (tk.key_id_of(r["nik_sealed"]), tk.unseal(r["nik_sealed"], NIK_PURPOSE), r["nik_index"])
        for r in rows
    ]


def test_rotate_reencrypts_every_nik_and_keeps_the_index(config_file, monkeypatch):
    _in_malang(config_file, _seed)
    monkeypatch.setenv("BALAI_DATA_KEYS", f"new:{NEW},old:{OLD}")
    result = CliRunner().invoke(main, ["keys", "rotate", "--config", str(config_file)])
    assert result.exit_code == 0, result.output
    assert (
        "malang e_jkn_member.nik_sealed: 3 checked, 3 re-encrypted, 0 re-indexed" in result.output
    )
    assert "malang e_jkn_enrolment.kk_sealed: 1 checked, 1 re-encrypted" in result.output
    assert "semarang" not in result.output

    monkeypatch.setenv("BALAI_DATA_KEYS", f"new:{NEW}")  # the old key removed
    rows = _in_malang(config_file, _read)
    assert [(k, nik) for k, nik, _ in rows] == [("new", p.nik) for p in SANTOSO]


def test_a_new_index_key_rebuilds_the_indexes(config_file, monkeypatch):
    _in_malang(config_file, _seed)
    monkeypatch.setenv("BALAI_INDEX_KEY", new_key())
    result = CliRunner().invoke(main, ["keys", "rotate", "--config", str(config_file)])
    assert "3 checked, 0 re-encrypted, 3 re-indexed" in result.output, result.output

    async def found():
        return await Member.count().where(Member.nik_index == nik_index(SANTOSO[0].nik))

    assert _in_malang(config_file, found) == 1


def test_keys_new_prints_a_32_byte_key():
    result = CliRunner().invoke(main, ["keys", "new"])
    assert result.exit_code == 0 and len(result.output.strip()) == 43
