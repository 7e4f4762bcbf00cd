"""The callback endpoint: signed, checked against our invoice, recorded once.

Every refusal changes nothing.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
import test_payments_support as support
from balai.payments.tables import Payment, PaymentEvent
from test_payments_support import (
    as_json,
    callback_body,
    callback_path,
    count_rows,
    invoice_status,
    latest_attempt,
    new_invoice,
    partner_of,
    signed,
    start_payment,
)

# The payments app and its test plugin (fixtures shared by every payments test module).
balai_cities = support.balai_cities
balai_app = support.balai_app
toko = support.toko


@pytest.fixture
def va_attempt(client, post_form, city_run):
    """A pending invoice of Rp15.000 in Malang with a VA attempt started."""
    invoice = new_invoice(city_run)
    assert start_payment(client, post_form, invoice, "va").status_code == 303
    return invoice, latest_attempt(city_run, invoice)


def _post(client, path, body, headers):
    return client.post(path, content=body, headers=headers)


def _nothing_recorded(city_run, invoice):
    assert count_rows(city_run, PaymentEvent) == 0
    assert count_rows(city_run, Payment) == 0
    assert invoice_status(city_run, invoice) == "pending"


def test_a_signed_callback_settles_and_a_replay_is_a_no_op(
    client, balai_app, city_run, va_attempt, toko
):
    invoice, attempt = va_attempt
    partner = partner_of(balai_app)
    path = callback_path("va")
    body = callback_body(attempt, partner=partner)
    headers = signed(path, body, partner=partner)
    first = _post(client, path, body, headers)
    assert first.status_code == 200 and as_json(first)["responseCode"] == "2002500"
    assert invoice_status(city_run, invoice) == "paid"
    replay = _post(client, path, body, headers)  # same X-EXTERNAL-ID and event
    assert replay.status_code == 200
    retry = _post(
        client, path, body, signed(path, body, partner=partner)
    )  # a retry: new external id
    assert retry.status_code == 200
    assert count_rows(city_run, PaymentEvent) == 1
    assert count_rows(city_run, Payment) == 1
    assert toko.settled == [("malang", invoice.number)]


def test_tampered_body_is_refused_and_logged(client, balai_app, city_run, va_attempt, caplog):
    invoice, attempt = va_attempt
    partner = partner_of(balai_app)
    path = callback_path("va")
    body = callback_body(attempt, partner=partner)
    headers = signed(path, body, partner=partner)
    tampered = body.replace(b'"00"', b'"00" ')
    with caplog.at_level(logging.WARNING, logger="balai.payments.callbacks"):
        answer = _post(client, path, tampered, headers)
    assert answer.status_code == 401
    assert "signature does not match" in caplog.text
    _nothing_recorded(city_run, invoice)


def test_wrong_secret_and_stale_timestamp_are_refused(client, balai_app, city_run, va_attempt):
    invoice, attempt = va_attempt
    partner = partner_of(balai_app)
    path = callback_path("va")
    body = callback_body(attempt, partner=partner)
    assert (
        _post(
            client, path, body, signed(path, body, partner=partner, secret="not-the-secret")
        ).status_code
        == 401
    )
    old = datetime.now(UTC) - timedelta(minutes=30)
    assert (
        _post(client, path, body, signed(path, body, partner=partner, now=old)).status_code == 401
    )
    assert _post(client, path, body, {"Content-Type": "application/json"}).status_code == 401
    _nothing_recorded(city_run, invoice)


def test_wrong_amount_is_refused(client, balai_app, city_run, va_attempt, caplog, toko):
    invoice, attempt = va_attempt
    partner = partner_of(balai_app)
    path = callback_path("va")
    body = callback_body(attempt, partner=partner, amount=1500)
    with caplog.at_level(logging.WARNING, logger="balai.payments.callbacks"):
        answer = _post(client, path, body, signed(path, body, partner=partner))
    assert answer.status_code == 422
    assert "Amount mismatch" in caplog.text
    _nothing_recorded(city_run, invoice)
    assert toko.settled == []


def test_wrong_city_is_refused(client, balai_app, post_form, city_run, va_attempt, caplog):
    invoice, attempt = va_attempt
    malang, semarang = partner_of(balai_app), partner_of(balai_app, "semarang")
    # Malang's callback sent to Semarang's endpoint, signed as Malang: wrong partner for that city.
    body = callback_body(attempt, partner=malang)
    path = callback_path("va", "semarang")
    with caplog.at_level(logging.WARNING, logger="balai.payments.callbacks"):
        assert _post(client, path, body, signed(path, body, partner=malang)).status_code == 401
    # Signed as Semarang, naming Malang's attempt: Semarang has no such payment.
    body = callback_body(attempt, partner=semarang)
    assert _post(client, path, body, signed(path, body, partner=semarang)).status_code == 404
    # Malang's endpoint, Malang's headers, a body naming Semarang's partner.
    body = callback_body(attempt, partner=semarang)
    path = callback_path("va")
    assert _post(client, path, body, signed(path, body, partner=malang)).status_code == 403
    assert "another partner" in caplog.text
    _nothing_recorded(city_run, invoice)


def test_every_authentication_failure_gets_the_same_401(
    client, balai_app, city_run, va_attempt, caplog
):
    invoice, attempt = va_attempt
    partner = partner_of(balai_app)
    path = callback_path("va")
    body = callback_body(attempt, partner=partner)
    old = datetime.now(UTC) - timedelta(minutes=30)
    semarang = partner_of(balai_app, "semarang")
    semarang_body = callback_body(attempt, partner=semarang)
    attempts = {
        "tampered": (body.replace(b'"00"', b'"00" '), signed(path, body, partner=partner)),
        "wrong secret": (body, signed(path, body, partner=partner, secret="not-the-secret")),
        "stale": (body, signed(path, body, partner=partner, now=old)),
        "unsigned": (body, {"Content-Type": "application/json"}),
        "another city's partner": (semarang_body, signed(path, semarang_body, partner=semarang)),
    }
    answers = {}
    with caplog.at_level(logging.WARNING, logger="balai.payments.callbacks"):
        for what, (sent, headers) in attempts.items():
            answer = _post(client, path, sent, headers)
            answers[what] = (answer.status_code, answer.content)
    assert set(answers.values()) == {
        (401, b'{"responseCode":"4010000","responseMessage":"Unauthorized."}')
    }, answers
    # Which check failed is for the log only.
    assert "signature does not match" in caplog.text and "another partner" in caplog.text
    _nothing_recorded(city_run, invoice)


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"eventId":"x"}', b'{"eventId":"x y","partnerServiceId":"p"}'],
)
def test_malformed_bodies_are_refused(client, balai_app, city_run, va_attempt, body):
    invoice, _attempt = va_attempt
    partner = partner_of(balai_app)
    path = callback_path("va")
    assert _post(client, path, body, signed(path, body, partner=partner)).status_code == 400
    _nothing_recorded(city_run, invoice)


def test_oversized_body_unknown_provider_and_cash_are_refused(
    client, balai_app, city_run, va_attempt
):
    invoice, attempt = va_attempt
    partner = partner_of(balai_app)
    big = b"{" + b" " * 20_000 + b"}"
    path = callback_path("va")
    assert _post(client, path, big, signed(path, big, partner=partner)).status_code == 413
    for provider in ("bitcoin", "cash"):
        path = callback_path(provider)
        body = callback_body(attempt, partner=partner)
        assert _post(client, path, body, signed(path, body, partner=partner)).status_code == 404
    path = callback_path("qris")  # a VA attempt reported on the QRIS endpoint
    body = callback_body(attempt, partner=partner)
    assert _post(client, path, body, signed(path, body, partner=partner)).status_code == 409
    _nothing_recorded(city_run, invoice)


def test_an_invoice_cannot_be_paid_twice(client, balai_app, post_form, city_run, toko):
    invoice = new_invoice(city_run)
    start_payment(client, post_form, invoice, "va")
    first_attempt = latest_attempt(city_run, invoice)
    start_payment(client, post_form, invoice, "qris")
    second_attempt = latest_attempt(city_run, invoice)
    partner = partner_of(balai_app)
    for attempt in (first_attempt, second_attempt):
        path = callback_path(attempt["provider"])
        body = callback_body(attempt, partner=partner)
        assert _post(client, path, body, signed(path, body, partner=partner)).status_code == 200
    assert count_rows(city_run, Payment) == 1
    assert count_rows(city_run, PaymentEvent) == 2
    assert count_rows(city_run, PaymentEvent, where=PaymentEvent.flagged == True) == 1  # noqa: E712
    assert toko.settled == [("malang", invoice.number)]


def test_out_of_order_failure_after_payment_changes_nothing(
    client, balai_app, city_run, va_attempt
):
    invoice, attempt = va_attempt
    partner = partner_of(balai_app)
    path = callback_path("va")
    paid = callback_body(attempt, partner=partner, event_id="ev-paid")
    failed = callback_body(attempt, partner=partner, event_id="ev-failed", status="06")
    assert _post(client, path, paid, signed(path, paid, partner=partner)).status_code == 200
    assert _post(client, path, failed, signed(path, failed, partner=partner)).status_code == 200
    assert invoice_status(city_run, invoice) == "paid"
    assert count_rows(city_run, Payment) == 1


def test_an_expired_callback_after_payment_is_recorded_and_ignored(
    client, balai_app, city_run, va_attempt, toko
):
    invoice, attempt = va_attempt
    partner = partner_of(balai_app)
    path = callback_path("va")
    paid = callback_body(attempt, partner=partner, event_id="ev-paid")
    expired = callback_body(attempt, partner=partner, event_id="ev-expired", status="05")
    assert _post(client, path, paid, signed(path, paid, partner=partner)).status_code == 200
    status_after_payment = latest_attempt(city_run, invoice)["status"]
    answer = _post(client, path, expired, signed(path, expired, partner=partner))
    assert answer.status_code == 200 and as_json(answer)["responseCode"] == "2002500"
    assert invoice_status(city_run, invoice) == "paid"
    assert latest_attempt(city_run, invoice)["status"] == status_after_payment != "expired"
    assert count_rows(city_run, Payment) == 1
    events = city_run(
        "malang",
        lambda: PaymentEvent.select(PaymentEvent.kind, PaymentEvent.outcome).order_by(
            PaymentEvent.id
        ),
    )
    assert [(e["kind"], e["outcome"]) for e in events] == [
        ("paid", "settled"),
        ("expired", "ignored"),
    ]
    assert toko.settled == [("malang", invoice.number)]
    page = client.get(f"/malang/bayar/{invoice.number}?t={invoice.access_token}")
    assert page.status_code == 200 and "Lunas" in page.text


def test_failure_then_payment_settles(client, balai_app, city_run, va_attempt, toko):
    invoice, attempt = va_attempt
    partner = partner_of(balai_app)
    path = callback_path("va")
    failed = callback_body(attempt, partner=partner, event_id="ev-failed", status="06")
    paid = callback_body(attempt, partner=partner, event_id="ev-paid")
    assert _post(client, path, failed, signed(path, failed, partner=partner)).status_code == 200
    assert invoice_status(city_run, invoice) == "pending"
    assert _post(client, path, paid, signed(path, paid, partner=partner)).status_code == 200
    assert invoice_status(city_run, invoice) == "paid"
    assert len(toko.settled) == 1


def test_callback_needs_no_csrf_token_but_pages_do(client, balai_app, city_run, va_attempt):
    invoice, _attempt = va_attempt
    refused = client.post(
        f"/malang/bayar/{invoice.number}/mulai", data={"method": "va", "t": invoice.access_token}
    )
    assert refused.status_code == 403
