"""A citizen's copy of their data: a page and a JSON file from every service's records."""

from __future__ import annotations

from balai.audit.tables import AuditEntry


def test_the_copy_needs_a_login(client):
    response = client.get("/malang/akun/data", follow_redirects=False)
    assert response.status_code in (302, 303) and "/masuk" in response.headers["location"]
    assert client.get("/malang/akun/data.json", follow_redirects=False).status_code in (302, 303)


def test_the_page_shows_the_account_and_what_erasure_keeps(client, login_as):
    user = login_as(name="Siti Aminah", email="siti.aminah@contoh.id")
    page = client.get("/malang/akun/data")
    assert page.status_code == 200
    assert "Siti Aminah" in page.text and "siti.aminah@contoh.id" in page.text
    assert 'href="/malang/akun/data.json"' in page.text
    assert user["login"] in page.text
    assert 'href="/malang/akun/data"' in client.get("/malang/akun/").text


def test_the_json_copy_is_a_download_of_the_same_records(client, login_as, city_run):
    login_as(name="Siti Aminah", email="siti.aminah@contoh.id")
    response = client.get("/malang/akun/data.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert "attachment" in response.headers["content-disposition"]
    assert "no-store" in response.headers["cache-control"]
    sections = response.json()["sections"]
    account = sections[0]
    assert account["records"][0]["Nama"] == "Siti Aminah"
    assert account["kept_on_erasure"]

    async def copies():
        return await AuditEntry.count().where(AuditEntry.action == "core.data_copied")

    assert city_run("malang", copies) == 1


def test_another_citys_account_is_not_in_the_copy(client, login_as):
    login_as(name="Warga Semarang", city="semarang", email="warga@semarang.test")
    login_as(name="Siti Aminah", email="siti.aminah@contoh.id")
    assert "Warga Semarang" not in client.get("/malang/akun/data").text


def test_the_core_answers_personal_data_for_the_account(client, login_as, city_run, balai_app):
    user = login_as(name="Siti Aminah", email="siti.aminah@contoh.id")
    city = balai_app.ui.config.cities["malang"]

    async def answers():
        return await balai_app.ui.registry.gather(
            city, "personal_data", city=city, user_id=user["id"]
        )

    [account] = [a for a in city_run("malang", answers) if a.source == "Your account"]
    assert account.records[0]["Email"] == "siti.aminah@contoh.id" and account.kept


# --- erasure on request ----------------------------------------------------------


def _request_erasure(client, login_as, post_form):
    citizen = login_as(name="Siti Aminah", email="siti.aminah@contoh.id")
    assert post_form("/malang/audit/hapus-data", {}).status_code == 303
    response = post_form("/malang/audit/hapus-data", {"confirm": "1"})
    assert response.status_code == 303
    assert "Penghapusan diminta" in client.get("/malang/akun/data").text
    return citizen


def _requests(city_run):
    from balai.audit.tables import ErasureRequest

    return city_run(
        "malang", lambda: ErasureRequest.select(ErasureRequest.id, ErasureRequest.status)
    )


def test_an_officer_reviews_and_erases_the_account(client, login_as, post_form, city_run):
    from balai.tables import User

    citizen = _request_erasure(client, login_as, post_form)
    post_form("/malang/audit/hapus-data", {"confirm": "1"})  # asked twice: one request
    [pending] = _requests(city_run)
    login_as()
    assert client.get("/malang/kelola/audit/penghapusan").status_code == 403
    login_as("audit.privacy_officer")
    queue = client.get("/malang/kelola/audit/penghapusan")
    assert f"/kelola/audit/penghapusan/{pending['id']}" in queue.text
    url = f"/malang/kelola/audit/penghapusan/{pending['id']}"
    review = client.get(url)
    assert review.status_code == 200 and "Siti Aminah" in review.text
    assert "Disimpan saat penghapusan" in review.text
    assert post_form(url, {"decision": "nothing"}).status_code == 400
    assert post_form(url, {"decision": "erase"}).status_code == 303
    assert _requests(city_run) == [{"id": pending["id"], "status": "erased"}]
    account = city_run(
        "malang", lambda: User.select(User.name, User.email).where(User.id == citizen["id"]).first()
    )
    assert account == {"name": f"#{citizen['id']}", "email": None}
    assert client.get(url).status_code == 404  # decided: no longer open


def test_declining_needs_a_reason_the_citizen_reads(client, login_as, post_form, city_run):
    citizen = _request_erasure(client, login_as, post_form)
    [pending] = _requests(city_run)
    login_as("audit.privacy_officer")
    url = f"/malang/kelola/audit/penghapusan/{pending['id']}"
    assert post_form(url, {"decision": "decline"}).status_code == 400
    reason = "Masih ada tagihan PBB yang sedang disengketakan."
    assert post_form(url, {"decision": "decline", "note": reason}).status_code == 303
    client.cookies.clear()
    post_form("/malang/masuk", {"login": citizen["login"], "password": citizen["password"]})
    assert reason in client.get("/malang/akun/data").text


def test_invoices_are_in_the_copy_and_kept_on_erasure(client, login_as, city_run):
    from datetime import UTC, datetime, timedelta

    from balai import toolkit as tk

    user = login_as(name="Siti Aminah", email="siti.aminah@contoh.id")

    async def bill():
        return await tk.create_invoice(
            payer_id=user["id"],
            payer_name="Siti Aminah",
            items=[tk.InvoiceItem("Retribusi 2026", 25_000)],
            due_at=datetime.now(UTC) + timedelta(days=7),
            source="uji",
            source_ref="1",
        )

    invoice = city_run("malang", bill)
    sections = client.get("/malang/akun/data.json").json()["sections"]
    [invoices] = [s for s in sections if s["source"] == "Tagihan dan pembayaran"]
    assert invoices["records"][0]["Tagihan"] == invoice.number
    assert invoices["kept_on_erasure"]
