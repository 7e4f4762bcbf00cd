"""A partner of Malang for the pajak tests of partner payments (this module holds no tests)."""

from __future__ import annotations

import pytest
from balai.partners import credentials, manage, partner_side


@pytest.fixture
def partner(balai_app, city_run, client):
    """A Malang partner allowed to pay bills, with a token: (keys, token)."""
    private, public = credentials.new_key_pair("ec")

    async def create():
        settings = manage.PartnerSettings("Bank Uji", ("bills",), public)
        return await manage.create_partner(settings, instance_secret=balai_app.ui.config.secret_key)

    partner_id, secret = city_run("malang", create)

    async def client_id():
        return (await manage.partner_by_id(partner_id))["client_id"]

    keys = partner_side.PartnerKeys(city_run("malang", client_id), secret, private)
    body, headers = partner_side.token_request(keys)
    answer = client.post(f"/malang{partner_side.TOKEN_PATH}", content=body, headers=headers)
    return keys, answer.json()["accessToken"]


def call(client, partner, path, payload, city="malang"):
    """A signed request of the partner to `/<city><path>`."""
    keys, token = partner
    full = f"/{city}{path}"
    body, headers = partner_side.transaction_request(keys, token, full, payload)
    return client.post(full, content=body, headers=headers)
