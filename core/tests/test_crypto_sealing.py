"""Encrypted personal fields: sealing, blind indexes and the instance's keys."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from balai import testing as kit
from balai import toolkit as tk
from balai.config import ConfigError
from balai.crypto import keys
from balai.crypto.keys import Keyring, keyring_for, new_key, parse_keyring
from hypothesis import given
from hypothesis import strategies as st

NIK = "3573014508900001"
PURPOSE = "uji.nik"


@pytest.fixture
def keyring():
    """Two data keys (k2 active, k1 old) and an index key, installed for the test."""
    before = keys.current_keyring()
    ring = parse_keyring(f"k2:{new_key()},k1:{new_key()}", new_key())
    keys.install(ring)
    yield ring
    keys.install(before)


def test_a_sealed_value_unseals_in_its_city_and_purpose(keyring):
    token = tk.seal(NIK, PURPOSE, city_slug="malang")
    assert token.startswith("v1:k2:")
    assert NIK not in token
    assert tk.unseal(token, PURPOSE, city_slug="malang") == NIK


def test_sealing_twice_gives_different_ciphertexts(keyring):
    assert tk.seal(NIK, PURPOSE, city_slug="malang") != tk.seal(NIK, PURPOSE, city_slug="malang")


def test_a_value_moved_to_another_city_or_column_does_not_unseal(keyring):
    token = tk.seal(NIK, PURPOSE, city_slug="malang")
    with pytest.raises(tk.SealError):
        tk.unseal(token, PURPOSE, city_slug="semarang")
    with pytest.raises(tk.SealError):
        tk.unseal(token, "uji.kk", city_slug="malang")


def test_an_altered_ciphertext_is_refused(keyring):
    token = tk.seal(NIK, PURPOSE, city_slug="malang")
    head, body = token.rsplit(":", 1)
    raw = bytearray(base64.urlsafe_b64decode(body))
    raw[-1] ^= 1
    with pytest.raises(tk.SealError):
        tk.unseal(
            f"{head}:{base64.urlsafe_b64encode(bytes(raw)).decode()}", PURPOSE, city_slug="malang"
        )
    with pytest.raises(tk.SealError):
        tk.unseal("plain text", PURPOSE, city_slug="malang")


def test_an_old_key_still_unseals_and_a_removed_one_says_so(keyring):
    old = Keyring("k1", {"k1": keyring.keys["k1"]}, keyring.index_key)
    keys.install(old)
    token = tk.seal(NIK, PURPOSE, city_slug="malang")
    keys.install(keyring)  # k2 now first, k1 still listed
    assert tk.unseal(token, PURPOSE, city_slug="malang") == NIK
    keys.install(Keyring("k2", {"k2": keyring.keys["k2"]}, keyring.index_key))
    with pytest.raises(tk.KeyringError, match="k1"):
        tk.unseal(token, PURPOSE, city_slug="malang")


def test_blind_index_is_equal_for_equal_values_per_city_and_purpose(keyring):
    first = tk.blind_index(NIK, PURPOSE, city_slug="malang")
    assert first == tk.blind_index(NIK, PURPOSE, city_slug="malang")
    assert len(first) == 64 and NIK not in first
    assert first != tk.blind_index(NIK, PURPOSE, city_slug="semarang")
    assert first != tk.blind_index(NIK, "uji.kk", city_slug="malang")
    assert first != tk.blind_index("3573014508900002", PURPOSE, city_slug="malang")


def test_blind_index_depends_on_the_index_key_only(keyring):
    first = tk.blind_index(NIK, PURPOSE, city_slug="malang")
    keys.install(Keyring("k9", {"k9": b"\0" * 32}, keyring.index_key))
    assert tk.blind_index(NIK, PURPOSE, city_slug="malang") == first
    keys.install(Keyring("k2", keyring.keys, b"\1" * 32))
    assert tk.blind_index(NIK, PURPOSE, city_slug="malang") != first


@given(st.text(max_size=200), st.sampled_from(["malang", "semarang"]))
def test_any_text_round_trips(value, city):
    ring = parse_keyring(f"a:{'A' * 43}", "B" * 43)
    before = keys.current_keyring()
    keys.install(ring)
    try:
        assert tk.unseal(tk.seal(value, PURPOSE, city_slug=city), PURPOSE, city_slug=city) == value
    finally:
        keys.install(before)


def test_without_keys_sealing_names_the_settings_to_set():
    before = keys.current_keyring()
    keys.install(Keyring())
    try:
        with pytest.raises(tk.KeyringError, match="BALAI_DATA_KEYS"):
            tk.seal(NIK, PURPOSE, city_slug="malang")
        with pytest.raises(tk.KeyringError, match="BALAI_INDEX_KEY"):
            tk.blind_index(NIK, PURPOSE, city_slug="malang")
    finally:
        keys.install(before)


@pytest.mark.parametrize(
    ("data_keys", "index_key", "words"),
    [
        ("k1", "", "id:key"),
        (f"bad id:{new_key()}", "", "id:key"),
        (f"k1:{new_key()},k1:{new_key()}", "", "twice"),
        ("k1:c2hvcnQ", "", "32 bytes"),
        ("k1:***", "", "base64"),
        ("", "c2hvcnQ", "32 bytes"),
    ],
)
def test_malformed_keys_are_refused_with_the_reason(data_keys, index_key, words):
    with pytest.raises(tk.KeyringError, match=words):
        parse_keyring(data_keys, index_key)


def test_the_first_configured_key_is_active():
    ring = parse_keyring(f" new:{new_key()} , old:{new_key()} ", new_key())
    assert ring.active_id == "new" and set(ring.keys) == {"new", "old"}


def test_a_development_instance_keeps_its_generated_keys(tmp_path: Path):
    first = keyring_for("", "", tmp_path, development=True)
    again = keyring_for("", "", tmp_path, development=True)
    assert first.ready and first == again
    assert (tmp_path / "data-keys").stat().st_mode & 0o777 == 0o600
    assert not keyring_for("", "", tmp_path / "prod", development=False).ready
    assert not (tmp_path / "prod").exists()


def test_the_application_installs_the_configured_keys(balai_app_factory, tmp_path: Path):
    environ = {
        **kit.testing_environ(),
        "BALAI_DATA_KEYS": f"prod1:{new_key()}",
        "BALAI_INDEX_KEY": new_key(),
    }
    config = kit.write_config(tmp_path / "keyed", {"malang": []}, environ=environ)
    balai_app_factory(config)
    assert keys.current_keyring().active_id == "prod1"
    assert not (tmp_path / "keyed" / "data-keys").exists()


def test_malformed_configured_keys_stop_the_application(balai_app_factory, tmp_path: Path):
    environ = {**kit.testing_environ(), "BALAI_DATA_KEYS": "k1:short"}
    config = kit.write_config(tmp_path / "bad", {"malang": []}, environ=environ)
    with pytest.raises(ConfigError, match="BALAI_DATA_KEYS"):
        balai_app_factory(config)
