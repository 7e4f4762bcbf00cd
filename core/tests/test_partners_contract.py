"""The contract a real partner adapter must pass, and the platform's side of it.

Part one pins the wire format with an implementation independent of
``balai.partners`` (only ``hashlib``/``hmac`` and ``cryptography``'s
primitives): what is signed, how, and how it is sent. An adapter that
builds the same strings and signatures is accepted. Part two is the table
of bad input: each case answers its SNAP status and code and writes
nothing a partner could be charged or credited for.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest
import test_partners_support as support
import test_payments_support as payments
from balai.partners import partner_side
from balai.partners.partner_side import (
    INQUIRY_PATH,
    PAYMENT_PATH,
    REVERSAL_PATH,
    TOKEN_PATH,
    PartnerKeys,
)
from balai.payments import snap
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from test_partners_support import add_partner, call, code, counts, get_token, inquiry, payment
from test_payments_support import new_invoice

balai_cities = support.balai_cities
toko = payments.toko
lapak = support.lapak
balai_app = support.balai_app

BUSINESS = ("inquiries", "partner_payments", "payments", "events")


def _independent_hmac(secret: str, method: str, path: str, token: str, body: bytes, stamp: str):
    digest = hashlib.sha256(body).hexdigest()
    text = f"{method}:{path}:{token}:{digest}:{stamp}"
    mac = hmac.new(secret.encode(), text.encode(), hashlib.sha512).digest()
    return text, base64.b64encode(mac).decode()


def test_the_request_signature_is_snaps_hmac_sha512_over_the_minified_body():
    body = json.dumps({"customerNo": "INV-1", "inquiryRequestId": "Q1"}, separators=(",", ":"))
    stamp = "2026-12-07T10:00:00+07:00"
    path = "/malang/api/mitra/v1.0/transfer-va/inquiry"
    text, expected = _independent_hmac("s3cret", "POST", path, "tok", body.encode(), stamp)
    assert text == (
        "POST:/malang/api/mitra/v1.0/transfer-va/inquiry:tok:"
        + hashlib.sha256(b'{"customerNo":"INV-1","inquiryRequestId":"Q1"}').hexdigest()
        + ":2026-12-07T10:00:00+07:00"
    )
    assert snap.sign("s3cret", "POST", path, "tok", body.encode(), stamp) == expected
    keys = PartnerKeys("CLIENT1", "s3cret", "")
    sent, headers = partner_side.transaction_request(
        keys, "tok", path, json.loads(body), now=datetime.fromisoformat(stamp)
    )
    assert sent == body.encode() and headers["X-SIGNATURE"] == expected
    assert headers["X-TIMESTAMP"] == stamp and headers["Authorization"] == "Bearer tok"
    assert set(headers) >= {"X-PARTNER-ID", "X-EXTERNAL-ID", "CHANNEL-ID"}


def test_a_token_request_signed_independently_is_accepted(client, balai_app, city_run):
    keys = add_partner(balai_app, city_run, kind="rsa")
    private = serialization.load_pem_private_key(keys.private_key.encode(), password=None)
    stamp = datetime.now(UTC).astimezone(support.MALANG_TZ).replace(microsecond=0).isoformat()
    signature = private.sign(
        f"{keys.client_id}|{stamp}".encode(), padding.PKCS1v15(), hashes.SHA256()
    )
    answer = client.post(
        f"/malang{TOKEN_PATH}",
        content=b'{"grantType":"client_credentials"}',
        headers={
            "Content-Type": "application/json",
            "X-TIMESTAMP": stamp,
            "X-CLIENT-KEY": keys.client_id,
            "X-SIGNATURE": base64.b64encode(signature).decode(),
        },
    )
    assert answer.status_code == 200, answer.text
    token = answer.json()["accessToken"]
    invoice = new_invoice(city_run, amount=15000)
    body = json.dumps({"customerNo": invoice.number, "inquiryRequestId": "Q1"}).encode()
    path = f"/malang{INQUIRY_PATH}"
    _text, mac = _independent_hmac(keys.secret, "POST", path, token, body, stamp)
    headers = {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {token}",
        "X-TIMESTAMP": stamp,
        "X-PARTNER-ID": keys.client_id,
        "X-EXTERNAL-ID": "00000000000000000001",
        "CHANNEL-ID": "95221",
        "X-SIGNATURE": mac,
    }
    answered = client.post(path, content=body, headers=headers)  # not minified: hashed as sent
    assert answered.status_code == 200 and code(answered) == "2002400"


def _signed(keys, token, path, payload, **changes):
    full = f"/malang{path}"
    body, headers = partner_side.transaction_request(
        keys, token, full, payload, now=changes.pop("now", None)
    )
    headers.update(changes.pop("headers", {}))
    for name in changes.pop("drop", ()):
        del headers[name]
    return full, changes.pop("body", body), headers


def _cases(invoice_number: str, semarang_number: str, other: PartnerKeys, other_token: str):
    good = payment(invoice_number, 15000)
    return {
        "missing signature": (
            INQUIRY_PATH,
            inquiry(invoice_number),
            {"drop": ["X-SIGNATURE"]},
            400,
            "4002402",
        ),
        "malformed timestamp": (
            INQUIRY_PATH,
            inquiry(invoice_number),
            {"headers": {"X-TIMESTAMP": "yesterday"}},
            400,
            "4002401",
        ),
        "stale timestamp": (
            INQUIRY_PATH,
            inquiry(invoice_number),
            {"now": datetime.now(UTC) - timedelta(minutes=10)},
            401,
            "4012400",
        ),
        "changed body": (
            PAYMENT_PATH,
            good,
            {"body": json.dumps(payment(invoice_number, 1)).encode()},
            401,
            "4012500",
        ),
        "forged signature": (
            PAYMENT_PATH,
            good,
            {"headers": {"X-SIGNATURE": base64.b64encode(b"x" * 64).decode()}},
            401,
            "4012500",
        ),
        "another partner's token": (
            PAYMENT_PATH,
            good,
            {"headers": {"Authorization": f"Bearer {other_token}"}},
            401,
            "4012501",
        ),
        "unknown client": (
            INQUIRY_PATH,
            inquiry(invoice_number),
            {"headers": {"X-PARTNER-ID": "NOBODY"}},
            401,
            "4012400",
        ),
        "unknown customer number": (
            INQUIRY_PATH,
            inquiry("INV-2026-AAAA-BBBB", "INQ-9"),
            {},
            404,
            "4042412",
        ),
        "another city's bill": (
            INQUIRY_PATH,
            inquiry(semarang_number, "INQ-9"),
            {},
            404,
            "4042412",
        ),
        "amount mismatch": (PAYMENT_PATH, payment(invoice_number, 14999), {}, 404, "4042513"),
        "amount not in rupiah form": (
            PAYMENT_PATH,
            {**good, "paidAmount": {"value": "15000", "currency": "IDR"}},
            {},
            400,
            "4002501",
        ),
        "other currency": (
            PAYMENT_PATH,
            {**good, "paidAmount": {"value": "15000.00", "currency": "USD"}},
            {},
            400,
            "4002501",
        ),
        "payment of another inquiry": (
            PAYMENT_PATH,
            payment(invoice_number, 15000, inquiry_id="Q-OTHER"),
            {},
            404,
            "4042512",
        ),
        "reversal of an unknown payment": (
            REVERSAL_PATH,
            {"paymentRequestId": "NOPE"},
            {},
            404,
            "4043112",
        ),
        "not JSON": (
            INQUIRY_PATH,
            inquiry(invoice_number),
            {"body": b"customerNo=1"},
            401,
            "4012400",
        ),
    }


CASE_NAMES = [
    "missing signature",
    "malformed timestamp",
    "stale timestamp",
    "changed body",
    "forged signature",
    "another partner's token",
    "unknown client",
    "unknown customer number",
    "another city's bill",
    "amount mismatch",
    "amount not in rupiah form",
    "other currency",
    "payment of another inquiry",
    "reversal of an unknown payment",
    "not JSON",
]


@pytest.mark.parametrize("case", CASE_NAMES)
def test_bad_input_answers_its_snap_code_and_writes_nothing(client, balai_app, city_run, case):
    keys = add_partner(balai_app, city_run)
    token = get_token(client, keys)
    other = add_partner(balai_app, city_run, kind="ec")
    other_token = get_token(client, other)
    invoice = new_invoice(city_run, amount=15000)
    semarang = new_invoice(city_run, city="semarang", amount=15000)
    assert call(client, keys, token, INQUIRY_PATH, inquiry(invoice.number)).status_code == 200
    before = counts(city_run)
    path, payload, changes, status, expected = _cases(
        invoice.number, semarang.number, other, other_token
    )[case]
    full, body, headers = _signed(keys, token, path, payload, **changes)
    answer = client.post(full, content=body, headers=headers)
    assert (answer.status_code, code(answer)) == (status, expected), answer.text
    after = counts(city_run)
    assert {k: after[k] for k in BUSINESS} == {k: before[k] for k in BUSINESS}


def test_a_replayed_request_is_refused_and_writes_nothing(client, balai_app, city_run):
    keys = add_partner(balai_app, city_run)
    token = get_token(client, keys)
    invoice = new_invoice(city_run, amount=15000)
    full, body, headers = _signed(keys, token, INQUIRY_PATH, inquiry(invoice.number))
    assert client.post(full, content=body, headers=headers).status_code == 200
    before = counts(city_run)
    replay = client.post(full, content=body, headers=headers)
    assert replay.status_code == 409 and code(replay) == "4092400"
    assert counts(city_run) == before


def test_a_second_reversal_is_refused_and_writes_nothing(client, balai_app, city_run, toko):
    keys = add_partner(balai_app, city_run)
    token = get_token(client, keys)
    invoice = new_invoice(city_run, amount=15000)
    call(client, keys, token, INQUIRY_PATH, inquiry(invoice.number))
    call(client, keys, token, PAYMENT_PATH, payment(invoice.number, 15000))
    assert (
        call(client, keys, token, REVERSAL_PATH, {"paymentRequestId": "PAY-1"}).status_code == 200
    )
    before = counts(city_run)
    again = call(client, keys, token, REVERSAL_PATH, {"paymentRequestId": "PAY-1"})
    assert again.status_code == 409 and code(again) == "4093100"
    after = counts(city_run)
    assert {k: after[k] for k in BUSINESS} == {k: before[k] for k in BUSINESS}
    assert toko.refunded == [("malang", invoice.number)]
