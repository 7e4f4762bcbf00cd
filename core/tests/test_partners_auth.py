"""Partner authentication: asymmetric signature for a token, HMAC per request, no replays.

Each refusal answers 401 (or 400 for a missing header) with a SNAP code and
writes nothing.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
import test_partners_support as support
import test_payments_support as payments
from balai.partners import credentials, partner_side
from balai.partners.partner_side import INQUIRY_PATH, TOKEN_PATH, PartnerKeys
from balai.partners.tables import PartnerToken
from balai.payments import snap
from test_partners_support import add_partner, call, code, counts, get_token, inquiry
from test_payments_support import new_invoice

balai_cities = support.balai_cities
toko = payments.toko
lapak = support.lapak
balai_app = support.balai_app


@pytest.fixture
def partner(balai_app, city_run):
    """A Malang partner allowed to pay bills."""
    return add_partner(balai_app, city_run)


def _token_call(client, keys, *, now=None, city="malang", signature=None):
    body, headers = partner_side.token_request(keys, now=now)
    if signature is not None:
        headers["X-SIGNATURE"] = signature
    return client.post(f"/{city}{TOKEN_PATH}", content=body, headers=headers)


@pytest.mark.parametrize("kind", ["rsa", "ec"])
def test_a_signed_token_request_gets_a_token_once(client, balai_app, city_run, kind):
    keys = add_partner(balai_app, city_run, kind=kind)
    body, headers = partner_side.token_request(keys)
    first = client.post(f"/malang{TOKEN_PATH}", content=body, headers=headers)
    assert first.status_code == 200, first.text
    data = first.json()
    assert data["responseCode"] == "2007300" and data["tokenType"] == "Bearer"
    assert data["expiresIn"] == "900"
    replay = client.post(f"/malang{TOKEN_PATH}", content=body, headers=headers)
    assert replay.status_code == 409 and code(replay) == "4097300"


def test_two_honest_rsa_token_requests_in_one_second_both_get_a_token(client, partner):
    second = datetime.now(UTC).replace(microsecond=0)
    early, late = second.replace(microsecond=100_000), second.replace(microsecond=700_000)
    whole = [partner_side.token_request(partner, now=at)[1] for at in (early, late)]
    with_millis = [
        dict(h, **{"X-TIMESTAMP": snap.timestamp(at), "X-SIGNATURE": ""})
        for h, at in zip(whole, (early, late), strict=True)
    ]
    assert whole[0]["X-TIMESTAMP"].endswith(".100+07:00")
    assert len({h["X-SIGNATURE"] for h in whole}) == 2  # the milliseconds are signed
    assert with_millis[0]["X-TIMESTAMP"] == with_millis[1]["X-TIMESTAMP"]  # whole seconds: equal
    answers = [_token_call(client, partner, now=at) for at in (early, late)]
    assert [a.status_code for a in answers] == [200, 200], answers[1].text
    replay = _token_call(client, partner, now=late)  # the same bytes again
    assert replay.status_code == 409 and code(replay) == "4097300"


def test_a_token_request_signed_with_another_key_is_refused(client, city_run, partner):
    other_private, _ = credentials.new_key_pair("ec")
    forged = PartnerKeys(partner.client_id, partner.secret, other_private)
    answer = _token_call(client, forged)
    assert answer.status_code == 401 and code(answer) == "4017300"
    junk = _token_call(client, partner, signature=base64.b64encode(b"x" * 256).decode())
    assert junk.status_code == 401

    async def tokens() -> int:
        return await PartnerToken.count()

    assert city_run("malang", tokens) == 0


def test_a_stale_timestamp_is_refused(client, partner):
    answer = _token_call(client, partner, now=datetime.now(UTC) - timedelta(minutes=6))
    assert answer.status_code == 401 and code(answer) == "4017300"


def test_another_citys_partner_is_unknown_here(client, partner):
    answer = _token_call(client, partner, city="semarang")
    assert answer.status_code == 401 and code(answer) == "4017300"


def test_a_tampered_or_wrongly_signed_request_is_refused(client, city_run, partner):
    token = get_token(client, partner)
    invoice = new_invoice(city_run, amount=15000)
    full = f"/malang{INQUIRY_PATH}"
    body, headers = partner_side.transaction_request(partner, token, full, inquiry(invoice.number))
    tampered = client.post(full, content=body.replace(b"INQ-1", b"INQ-2"), headers=headers)
    assert tampered.status_code == 401 and code(tampered) == "4012400"
    wrong_secret = PartnerKeys(partner.client_id, "not-the-secret", partner.private_key)
    forged = call(client, wrong_secret, token, INQUIRY_PATH, inquiry(invoice.number))
    assert forged.status_code == 401 and code(forged) == "4012400"
    rows = counts(city_run)
    assert rows["inquiries"] == 0 and rows["messages"] == 1  # the token request's signature


def test_an_expired_or_unknown_token_is_refused(client, city_run, partner):
    token = get_token(client, partner)

    async def expire() -> None:
        past = datetime.now(UTC) - timedelta(seconds=1)
        await PartnerToken.update({PartnerToken.expires_at: past}).where(PartnerToken.id > 0)

    city_run("malang", expire)
    invoice = new_invoice(city_run, amount=15000)
    expired = call(client, partner, token, INQUIRY_PATH, inquiry(invoice.number))
    assert expired.status_code == 401 and code(expired) == "4012401"
    unknown = call(client, partner, "made-up-token", INQUIRY_PATH, inquiry(invoice.number))
    assert unknown.status_code == 401 and code(unknown) == "4012401"
    assert counts(city_run)["inquiries"] == 0


def test_a_missing_header_is_named(client, city_run, partner):
    token = get_token(client, partner)
    full = f"/malang{INQUIRY_PATH}"
    body, headers = partner_side.transaction_request(partner, token, full, inquiry("INV-1"))
    del headers["X-EXTERNAL-ID"]
    answer = client.post(full, content=body, headers=headers)
    assert answer.status_code == 400 and code(answer) == "4002402"
    assert "X-EXTERNAL-ID" in answer.json()["responseMessage"]


def test_an_address_outside_the_allow_list_is_refused(client, balai_app, city_run):
    keys = add_partner(balai_app, city_run, ip_allow="203.0.113.0/24")
    answer = _token_call(client, keys)
    assert answer.status_code == 401 and code(answer) == "4017300"
    assert "Address" in answer.json()["responseMessage"]


def test_the_secret_is_stored_sealed_and_bound_to_its_client(balai_app):
    key = balai_app.ui.config.secret_key
    sealed = credentials.seal(key, "s3cret", client_id="A")
    assert "s3cret" not in sealed
    assert credentials.unseal(key, sealed, client_id="A") == "s3cret"
    with pytest.raises(ValueError):
        credentials.unseal(key, sealed, client_id="B")
    with pytest.raises(ValueError):
        credentials.unseal(key + "x", sealed, client_id="A")


def test_a_secret_sealed_under_another_instance_key_is_refused_not_crashed(
    client, balai_app, city_run, caplog
):
    from balai.partners import manage

    private, public = support.key_pair("ec")

    async def create():
        settings = manage.PartnerSettings("Bank Lama", ("bills",), public)
        pid, secret = await manage.create_partner(settings, instance_secret="an-older-key" * 4)
        return (await manage.partner_by_id(pid))["client_id"], secret

    client_id, secret = city_run("malang", create)
    keys = PartnerKeys(client_id, secret, private)
    token = get_token(client, keys)
    answer = call(client, keys, token, INQUIRY_PATH, inquiry("LAPAK-1"))
    assert answer.status_code == 401 and "issued again" in answer.json()["responseMessage"]
    assert "cannot be opened" in caplog.text


def test_the_allow_list_takes_addresses_and_networks():
    from balai.partners.auth import address_allowed

    allow = "203.0.113.0/24\n2001:db8::1\n"
    assert address_allowed(allow, "203.0.113.77")
    assert address_allowed(allow, "2001:db8::1")
    assert not address_allowed(allow, "198.51.100.1")
    assert not address_allowed(allow, "testclient")
    assert address_allowed("", "198.51.100.1")
