"""SNAP signatures: what is signed, and every way verification refuses."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from balai.payments import numbers, snap

SECRET = "a-shared-secret-for-tests"
PATH = "/malang/api/bayar/callback/va"
BODY = snap.minify({"b": 2, "a": [1, "x"]})


def _headers(
    body: bytes = BODY, *, secret: str = SECRET, now: datetime | None = None
) -> dict[str, str]:
    return {
        k.lower(): v
        for k, v in snap.signed_headers(secret, "BALAI-MALANG", "POST", PATH, body, now=now)
        .as_dict()
        .items()
    }


def test_minified_body_and_string_to_sign():
    assert BODY == b'{"b":2,"a":[1,"x"]}'
    text = snap.string_to_sign("post", PATH, "tok", BODY, "2026-01-01T07:00:00+07:00")
    assert text == f"POST:{PATH}:tok:{hashlib.sha256(BODY).hexdigest()}:2026-01-01T07:00:00+07:00"
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), text.encode(), hashlib.sha512).digest()
    ).decode()
    assert snap.sign(SECRET, "POST", PATH, "tok", BODY, "2026-01-01T07:00:00+07:00") == expected


def test_a_correct_request_verifies():
    verified = snap.verify(SECRET, method="POST", path=PATH, headers=_headers(), raw_body=BODY)
    assert verified.partner_id == "BALAI-MALANG"
    assert len(verified.external_id) == 20 and verified.external_id.isdigit()


def test_external_ids_differ_per_request():
    assert len({snap.external_id() for _ in range(50)}) == 50


@pytest.mark.parametrize(
    "change",
    [
        lambda h, b: (h, b.replace(b"2", b"3")),  # tampered body
        lambda h, b: (h, b + b" "),  # whitespace added after signing
        lambda h, b: ({**h, "x-signature": h["x-signature"][:-4] + "AAA="}, b),
        lambda h, b: ({**h, "x-partner-id": "BALAI-SEMARANG"}, b),
        lambda h, b: ({**h, "authorization": "Bearer forged"}, b),
        lambda h, b: ({k: v for k, v in h.items() if k != "x-timestamp"}, b),
        lambda h, b: ({**h, "x-timestamp": "yesterday"}, b),
        lambda h, b: ({**h, "x-timestamp": "2026-01-01T00:00:00"}, b),
    ],
)
def test_changed_requests_are_refused(change):
    headers, body = change(_headers(), BODY)
    with pytest.raises(snap.SignatureError):
        snap.verify(SECRET, method="POST", path=PATH, headers=headers, raw_body=body)


def test_wrong_secret_path_or_method_is_refused():
    headers = _headers(secret="another-secret")
    with pytest.raises(snap.SignatureError):
        snap.verify(SECRET, method="POST", path=PATH, headers=headers, raw_body=BODY)
    with pytest.raises(snap.SignatureError):
        snap.verify(
            SECRET,
            method="POST",
            path="/semarang/api/bayar/callback/va",
            headers=_headers(),
            raw_body=BODY,
        )
    with pytest.raises(snap.SignatureError):
        snap.verify(SECRET, method="PUT", path=PATH, headers=_headers(), raw_body=BODY)


def test_stale_and_future_timestamps_are_refused():
    now = datetime.now(UTC)
    for skew in (timedelta(minutes=6), -timedelta(minutes=6)):
        headers = _headers(now=now - skew)
        with pytest.raises(snap.SignatureError, match="stale"):
            snap.verify(SECRET, method="POST", path=PATH, headers=headers, raw_body=BODY, now=now)
    fresh = _headers(now=now - timedelta(minutes=4))
    snap.verify(SECRET, method="POST", path=PATH, headers=fresh, raw_body=BODY, now=now)


def test_request_path_keeps_the_city_prefix():
    assert snap.request_path({"root_path": "/malang", "path": "/api/x"}) == "/malang/api/x"
    assert snap.request_path({"root_path": "/malang", "path": "/malang/api/x"}) == "/malang/api/x"
    assert snap.request_path({"root_path": "", "path": "/api/x"}) == "/api/x"


def test_numbers_are_readable_and_unguessable():
    invoice = numbers.invoice_number()
    assert invoice.startswith("INV-") and len(invoice) == 20
    assert numbers.INVOICE.parse(invoice) == invoice
    assert not set(invoice[9:].replace("-", "")) & set("ILOU")
    assert len({numbers.invoice_number() for _ in range(200)}) == 200
    code = numbers.check_code("s", "malang", "PAY-2026-AAAA-BBBB")
    assert numbers.check_code_valid("s", "malang", "PAY-2026-AAAA-BBBB", code.lower())
    assert not numbers.check_code_valid("s", "semarang", "PAY-2026-AAAA-BBBB", code)
    assert not numbers.check_code_valid("t", "malang", "PAY-2026-AAAA-BBBB", code)
