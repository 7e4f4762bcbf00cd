"""The merchant verification letter: issued through the core documents service on verification."""

from __future__ import annotations

import pytest
from balai import toolkit as tk
from balai_umkm_market.merchants.letter import VERIFICATION_LETTER
from balai_umkm_market.tables import Merchant
from market_setup import add_merchant, application, market_config

APPLY = "/malang/umkm-market/daftar-toko"
OFFICE = "/malang/kelola/umkm-market/"


@pytest.fixture
def balai_config(tmp_path):
    return market_config(tmp_path)


def letters(city_run):
    return city_run("malang", lambda: tk.issued_documents(VERIFICATION_LETTER.key))


def test_verifying_a_merchant_issues_its_letter_to_the_owner(client, login_as, post_form, city_run):
    owner = login_as(name="Sri Wahyuni")
    post_form(APPLY, application())

    async def first():
        return await Merchant.select().first()

    row = city_run("malang", first)
    login_as("umkm_market.officer")
    answer = post_form(f"{OFFICE}toko/{row['id']}/keputusan", {"decision": "verify"})
    assert answer.status_code == 303
    [letter] = letters(city_run)
    assert letter.subject_id == owner["id"]
    assert letter.status is tk.DocumentStatus.AWAITING  # for the head of Diskopindag
    login_as("umkm_market.head")
    assert letter.number in client.get("/malang/dokumen/tanda-tangan").text


def test_reinstating_a_suspended_merchant_issues_no_second_letter(
    client, login_as, post_form, city_run
):
    owner = login_as()
    merchant_id = city_run("malang", add_merchant(owner_user_id=owner["id"]))
    login_as("umkm_market.officer")
    url = f"{OFFICE}toko/{merchant_id}/keputusan"
    reason = "Banyak keluhan pembeli yang belum ditanggapi."
    assert post_form(url, {"decision": "suspend", "reason": reason}).status_code == 303
    assert post_form(url, {"decision": "verify"}).status_code == 303
    assert letters(city_run) == []
