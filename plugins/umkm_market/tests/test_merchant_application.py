"""Applying to sell, the verification queue, decisions (audited, notified) and officer search."""

from __future__ import annotations

import json
import re

import pytest
from balai.audit.tables import AuditEntry
from balai.notifications.tables import OutboxMessage
from balai_umkm_market.tables import Merchant, MerchantStatus
from market_setup import (
    add_merchant,
    application,
    csrf_token,
    jpeg_bytes,
    market_config,
)

APPLY = "/malang/umkm-market/daftar-toko"
MY_SHOP = "/malang/umkm-market/toko-saya/"
OFFICE = "/malang/kelola/umkm-market/"


@pytest.fixture
def balai_config(tmp_path):
    return market_config(tmp_path)


def merchants(city_run, city="malang"):
    async def read():
        return await Merchant.select().order_by(Merchant.id)

    return city_run(city, read)


def outbox(city_run, city="malang"):
    async def read():
        return await OutboxMessage.select().order_by(OutboxMessage.id)

    return city_run(city, read)


def audit(city_run, action, city="malang"):
    async def read():
        return await AuditEntry.select().where(AuditEntry.action == action)

    return city_run(city, read)


# --- applying ------------------------------------------------------------------------


def test_apply_needs_login(client):
    response = client.get(APPLY, follow_redirects=False)
    assert response.status_code == 303
    assert "/malang/masuk" in response.headers["location"]


def test_application_form_offers_the_city_districts(client, login_as):
    login_as(name="Sri Wahyuni")
    page = client.get(APPLY)
    assert page.status_code == 200
    for district in ("Klojen", "Blimbing", "Kedungkandang", "Lowokwaru", "Sukun"):
        assert f'<option value="{district}"' in page.text
    assert 'value="Sri Wahyuni"' in page.text  # the owner's name from the account
    assert 'enctype="multipart/form-data"' in page.text


def test_a_valid_application_is_pending_and_not_public(client, login_as, post_form, city_run):
    user = login_as()
    response = post_form(APPLY, application())
    assert response.status_code == 303
    assert response.headers["location"] == MY_SHOP
    [row] = merchants(city_run)
    assert row["status"] == MerchantStatus.PENDING.value
    assert row["owner_user_id"] == user["id"]
    assert row["nib"] == "9120001234567"
    assert row["phone"] == "081234567890"
    assert row["delivery_fee"] == 10_000
    assert row["offers_delivery"] and row["offers_pickup"]
    page = client.get(MY_SHOP)
    assert "Permohonan Anda sedang diperiksa" in page.text
    assert "Keripik Tempe Sanan Bu Sri" not in client.get("/malang/umkm-market/").text
    # a second application while one is open leads back to the status page
    again = client.get(APPLY, follow_redirects=False)
    assert again.status_code == 303
    assert post_form(APPLY, application(name="Lagi")).status_code == 303
    assert len(merchants(city_run)) == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"nib": "12345"}, "nib", "NIB terdiri dari tepat 13 digit."),
        ({"nib": ""}, "nib", "Masukkan nomor induk berusaha (NIB)."),
        ({"district": "Coblong"}, "district", "Pilih kecamatan usaha."),
        ({"phone": "12"}, "phone", "Masukkan nomor ponsel seperti 0812 3456 7890."),
        ({"name": ""}, "name", "Masukkan nama usaha."),
        ({"category": "weapons"}, "category", "Pilih apa yang dijual usaha ini."),
        ({"delivery_fee": "sepuluh ribu"}, "delivery_fee", "Masukkan rupiah bulat"),
        ({"offers_delivery": None, "offers_pickup": None}, "offers_delivery", "Tawarkan"),
    ],
)
def test_bad_input_is_refused_with_the_values_kept(
    client, login_as, post_form, city_run, changes, field, message
):
    login_as()
    response = post_form(APPLY, application(**changes))
    assert response.status_code == 400
    assert message in response.text
    assert f'id="f-{field}"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'value="Jl. Sanan No. 12"' in response.text or "Jl. Sanan No. 12" in response.text
    assert merchants(city_run) == []


