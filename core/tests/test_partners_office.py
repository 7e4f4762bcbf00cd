"""Officer pages at /kelola/mitra/: add partners, show the secret once, change, rotate, suspend."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import test_partners_support as support
import test_payments_support as payments
from balai.audit.tables import AuditEntry
from balai.partners import partner_side
from balai.partners.partner_side import INQUIRY_PATH, PartnerKeys
from balai.partners.tables import Partner
from test_partners_support import call, code, get_token, inquiry, key_pair

balai_cities = support.balai_cities
toko = payments.toko
lapak = support.lapak
balai_app = support.balai_app

SECRET = re.compile(r"<dd[^>]*>\s*([A-Za-z0-9_\-]{40,})\s*</dd>")
CLIENT = re.compile(r"<dd[^>]*>\s*([A-Z2-9]{20})\s*</dd>")


def _form(fee: str = "2500", key: str | None = None) -> dict:
    return {
        "name": "Dompet Nusantara",
        "services": "bills",
        "public_key": key if key is not None else key_pair()[1],
        "ip_allow": "",
        "fee_flat": fee,
    }


def _partners(city_run, city="malang") -> list[dict]:
    async def read():
        return await Partner.select()

    return city_run(city, read)


def _created(page) -> PartnerKeys:
    assert page.status_code == 200, page.text[:500]
    assert "no-store" in page.headers["cache-control"]
    secret = SECRET.search(page.text).group(1)
    client_id = CLIENT.search(page.text).group(1)
    return PartnerKeys(client_id, secret, key_pair()[0])


def test_an_officer_adds_a_partner_and_sees_its_secret_once(client, post_form, login_as, city_run):
    login_as("partners.officer")
    keys = _created(post_form("/malang/kelola/mitra/baru", _form()))
    (row,) = _partners(city_run)
    assert row["fee_flat"] == 2500 and row["services"] == "bills"
    assert keys.secret not in str(row)  # stored sealed
    listing = client.get("/malang/kelola/mitra/")
    assert keys.client_id in listing.text and keys.secret not in listing.text
    detail = client.get(f"/malang/kelola/mitra/{row['id']}")
    assert keys.secret not in detail.text and f"…{keys.secret[-4:]}" in detail.text
    token = get_token(client, keys)  # the credentials shown work
    assert call(client, keys, token, INQUIRY_PATH, inquiry("LAPAK-3")).status_code == 200

    def entries():
        async def read():
            return await AuditEntry.select(AuditEntry.action)

        return {e["action"] for e in city_run("malang", read)}

    assert "partners.created" in entries()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("public_key", "not a key"),
        ("fee_flat", "-5"),
        ("fee_flat", "99999999999999999999"),
        ("services", "drones"),
        ("ip_allow", "300.1.2.3"),
        ("name", ""),
    ],
)
def test_bad_settings_are_refused_with_nothing_written(post_form, login_as, city_run, field, value):
    login_as("partners.officer")
    form = _form()
    form[field] = value
    answer = post_form("/malang/kelola/mitra/baru", form)
    assert answer.status_code == 400
    assert _partners(city_run) == []


def test_a_short_rsa_key_is_refused(post_form, login_as, city_run):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    short = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()
    pem = short.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    login_as("partners.officer")
    assert post_form("/malang/kelola/mitra/baru", _form(key=pem)).status_code == 400
    assert _partners(city_run) == []


def test_rotating_the_secret_retires_the_old_one_and_its_tokens(
    client, post_form, login_as, city_run
):
    login_as("partners.officer")
    keys = _created(post_form("/malang/kelola/mitra/baru", _form()))
    token = get_token(client, keys)
    (row,) = _partners(city_run)
    rotated = _created(post_form(f"/malang/kelola/mitra/{row['id']}/rahasia", {}))
    assert rotated.secret != keys.secret
    old = call(client, keys, token, INQUIRY_PATH, inquiry("LAPAK-3"))
    assert old.status_code == 401 and code(old) == "4012401"
    fresh = get_token(client, rotated, now=datetime.now(UTC) + timedelta(seconds=1))
    assert call(client, rotated, fresh, INQUIRY_PATH, inquiry("LAPAK-3")).status_code == 200
    stale = call(client, keys, fresh, INQUIRY_PATH, inquiry("LAPAK-3", "INQ-2"))
    assert stale.status_code == 401 and code(stale) == "4012400"


def test_a_suspended_partner_is_refused(client, post_form, login_as, city_run):
    login_as("partners.officer")
    keys = _created(post_form("/malang/kelola/mitra/baru", _form()))
    (row,) = _partners(city_run)
    assert post_form(f"/malang/kelola/mitra/{row['id']}/status", {}).status_code == 303
    body, headers = partner_side.token_request(keys)
    answer = client.post(f"/malang{partner_side.TOKEN_PATH}", content=body, headers=headers)
    assert answer.status_code == 401


def test_editing_changes_services_and_fee(client, post_form, login_as, city_run):
    login_as("partners.officer")
    _created(post_form("/malang/kelola/mitra/baru", _form()))
    (row,) = _partners(city_run)
    form = _form(fee="1.000")
    form["services"] = ["bills", "catalogue"]
    assert post_form(f"/malang/kelola/mitra/{row['id']}", form).status_code == 303
    (row,) = _partners(city_run)
    assert row["fee_flat"] == 1000 and row["services"] == "bills,catalogue"


def test_citizens_and_other_cities_officers_cannot_manage_partners(
    client, post_form, login_as, city_run
):
    login_as(None)
    assert client.get("/malang/kelola/mitra/").status_code in (401, 403)
    assert post_form("/malang/kelola/mitra/baru", _form()).status_code in (401, 403)
    login_as("partners.officer", city="semarang")
    assert client.get("/malang/kelola/mitra/").status_code in (401, 403)
    assert _partners(city_run) == []


def test_the_partner_list_is_paged(client, login_as, city_run, balai_app):
    from balai.partners import manage
    from balai.partners.office import PER_PAGE

    public = key_pair()[1]

    async def add_many() -> None:
        for n in range(PER_PAGE + 3):
            settings = manage.PartnerSettings(f"Mitra {n:02d}", ("bills",), public)
            await manage.create_partner(settings, instance_secret=balai_app.ui.config.secret_key)

    city_run("malang", add_many)
    login_as("partners.officer")
    first = client.get("/malang/kelola/mitra/")
    assert first.status_code == 200
    assert first.text.count("/kelola/mitra/") - first.text.count("/kelola/mitra/baru") >= PER_PAGE
    assert "Mitra 00" in first.text and f"Mitra {PER_PAGE:02d}" not in first.text
    assert "?page=2" in first.text
    second = client.get("/malang/kelola/mitra/?page=2")
    assert f"Mitra {PER_PAGE:02d}" in second.text and "Mitra 00" not in second.text
    assert client.get("/malang/kelola/mitra/?page=x").status_code == 400
