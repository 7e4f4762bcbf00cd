"""Importing the tax object roll through the core's spreadsheet imports: rows, errors, upserts."""

from __future__ import annotations

import io
import re

import pytest
from balai.testing import run_queued_jobs, write_config
from balai_pajak.pbb.roll_import import check_row
from balai_pajak.tables import TaxObject, Taxpayer
from openpyxl import Workbook
from pbb_data import city_with, demo_pbb

URL = "/malang/impor/pajak.objects/"
HEADER = (
    "nop;alamat;kecamatan;kelurahan;luas_bumi;luas_bangunan;kelas_bumi;kelas_bangunan;"
    "njop_bumi_per_m2;njop_bangunan_per_m2;nama_wp;nik_wp;alamat_wp;aktif\n"
)
GOOD_1 = (
    "35.73.030.002.001-0005.0;Jl. Basuki Rahmat No. 7;Klojen;Kauman;310;420;A12;B3;"
    "4.500.000;2500000;Budi Santoso;3573010101800001;Jl. Ijen 30;ya\n"
)
GOOD_2 = (
    "357303000700300020;Jl. Ijen No. 30;Klojen;Oro-oro Dowo;600;0;;;3000000;;"
    "Budi Santoso;3573010101800001;;\n"
)
BAD_NOP = "35.73.030;Jl. A;Klojen;Kauman;10;0;;;1000;;Sri;;;\n"
BAD_MANY = "357303000700300030;Jl. B;Klojen;Kauman;sepuluh;5;A/B/C;;1000;;Sri;123;;mungkin\n"
FOREIGN = "337413000100200030;Jl. Pemuda;Semarang Tengah;Sekayu;10;0;;;1000;;Ani;;;\n"


@pytest.fixture
def balai_config(tmp_path, balai_cities):
    return write_config(
        tmp_path / "instance",
        balai_cities,
        city_options={
            "malang": {
                "region_code": "35.73",
                "settings": {"pajak": {"pbb": demo_pbb("malang")}},
            }
        },
    )


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


def objects(city_run, city="malang"):
    return city_run(city, lambda: TaxObject.select().order_by(TaxObject.nop))


def test_the_import_page_is_for_tax_officers(client, login_as):
    response = client.get(URL, follow_redirects=False)
    assert response.status_code in (302, 303)
    login_as()
    assert client.get(URL).status_code == 403


def test_roll_rows_are_imported_and_bad_ones_reported(client, login_as, city_run, balai_app):
    login_as("pajak.officer")
    page = client.get(URL)
    assert page.status_code == 200 and "njop_bumi_per_m2" in page.text
    data = (HEADER + GOOD_1 + BAD_NOP + GOOD_2 + BAD_MANY + FOREIGN).encode()
    response = upload(client, "roll.csv", data)
    assert response.status_code == 303
    run_url = response.headers["location"]
    run_queued_jobs(balai_app)

    rows = objects(city_run)
    assert [r["nop"] for r in rows] == ["357303000200100050", "357303000700300020"]
    first = rows[0]
    assert (first["land_area"], first["building_area"], first["land_njop_per_m2"]) == (
        310,
        420,
        4_500_000,
    )
    assert (first["land_class"], first["building_class"], first["is_active"]) == ("A12", "B3", True)
    assert rows[0]["taxpayer"] == rows[1]["taxpayer"]  # the same NIK, one taxpayer
    assert city_run("malang", Taxpayer.count) == 1

    report = client.get(run_url)
    assert "NOP terdiri atas tepat 18 angka" in report.text
    assert "NOP ini milik wilayah 33.74, bukan Kota Malang (35.73)." in report.text
    assert "Masukkan bilangan bulat dari 0 sampai" in report.text
    assert "Tulis ya atau tidak." in report.text
    errors_csv = client.get(run_url + "/kesalahan.csv").content.decode("utf-8")
    assert "luas_bumi" in errors_csv and "357303000700300030" in errors_csv
    assert city_run("semarang", TaxObject.count) == 0


def test_uploading_the_same_roll_again_changes_nothing_and_updates_what_changed(
    client, login_as, city_run, balai_app
):
    login_as("pajak.officer")
    upload(client, "roll.csv", (HEADER + GOOD_1 + GOOD_2).encode())
    run_queued_jobs(balai_app)
    before = objects(city_run)
    upload(client, "roll.csv", (HEADER + GOOD_1 + GOOD_2).encode())
    run_queued_jobs(balai_app)
    assert objects(city_run) == before
    changed = GOOD_2.replace(";600;", ";650;").replace(";;\n", ";;tidak\n")
    upload(client, "roll.csv", (HEADER + changed).encode())
    run_queued_jobs(balai_app)
    after = {r["nop"]: r for r in objects(city_run)}
    assert len(after) == 2
    assert after["357303000700300020"]["land_area"] == 650
    assert after["357303000700300020"]["is_active"] is False
    assert after["357303000700300020"]["id"] == before[1]["id"]


def test_an_xlsx_roll_is_read_too(client, login_as, city_run, balai_app):
    book = Workbook()
    book.active.append(HEADER.strip().split(";"))
    book.active.append(
        [
            "357301000100100010",
            "Jl. Ki Ageng Gribig 45",
            "Kedungkandang",
            "Kotalama",
            180,
            96,
            "A20",
            "B5",
            1500000,
            2000000,
            "Siti Aminah",
            "",
            "",
            "ya",
        ]
    )
    out = io.BytesIO()
    book.save(out)
    login_as("pajak.officer")
    assert upload(client, "roll.xlsx", out.getvalue()).status_code == 303
    run_queued_jobs(balai_app)
    (row,) = objects(city_run)
    assert (row["nop"], row["land_area"], row["village"]) == ("357301000100100010", 180, "Kotalama")


# --- the row check on its own ---------------------------------------------------------------

MALANG = city_with(demo_pbb("malang"))


def row_of(line: str) -> dict[str, str]:
    return dict(zip(HEADER.strip().split(";"), line.rstrip("\n").split(";"), strict=True))


def test_check_row_gives_every_problem_of_a_row_at_once():
    roll, errors = check_row(row_of(BAD_MANY), MALANG)
    assert roll is None
    assert set(errors) == {"luas_bumi", "kelas_bumi", "nik_wp", "aktif", "njop_bangunan_per_m2"}


def test_check_row_needs_the_building_njop_when_there_is_a_building():
    line = GOOD_1.replace(";2500000;", ";;")
    roll, errors = check_row(row_of(line), MALANG)
    assert roll is None and set(errors) == {"njop_bangunan_per_m2"}


def test_check_row_reads_thousand_dots_and_defaults():
    roll, errors = check_row(row_of(GOOD_2), MALANG)
    assert errors == {}
    assert (roll.building_area, roll.building_njop_per_m2, roll.is_active) == (0, 0, True)
    roll, _ = check_row(row_of(GOOD_1), MALANG)
    assert roll.land_njop_per_m2 == 4_500_000
