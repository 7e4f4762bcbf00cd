"""Reporting: who may report, the form, the place, photos, duplicates, emergencies."""

from __future__ import annotations

from pengaduan_support import PHONE_E164, confirm_phone, jpeg, rows, texted_codes

from balai_pengaduan.handling.workflow import NUMBERS

REPORT = "/malang/pengaduan/lapor"
GOOD = {
    "category": "lampu",
    "description": "Lampu jalan mati di depan rumah nomor 12.",
    "kelurahan": "",
    "address": "Jl. Ijen 12",
}


def test_board_and_report_pages_answer_only_where_enabled(client):
    assert client.get("/malang/pengaduan/").status_code == 200
    assert client.get("/semarang/pengaduan/").status_code == 404
    assert client.get("/semarang/pengaduan/lapor").status_code == 404


def test_category_page_puts_emergencies_and_the_call_button_first(client):
    page = client.get(REPORT).text
    assert 'href="tel:112"' in page
    assert page.index('href="tel:112"') < page.index("Kebakaran") < page.index("Lampu jalan mati")


def test_a_visitor_without_an_account_must_confirm_a_number_first(client, post_form, city_run):
    page = client.get(REPORT, params={"kategori": "lampu"})
    assert "/pengaduan/lapor/nomor" in page.text
    refused = post_form(REPORT, GOOD)
    assert refused.status_code == 403
    assert rows(city_run) == []


def test_a_confirmed_number_reports_with_a_photo_and_gets_a_number_at_once(
    client, post_form, city_run
):
    confirm_phone(client, post_form)
    answer = post_form(REPORT, GOOD, files={"photo": ("lampu.jpg", jpeg(), "image/jpeg")})
    assert answer.status_code == 303, answer.text
    (row,) = rows(city_run)
    assert NUMBERS.parse(row["number"]) == row["number"]
    assert answer.headers["location"].endswith(f"/pengaduan/laporan/{row['number']}")
    assert row["department"] == "pupr" and not row["urgent"] and row["status"] == "new"
    assert row["reporter_id"] is not None
    page = client.get(f"/malang/pengaduan/laporan/{row['number']}").text
    assert "Lampu jalan mati di depan rumah" in page
    assert "/berkas/" not in page  # the photo waits for an officer
    assert "Budi" not in page and "5555" not in page


def test_a_wrong_code_confirms_nothing(client, post_form):
    post_form(
        "/malang/pengaduan/lapor/nomor",
        {"name": "Budi", "phone": "0812 5555 0101", "next": "/malang/pengaduan/lapor"},
    )
    good = texted_codes(client, PHONE_E164)[0]
    wrong = "000000" if good != "000000" else "111111"
    answer = post_form(
        "/malang/pengaduan/lapor/kode", {"code": wrong, "next": "/malang/pengaduan/lapor"}
    )
    assert answer.status_code == 400
    assert post_form(REPORT, GOOD).status_code == 403


def test_a_signed_in_verified_citizen_reports_directly(client, login_as, post_form, city_run):
    user = login_as()
    assert "<form" in client.get(REPORT, params={"kategori": "lampu"}).text
    assert post_form(REPORT, GOOD).status_code == 303
    assert rows(city_run)[0]["reporter_id"] == user["id"]


def test_emergency_reports_are_urgent(client, login_as, post_form, city_run):
    login_as()
    page = client.get(REPORT, params={"kategori": "kebakaran"}).text
    assert page.index('href="tel:112"') < page.index('<form method="post"')
    answer = post_form(REPORT, {**GOOD, "category": "kebakaran"})
    assert answer.status_code == 303
    (row,) = rows(city_run)
    assert row["urgent"] and row["department"] == "damkar"


def test_bad_input_is_refused_and_nothing_written(client, login_as, post_form, city_run):
    login_as()
    cases = [
        ({**GOOD, "category": "nope"}, None),
        ({**GOOD, "address": "", "kelurahan": ""}, None),
        ({**GOOD, "description": "pendek"}, None),
        ({**GOOD, "latitude": "-7.97"}, None),
        ({**GOOD, "latitude": "1e9", "longitude": "112.6"}, None),
        (GOOD, {"photo": ("x.jpg", b"not an image at all", "image/jpeg")}),
        (GOOD, {"photo": ("x.pdf", b"%PDF-1.4\n%%EOF", "application/pdf")}),
        (GOOD, {"photo": ("big.jpg", b"\xff\xd8\xff" + b"0" * (11 * 1024 * 1024), "image/jpeg")}),
    ]
    for data, files in cases:
        answer = post_form(REPORT, data, files=files)
        assert 400 <= answer.status_code < 500, (data, answer.status_code)
    assert rows(city_run) == []


def test_nearby_open_report_is_offered_before_a_duplicate(client, login_as, post_form, city_run):
    login_as()
    point = {**GOOD, "latitude": "-7.9700", "longitude": "112.6300"}
    assert post_form(REPORT, point).status_code == 303
    near = {**point, "latitude": "-7.9705", "description": "Lampu mati lagi di ujung gang ini."}
    offered = post_form(REPORT, near)
    assert offered.status_code == 200
    assert "Follow it instead" in offered.text or "Ikuti laporan itu" in offered.text
    assert len(rows(city_run)) == 1
    far = {**near, "latitude": "-7.9900"}
    assert post_form(REPORT, far).status_code == 303
    assert post_form(REPORT, {**near, "baru": "1"}).status_code == 303
    assert len(rows(city_run)) == 3


def test_following_instead_of_reporting(client, login_as, post_form, city_run):
    login_as()
    assert post_form(REPORT, GOOD).status_code == 303
    number = rows(city_run)[0]["number"]
    client.get("/malang/keluar")
    confirm_phone(client, post_form)
    followed = post_form(f"/malang/pengaduan/laporan/{number}/ikuti", {})
    assert followed.status_code == 303
    assert len(rows(city_run)) == 1
