"""The demo's market accounts: a merchant owner, the citizen's paid order, a hidden review."""

from __future__ import annotations

import pytest
from balai.audit.tables import AuditEntry
from balai.payments.tables import PaymentInvoice
from balai.testing import as_demo_seeding
from balai_umkm_market import demo_accounts, plugin
from balai_umkm_market.tables import Merchant, Order, Review
from market_setup import market_config

PASSWORD = "demo-test-2026"  # as_demo_seeding's default


@pytest.fixture
def balai_config(tmp_path):
    return market_config(tmp_path)


@pytest.fixture
def seeded(client, balai_app, city_run):
    city = balai_app.ui.config.cities["malang"]
    return city_run("malang", as_demo_seeding(plugin.seed_demo), city)


def log_in(post_form, login):
    response = post_form("/malang/masuk", {"login": login, "password": PASSWORD, "next": ""})
    assert response.status_code == 303


def test_the_demo_merchant_owner_runs_a_verified_business(seeded, client, post_form, city_run):
    owner = next(a for a in seeded.accounts if a.login == "penjual@malang.test")
    assert (owner.password, owner.role) == (PASSWORD, "citizen")
    assert any("penjual@malang.test runs " in line for line in seeded.summary)
    owned = city_run(
        "malang", lambda: Merchant.select().where(Merchant.owner_user_id.is_not_null())
    )
    assert len(owned) == 1 and owned[0]["status"] == "verified"

    log_in(post_form, "penjual@malang.test")
    page = client.get("/malang/umkm-market/toko-saya/")
    assert page.status_code == 200
    assert owned[0]["name"] in page.text
    assert client.get("/malang/umkm-market/penjual/pesanan/").status_code == 200


def test_the_demo_citizen_has_a_paid_cashless_order_with_its_receipt(
    seeded, client, post_form, city_run
):
    assert "warga@malang.test" in [a.login for a in seeded.accounts] or any(
        "warga@malang.test has 2 orders" in line for line in seeded.summary
    )
    theirs = city_run("malang", lambda: Order.select().where(Order.buyer_id.is_not_null()))
    assert sorted(o["payment_method"] for o in theirs) == ["cashless", "cod"]
    cashless = next(o for o in theirs if o["payment_method"] == "cashless")
    invoice = city_run(
        "malang",
        lambda: PaymentInvoice.select().where(PaymentInvoice.number == cashless["invoice_number"]),
    )[0]
    assert (invoice["status"], invoice["amount"], invoice["source_ref"]) == (
        "paid",
        cashless["total"],
        f"checkout:{cashless['checkout_ref']}",
    )

    log_in(post_form, "warga@malang.test")
    assert cashless["number"] in client.get("/malang/umkm-market/pesanan/").text
    page = client.get(f"/malang/umkm-market/pesanan/{cashless['number']}")
    assert page.status_code == 200
    link = page.text.split('<p class="card-meta"><a href="', 1)[1].split('"', 1)[0]
    assert link.startswith("/malang/bayar/kuitansi/PAY-")
    receipt = client.get(link)
    assert receipt.status_code == 200
    assert cashless["number"] in receipt.text and invoice["number"] in receipt.text
    cod = next(o for o in theirs if o["payment_method"] == "cod")
    assert "/bayar/kuitansi/" not in client.get(f"/malang/umkm-market/pesanan/{cod['number']}").text


def test_the_demo_officer_has_hidden_one_abusive_review(seeded, client, post_form, city_run):
    assert any("hid 1 abusive review" in line for line in seeded.summary)
    hidden = city_run("malang", lambda: Review.select().where(Review.is_hidden == True))  # noqa: E712
    assert len(hidden) == 1 and hidden[0]["text"] == demo_accounts.ABUSIVE_REVIEW
    merchant = city_run(
        "malang", lambda: Merchant.select().where(Merchant.id == hidden[0]["merchant"]).first()
    )
    counted = city_run(
        "malang",
        lambda: Review.select().where(
            (Review.merchant == hidden[0]["merchant"]) & (Review.is_hidden == False)  # noqa: E712
        ),
    )
    assert (merchant["rating_sum"], merchant["rating_count"]) == (
        sum(r["rating"] for r in counted),
        len(counted),
    )
    entries = city_run(
        "malang",
        lambda: AuditEntry.select().where(AuditEntry.action == "umkm_market.review_hidden"),
    )
    assert [e["subject"] for e in entries] == [f"review:{hidden[0]['id']}"]

    log_in(post_form, "umkm_market.officer@malang.test")
    log = client.get("/malang/kelola/umkm-market/ulasan/tersembunyi")
    assert log.status_code == 200
    assert demo_accounts.HIDDEN_REASON in log.text
