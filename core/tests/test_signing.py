"""Signed payloads (Ed25519): round trip, forgery, another city, malformed tokens."""

from __future__ import annotations

import base64
import json

import pytest
from balai import signing
from balai import toolkit as tk
from balai.tenants import City, city_scope
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from hypothesis import given
from hypothesis import strategies as st

MALANG = City(slug="malang", name="Kota Malang")
YOGYA = City(slug="yogyakarta", name="Kota Yogyakarta")
PURPOSE = "heritage_ticket"


@pytest.fixture(autouse=True)
def secret():
    signing.configure("an-instance-secret-of-at-least-32-characters")


def sign(city: City, fields: dict, purpose: str = PURPOSE) -> str:
    with city_scope(city):
        return tk.sign_payload(purpose, fields)


def verify(city: City, token: str, purpose: str = PURPOSE) -> tk.SignedPayload:
    with city_scope(city):
        return tk.verify_payload(token, purpose)


def reason(city: City, token: str, purpose: str = PURPOSE) -> str:
    with pytest.raises(tk.SignatureError) as caught:
        verify(city, token, purpose)
    return caught.value.reason


def test_a_token_verifies_in_its_city_with_its_fields():
    token = sign(MALANG, {"t": "WHT-ABCD-EFGH", "s": "2026-12-08T02:00Z", "k": "adult", "n": 3})
    found = verify(MALANG, token)
    assert found.city == "malang"
    assert found.fields == {"t": "WHT-ABCD-EFGH", "s": "2026-12-08T02:00Z", "k": "adult", "n": "3"}
    assert token.startswith("B1.heritage_ticket.")


def test_the_public_key_alone_verifies_a_token_offline():
    token = sign(MALANG, {"t": "X"})
    with city_scope(MALANG):
        key = tk.public_key(PURPOSE)
    raw = base64.urlsafe_b64decode(key.raw + "==")
    signed, _, signature = token.rpartition(".")
    Ed25519PublicKey.from_public_bytes(raw).verify(
        base64.urlsafe_b64decode(signature + "=="), signed.encode()
    )
    assert len(key.key_id) == 12


def test_each_city_and_purpose_has_its_own_key():
    with city_scope(MALANG):
        malang = tk.public_key(PURPOSE)
        other_purpose = tk.public_key("partner_voucher")
    with city_scope(YOGYA):
        yogya = tk.public_key(PURPOSE)
    assert len({malang.raw, other_purpose.raw, yogya.raw}) == 3


def test_another_citys_token_is_refused_as_such():
    assert reason(MALANG, sign(YOGYA, {"t": "X"})) == "other_city"


def test_a_changed_field_is_a_forgery():
    token = sign(MALANG, {"t": "WHT-1", "k": "child"})
    head, purpose, body, signature = token.split(".")
    fields = json.loads(base64.urlsafe_b64decode(body + "=="))
    fields["k"] = "adult"
    changed = base64.urlsafe_b64encode(json.dumps(fields).encode()).rstrip(b"=").decode()
    assert reason(MALANG, f"{head}.{purpose}.{changed}.{signature}") == "forged"


def test_a_token_signed_with_another_secret_is_a_forgery():
    token = sign(MALANG, {"t": "X"})
    signing.configure("another-instance-secret-of-at-least-32-chars")
    assert reason(MALANG, token) == "forged"


def test_a_token_for_another_purpose_does_not_pass():
    assert reason(MALANG, sign(MALANG, {"t": "X"}, "partner_voucher")) == "malformed"


@pytest.mark.parametrize(
    "token",
    [
        "",
        "hello",
        "B1.heritage_ticket.",
        "B1.heritage_ticket.e30.",
        "B1.heritage_ticket.!!!.AA",
        "B2.heritage_ticket.e30.AA",
        "B1.heritage_ticket.bm90IGpzb24.AA",
        "B1.heritage_ticket.WzFd.AA",
        "B1.heritage_ticket." + "A" * 2000 + ".AA",
    ],
)
def test_malformed_tokens_are_refused(token):
    assert reason(MALANG, token) == "malformed"


def test_reserved_and_bad_names_are_refused_when_signing():
    with pytest.raises(ValueError):
        sign(MALANG, {"city": "yogyakarta"})
    with pytest.raises(ValueError):
        sign(MALANG, {"t": "X"}, purpose="Bad.Purpose")


@given(st.text(max_size=300))
def test_no_text_crashes_the_verifier(text):
    with city_scope(MALANG):
        try:
            tk.verify_payload(text, PURPOSE)
        except tk.SignatureError as exc:
            assert exc.reason in {"malformed", "other_city", "forged"}


@given(st.dictionaries(st.sampled_from("tskgn"), st.text(max_size=20), max_size=5))
def test_any_fields_round_trip(fields):
    assert verify(MALANG, sign(MALANG, fields)).fields == fields