def test_after_an_error_every_typed_value_and_box_is_shown_again(
    client, login_as, post_form, city_run
):
    login_as()
    typed = application(
        nib="12345",
        name="Keripik  Tempe <Sanan>",
        phone="0813 9999 1111",
        description="Baris satu.\nBaris dua.",
        delivery_fee="12.500",
        offers_delivery=None,  # unticked stays unticked, ticked stays ticked
    )
    response = post_form(APPLY, typed)
    assert response.status_code == 400
    page = response.text
    assert 'value="Keripik Tempe &lt;Sanan&gt;"' in page  # escaped, spaces collapsed
    assert 'value="12345"' in page and 'value="0813 9999 1111"' in page
    assert 'value="12.500"' in page
    assert "Baris satu.\nBaris dua." in page
    assert '<option value="Blimbing" selected' in page
    assert re.search(r'name="offers_delivery"(?![^>]*checked)[^>]*>', page)
    assert re.search(r'name="offers_pickup"[^>]*checked', page)
    assert merchants(city_run) == []


def test_a_description_too_long_is_refused_not_cut(client, login_as, post_form, city_run):
    login_as()
    response = post_form(APPLY, application(description="x" * 2001))
    assert response.status_code == 400
    assert "Deskripsi paling banyak 2000 karakter." in response.text
    assert merchants(city_run) == []


def test_a_delivery_fee_over_the_limit_names_it(client, login_as, post_form):
    login_as()
    response = post_form(APPLY, application(delivery_fee="500.001"))
    assert response.status_code == 400
    assert "Rp500.000" in response.text


def test_no_delivery_fee_is_free_delivery(client, login_as, post_form, city_run):
    login_as()
    assert post_form(APPLY, application(delivery_fee="")).status_code == 303
    assert merchants(city_run)[0]["delivery_fee"] == 0


def test_application_in_english(client, login_as, post_form):
    login_as()
    client.cookies.set("balai_lang", "en")
    response = post_form(APPLY, application(nib="123"))
    assert response.status_code == 400
    assert "The NIB has exactly 13 digits." in response.text
    assert "Business registration number (NIB)" in response.text


