"""A Malang ticketing partner for the heritage partner-sales tests (this module holds no tests)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from balai.partners import credentials, manage, partner_side
from balai.partners.partner_side import PartnerKeys

_KEYS: dict[str, tuple[str, str]] = {}


def add_partner(
    app: Any, city_run: Any, city: str = "malang", services=("tickets",)
) -> PartnerKeys:
    """A partner of ``city`` (an EC key, made once per run); what the partner holds."""
    if "ec" not in _KEYS:
        _KEYS["ec"] = credentials.new_key_pair("ec")
    private, public = _KEYS["ec"]

    async def create() -> tuple[str, str]:
        settings = manage.PartnerSettings("Tiket Nusantara", tuple(services), public)
        partner_id, secret = await manage.create_partner(
            settings, instance_secret=app.ui.config.secret_key
        )
        return (await manage.partner_by_id(partner_id))["client_id"], secret

    client_id, secret = city_run(city, create)
    return PartnerKeys(client_id, secret, private)


def token_of(client: Any, keys: PartnerKeys, city: str = "malang") -> str:
    """A fresh access token."""
    body, headers = partner_side.token_request(keys)
    answer = client.post(f"/{city}{partner_side.TOKEN_PATH}", content=body, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()["accessToken"]


@pytest.fixture
def seller(balai_app, city_run, client):
    """A Malang partner allowed to sell tickets, with its token: (keys, token)."""
    keys = add_partner(balai_app, city_run)
    return keys, token_of(client, keys)


def call(client: Any, partner: tuple[PartnerKeys, str], path: str, payload: Any, city="malang"):
    """A signed request of the partner to ``/<city><path>``."""
    keys, token = partner
    full = f"/{city}{path}"
    body, headers = partner_side.transaction_request(keys, token, full, payload)
    return client.post(full, content=body, headers=headers)


def code(answer: Any) -> str:
    """The SNAP response code of an answer."""
    return json.loads(answer.content)["responseCode"]
