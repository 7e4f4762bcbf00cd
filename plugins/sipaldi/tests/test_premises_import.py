"""Officers import the existing premises registry (CSV, XLSX) through the core's importer."""

from __future__ import annotations

import io
import re
from datetime import date

from balai.testing import run_queued_jobs
from openpyxl import Workbook
from sipaldi_setup import premises_rows

URL = "/malang/impor/sipaldi.premises/"
HEADER = (
    "alamat;kelurahan;nop;jenis_tangki;volume_m3;tahun_dibangun;panjang_selang_m;terakhir_disedot\n"
)
GOOD_1 = "Jl. Semeru No. 9;Kauman;35.73.030.002.001-0005.0;kedap;2,5;2012;15;2023-05-17\n"
GOOD_2 = "Jl. Ijen No. 30;Oro-oro Dowo;;biofilter;1,5;;8;\n"
BAD_VOLUME = "Jl. Kawi No. 1;Kauman;;kedap;-2;;10;\n"
FOREIGN = "Jl. Pemuda No. 1;Sekayu;33.74.130.001.002-0003.0;kedap;2;;10;\n"


def csrf_of(client, url):
    found = re.search(r'name="_csrf_token"\s+value="([^"]+)"', client.get(url).text)
    assert found
    return found.group(1)


def upload(client, name: str, data: bytes):
    return client.post(
        URL,
        data={"_csrf_token": csrf_of(client, URL)},
        files={"file": (name, data, "application/octet-stream")},
        follow_redirects=False,
    )


def test_the_import_is_for_wastewater_officers(client, login_as):
    assert client.get(URL, follow_redirects=False).status_code in (302, 303)
    login_as()
    assert client.get(URL).status_code == 403


def test_rows_are_imported_and_bad_ones_reported(client, login_as, city_run, balai_app):
    login_as("sipaldi.officer")
    assert "volume_m3" in client.get(URL).text
    response = upload(
        client, "daftar.csv", (HEADER + GOOD_1 + BAD_VOLUME + GOOD_2 + FOREIGN).encode()
    )
    assert response.status_code == 303
    run_url = response.headers["location"]
    run_queued_jobs(balai_app)
    rows = city_run("malang", premises_rows())
    assert [(r["address"], r["kecamatan"], r["tank_litres"]) for r in rows] == [
        ("Jl. Semeru No. 9", "Klojen", 2500),
        ("Jl. Ijen No. 30", "Klojen", 1500),
    ]
    assert rows[0]["next_due"] == date(2026, 5, 17) and rows[0]["owner_id"] is None
    assert rows[1]["tank_type"] == "biofilter"
    report = client.get(run_url).text
    assert "Masukkan volume dalam m³" in report
    assert "Pilih salah satu" in report  # Sekayu is not a kelurahan of Malang
    assert "35.73" in report  # a NOP of another region


def test_a_row_with_a_known_nop_updates_its_premises(client, login_as, city_run, balai_app):
    login_as("sipaldi.officer")
    upload(client, "daftar.csv", (HEADER + GOOD_1).encode())
    run_queued_jobs(balai_app)
    changed = GOOD_1.replace(";2,5;", ";3;").replace("2023-05-17", "2025-01-02")
    upload(client, "daftar.csv", (HEADER + changed).encode())
    run_queued_jobs(balai_app)
    [row] = city_run("malang", premises_rows())
    assert row["tank_litres"] == 3000
    assert row["next_due"] == date(2028, 1, 2)


def test_an_excel_file_is_imported(client, login_as, city_run, balai_app):
    login_as("sipaldi.officer")
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(";"))
    sheet.append(GOOD_2.strip().split(";"))
    data = io.BytesIO()
    book.save(data)
    assert upload(client, "daftar.xlsx", data.getvalue()).status_code == 303
    run_queued_jobs(balai_app)
    assert [r["address"] for r in city_run("malang", premises_rows())] == ["Jl. Ijen No. 30"]