def test_application_with_a_photo(client, login_as, city_run):
    login_as()
    token = csrf_token(client, APPLY)
    response = client.post(
        APPLY,
        data={**application(), "_csrf_token": token},
        files={"photo": ("toko.jpg", jpeg_bytes(), "image/jpeg")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    [row] = merchants(city_run)
    assert len(row["photo"]) >= 16
    assert client.get(f"/malang/berkas/{row['photo']}").status_code == 200


def test_a_photo_that_is_not_an_image_is_refused_and_nothing_stored(client, login_as, city_run):
    login_as()
    token = csrf_token(client, APPLY)
    response = client.post(
        APPLY,
        data={**application(), "_csrf_token": token},
        files={"photo": ("toko.jpg", b"MZ not an image at all", "image/jpeg")},
        follow_redirects=False,
    )
    assert response.status_code == 400
    assert 'id="f-photo-error"' in response.text
    assert 'value="Keripik Tempe Sanan Bu Sri"' in response.text
    assert merchants(city_run) == []


# --- the office -----------------------------------------------------------------------


def test_office_pages_need_the_permission(client, login_as):
    login_as()
    assert client.get(OFFICE).status_code == 403
    assert client.get(OFFICE + "verifikasi").status_code == 403


def test_queue_lists_pending_applications_oldest_first(client, login_as, city_run):
    city_run("malang", add_merchant("Kopi Dampit Tlogomas", status="pending"))
    city_run("malang", add_merchant("Apel Mbak Rini", status="pending"))
    city_run("malang", add_merchant("Batik Celaket", status="verified"))
    city_run("semarang", add_merchant("Lumpia Semarang", status="pending"))
    login_as("umkm_market.officer")
    page = client.get(OFFICE + "verifikasi")
    assert page.status_code == 200
    assert page.text.index("Kopi Dampit Tlogomas") < page.text.index("Apel Mbak Rini")
    assert "Batik Celaket" not in page.text
    assert "Lumpia" not in page.text
    assert "2 pelaku usaha menunggu verifikasi." in page.text


def test_viewing_an_application_is_audited_as_personal_data(client, login_as, city_run):
    owner = login_as()
    merchant_id = city_run("malang", add_merchant(status="pending", owner_user_id=owner["id"]))
    officer = login_as("umkm_market.officer")
    page = client.get(f"{OFFICE}toko/{merchant_id}")
    assert page.status_code == 200
    assert "9120001234567" in page.text
    [entry] = audit(city_run, "umkm_market.merchant_viewed")
    assert entry["actor_id"] == officer["id"]
    assert entry["personal_data_of"] == owner["id"]


def test_another_citys_merchant_is_not_found(client, login_as, city_run):
    other = city_run("semarang", add_merchant("Lumpia Semarang", status="pending"))
    login_as("umkm_market.officer")
    assert client.get(f"{OFFICE}toko/{other}").status_code == 404
    response_post = client.post(f"{OFFICE}toko/{other}/keputusan", data={"decision": "verify"})
    assert response_post.status_code in (403, 404)  # no CSRF token: refused before anything


def test_verify_audits_notifies_and_publishes(client, login_as, post_form, city_run):
    owner = login_as(name="Sri Wahyuni")
    post_form(APPLY, application())
    [row] = merchants(city_run)
    officer = login_as("umkm_market.officer")
    response = post_form(f"{OFFICE}toko/{row['id']}/keputusan", {"decision": "verify"})
    assert response.status_code == 303
    [row] = merchants(city_run)
    assert row["status"] == "verified"
    assert row["verified_by"] == officer["id"]
    assert row["verified_at"] is not None
    [entry] = audit(city_run, "umkm_market.merchant_verified")
    assert entry["actor_id"] == officer["id"]
    assert json.loads(entry["detail"])["to"] == "verified"
    [message] = [m for m in outbox(city_run) if m["kind"] == "umkm_market.merchant_verified"]
    assert message["user_id"] == owner["id"]
    assert "Keripik Tempe Sanan Bu Sri" in message["subject"]
    assert "terverifikasi" in message["subject"]
    assert "Keripik Tempe Sanan Bu Sri" in client.get("/malang/umkm-market/").text


def test_reject_needs_a_reason_and_tells_the_applicant(client, login_as, post_form, city_run):
    owner = login_as()
    post_form(APPLY, application())
    [row] = merchants(city_run)
    login_as("umkm_market.officer")
    url = f"{OFFICE}toko/{row['id']}/keputusan"
    short = post_form(url, {"decision": "reject", "reason": "NIB?"})
    assert short.status_code == 400
    assert "Tuliskan alasannya" in short.text
    assert merchants(city_run)[0]["status"] == "pending"
    assert audit(city_run, "umkm_market.merchant_rejected") == []
    reason = "NIB tidak terdaftar di OSS atas nama pemilik."
    assert post_form(url, {"decision": "reject", "reason": reason}).status_code == 303
    [row] = merchants(city_run)
    assert row["status"] == "rejected"
    assert row["rejection_reason"] == reason
    [entry] = audit(city_run, "umkm_market.merchant_rejected")
    assert json.loads(entry["detail"])["reason"] == reason
    [message] = [m for m in outbox(city_run) if m["kind"] == "umkm_market.merchant_rejected"]
    assert message["user_id"] == owner["id"]
    assert reason in message["body"]
    # a rejected application cannot be verified afterwards
    again = post_form(url, {"decision": "verify"})
    assert again.status_code == 409
    assert merchants(city_run)[0]["status"] == "rejected"


def test_applicant_sees_the_rejection_and_can_apply_again(client, login_as, post_form, city_run):
    owner = login_as()
    city_run(
        "malang",
        add_merchant("Toko Lama", status="rejected", owner_user_id=owner["id"]),
    )
    page = client.get(MY_SHOP)
    assert "Permohonan Anda ditolak" in page.text
    assert client.get(APPLY).status_code == 200
    assert post_form(APPLY, application()).status_code == 303
    assert [m["status"] for m in merchants(city_run)] == ["rejected", "pending"]


def test_suspend_and_reinstate(client, login_as, post_form, city_run):
    owner = login_as()
    merchant_id = city_run("malang", add_merchant(owner_user_id=owner["id"]))
    login_as("umkm_market.officer")
    url = f"{OFFICE}toko/{merchant_id}/keputusan"
    reason = "Banyak keluhan pembeli yang belum ditanggapi."
    assert post_form(url, {"decision": "suspend", "reason": reason}).status_code == 303
    assert merchants(city_run)[0]["status"] == "suspended"
    client.get(f"{OFFICE}toko/{merchant_id}")  # shows (and so clears) the flash message
    assert "Batik Celaket" not in client.get("/malang/umkm-market/").text
    assert post_form(url, {"decision": "verify"}).status_code == 303
    assert merchants(city_run)[0]["status"] == "verified"
    assert len(audit(city_run, "umkm_market.merchant_suspended")) == 1
    assert len(audit(city_run, "umkm_market.merchant_verified")) == 1


def test_unknown_decision_is_a_400(client, login_as, post_form, city_run):
    merchant_id = city_run("malang", add_merchant(status="pending"))
    login_as("umkm_market.officer")
    response = post_form(f"{OFFICE}toko/{merchant_id}/keputusan", {"decision": "delete"})
    assert response.status_code == 400
    assert merchants(city_run)[0]["status"] == "pending"


def test_officer_search_by_name_status_and_district(client, login_as, city_run):
    city_run("malang", add_merchant("Keripik Tempe Sanan", district="Blimbing"))
    city_run("malang", add_merchant("Kopi Dampit", status="pending", district="Lowokwaru"))
    city_run("semarang", add_merchant("Tempe Semarang"))
    login_as("umkm_market.officer")
    page = client.get(OFFICE, params={"q": "TEMPE"})
    assert "Keripik Tempe Sanan" in page.text
    assert "Kopi Dampit" not in page.text
    assert "Tempe Semarang" not in page.text
    page = client.get(OFFICE, params={"status": "pending"})
    assert "Kopi Dampit" in page.text and "Keripik Tempe Sanan" not in page.text
    page = client.get(OFFICE, params={"district": "Blimbing"})
    assert "Keripik Tempe Sanan" in page.text and "Kopi Dampit" not in page.text
    page = client.get(OFFICE, params={"q": "9120001234567"})
    assert "Keripik Tempe Sanan" in page.text and "Kopi Dampit" in page.text
    assert client.get(OFFICE, params={"q": "100%_", "page": "99"}).status_code == 200


# --- the merchant's own details -------------------------------------------------------

EDIT = "/malang/umkm-market/toko-saya/ubah"


def test_a_verified_merchant_changes_contact_and_delivery(client, login_as, post_form, city_run):
    owner = login_as()
    city_run("malang", add_merchant(owner_user_id=owner["id"]))
    page = client.get(EDIT)
    assert page.status_code == 200
    assert 'value="081234567890"' in page.text
    form = {
        "phone": "+62 813 1111 2222",
        "address": "Jl. Kawi 5",
        "description": "Batik tulis dan cap.",
        "delivery_fee": "7.500",
        "offers_pickup": "1",
        "name": "Nama Baru Yang Tidak Boleh",  # not editable here: ignored
        "nib": "1111111111111",
    }
    assert post_form(EDIT, form).status_code == 303
    [row] = merchants(city_run)
    assert (row["phone"], row["address"], row["delivery_fee"]) == (
        "081311112222",
        "Jl. Kawi 5",
        7500,
    )
    assert (row["offers_delivery"], row["offers_pickup"]) == (False, True)
    assert (row["name"], row["nib"]) == ("Batik Celaket", "9120001234567")


def test_bad_details_change_nothing(client, login_as, post_form, city_run):
    owner = login_as()
    city_run("malang", add_merchant(owner_user_id=owner["id"]))
    response = post_form(EDIT, {"phone": "12", "address": "Jl. Baru 1", "delivery_fee": "x"})
    assert response.status_code == 400
    assert "Masukkan nomor ponsel seperti 0812 3456 7890." in response.text
    assert "Jl. Baru 1" in response.text
    assert 'aria-invalid="true"' in response.text
    assert merchants(city_run)[0]["address"] == "Jl. Ijen 1"


def test_the_edit_form_shows_the_stored_boxes_and_keeps_typed_ones(
    client, login_as, post_form, city_run
):
    owner = login_as()
    city_run("malang", add_merchant(owner_user_id=owner["id"]))
    page = client.get(EDIT).text
    assert re.search(r'name="offers_delivery"[^>]*checked', page)
    response = post_form(EDIT, {"phone": "0812 0000 1111", "address": "", "offers_pickup": "1"})
    assert response.status_code == 400
    assert "Masukkan alamat usaha." in response.text
    assert 'value="0812 0000 1111"' in response.text
    assert re.search(r'name="offers_delivery"(?![^>]*checked)[^>]*>', response.text)
    assert re.search(r'name="offers_pickup"[^>]*checked', response.text)


@pytest.mark.parametrize("status", ["pending", "rejected", "suspended"])
def test_only_a_verified_merchant_edits_its_details(client, login_as, post_form, city_run, status):
    owner = login_as()
    city_run("malang", add_merchant(owner_user_id=owner["id"], status=status))
    assert client.get(EDIT).status_code == 403
    assert post_form(EDIT, {"phone": "081299998888", "address": "X"}).status_code == 403
    assert merchants(city_run)[0]["phone"] == "081234567890"


def test_a_new_photo_replaces_the_old(client, login_as, city_run):
    owner = login_as()
    city_run("malang", add_merchant(owner_user_id=owner["id"]))
    token = csrf_token(client, EDIT)
    form = {"phone": "081234567890", "address": "Jl. Ijen 1", "offers_delivery": "1"}
    response = client.post(
        EDIT,
        data={**form, "_csrf_token": token},
        files={"photo": ("toko.jpg", jpeg_bytes(), "image/jpeg")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert len(merchants(city_run)[0]["photo"]) >= 16
