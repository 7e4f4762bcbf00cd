"""``balai keys rotate``'s work: every sealed value re-encrypted under the active key, once."""

from __future__ import annotations

import pytest
from balai import toolkit as tk
from balai.crypto import keys
from balai.crypto.cli import rotation_targets
from balai.crypto.keys import Keyring, new_key, parse_keyring
from balai.crypto.rotation import rotate
from balai.testing import open_client, run_in_city
from test_platform_uji_plugin import UjiNote, uji_registry

PURPOSE = "uji.note"
OLD, NEW, INDEX = new_key(), new_key(), new_key()


@pytest.fixture
def app(balai_app_factory):
    built = balai_app_factory(registry=uji_registry(), cities={"malang": ["uji"], "semarang": []})
    before = keys.current_keyring()
    keys.install(parse_keyring(f"old:{OLD}", INDEX))
    with open_client(built):
        yield built
    keys.install(before)


def _write(app, city, texts):
    async def write():
        await UjiNote.insert(*[UjiNote(text=tk.seal(t, PURPOSE)) for t in texts])

    run_in_city(app, city, write)


def _read(app, city):
    async def read():
        rows = await UjiNote.select(UjiNote.text).order_by(UjiNote.id)
        return [(tk.key_id_of(r["text"]), tk.unseal(r["text"], PURPOSE)) for r in rows]

    return run_in_city(app, city, read)


def test_rotation_reseals_every_row_under_the_new_key_in_batches(app):
    texts = [f"catatan {n}" for n in range(7)]
    _write(app, "malang", texts)
    keys.install(parse_keyring(f"new:{NEW},old:{OLD}", INDEX))

    targets = rotation_targets(app)
    assert [(c.slug, f.purpose) for c, f in targets] == [("malang", PURPOSE)]
    [count] = run_in_city(app, "malang", lambda: rotate(targets, batch=3))
    assert (count.checked, count.resealed) == (7, 7)

    keys.install(Keyring("new", {"new": keys.current_keyring().keys["new"]}, b""))
    assert _read(app, "malang") == [("new", t) for t in texts]


def test_rotating_again_changes_nothing(app):
    _write(app, "malang", ["satu", "dua"])
    keys.install(parse_keyring(f"new:{NEW},old:{OLD}", INDEX))
    targets = rotation_targets(app)
    run_in_city(app, "malang", lambda: rotate(targets))
    [again] = run_in_city(app, "malang", lambda: rotate(targets))
    assert (again.checked, again.resealed, again.reindexed) == (2, 0, 0)


def test_a_city_without_the_plugin_is_not_touched(app):
    targets = rotation_targets(app)
    assert all(city.slug == "malang" for city, _ in targets)


def test_an_altered_row_stops_the_rotation_before_its_batch_is_written(app):
    _write(app, "malang", ["satu", "dua"])

    async def tamper():
        first = await UjiNote.select(UjiNote.id).order_by(UjiNote.id).first()
        await UjiNote.update({UjiNote.text: tk.seal("lain", "uji.other")}).where(
            UjiNote.id == first["id"]
        )

    run_in_city(app, "malang", tamper)
    keys.install(parse_keyring(f"new:{NEW},old:{OLD}", INDEX))
    with pytest.raises(tk.SealError):
        run_in_city(app, "malang", lambda: rotate(rotation_targets(app)))
    assert [k for k, _ in _read_raw(app)] == ["old", "old"]


def _read_raw(app):
    async def read():
        rows = await UjiNote.select(UjiNote.text).order_by(UjiNote.id)
        return [(tk.key_id_of(r["text"]), r["text"]) for r in rows]

    return run_in_city(app, "malang", read)
