"""Reading uploaded spreadsheets: CSV dialects, XLSX cells, refusals (``balai.imports.parsing``)."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from balai import toolkit as tk
from balai.imports.parsing import SheetRejected, cell_text, number_text, parse_upload
from balai.imports.types import header_key
from openpyxl import Workbook

COLUMNS = (
    tk.ImportColumn("nop", "Tax object number", required=True),
    tk.ImportColumn("nama_wp", "Taxpayer", required=True),
    tk.ImportColumn("luas", "Land area"),
)
LIMITS = {"max_rows": 100, "max_bytes": 1024 * 1024}


def parse(data: bytes, **limits: int):
    return parse_upload(data, COLUMNS, **{**LIMITS, **limits})


def rejected(data: bytes, **limits: int) -> SheetRejected:
    with pytest.raises(SheetRejected) as caught:
        parse(data, **limits)
    return caught.value


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_comma_csv_gives_trimmed_text_rows_with_spreadsheet_line_numbers() -> None:
    sheet = parse(b"nop,nama_wp,luas\n 3573 , Budi ,120\n\n3574,Sari,\n")
    assert sheet.kind == "csv" and sheet.delimiter == ","
    assert [(r.line, sheet.values(r, COLUMNS)) for r in sheet.rows] == [
        (2, {"nop": "3573", "nama_wp": "Budi", "luas": "120"}),
        (4, {"nop": "3574", "nama_wp": "Sari", "luas": ""}),
    ]


def test_semicolon_csv_with_bom_and_decimal_commas_as_indonesian_excel_writes_it() -> None:
    data = "\ufeffNOP;Nama WP;Luas\r\n3573;Budi Santoso;120,5\r\n".encode()
    sheet = parse(data)
    assert sheet.delimiter == ";"
    assert sheet.values(sheet.rows[0], COLUMNS) == {
        "nop": "3573",
        "nama_wp": "Budi Santoso",
        "luas": "120,5",
    }


def test_an_excel_sep_hint_line_names_the_delimiter_and_is_skipped() -> None:
    sheet = parse(b"sep=|\nnop|nama_wp\n3573|Budi, S.E.\n")
    assert sheet.delimiter == "|"
    assert [(r.line, sheet.values(r, COLUMNS)["nama_wp"]) for r in sheet.rows] == [
        (3, "Budi, S.E.")
    ]


def test_windows_1252_csv_is_read_and_quoted_fields_keep_their_delimiters() -> None:
    data = 'nop,nama_wp\n3573,"Caf\xe9, Jaya"\n'.encode("cp1252")
    sheet = parse(data)
    assert sheet.values(sheet.rows[0], COLUMNS)["nama_wp"] == "Café, Jaya"


def test_headers_match_ignoring_case_spaces_underscores_and_unknown_ones_are_listed() -> None:
    sheet = parse(b"Nama-WP;  NOP ;Catatan\nBudi;3573;x\n")
    assert sheet.positions == {"nama_wp": 0, "nop": 1}
    assert sheet.unknown == ["Catatan"]
    assert header_key(" Nama WP ") == header_key("nama_wp")


def test_missing_required_columns_are_named() -> None:
    refused = rejected(b"nop,luas\n1,2\n")
    assert refused.reason == "missing_columns"
    assert "nama_wp" in refused.message and "nop" not in refused.message.split(":")[1]


def test_a_column_twice_is_refused() -> None:
    assert rejected(b"nop,nama_wp,NOP\n1,2,3\n").reason == "duplicate_column"


@pytest.mark.parametrize("data", [b"", b"  \n\n", b"\xef\xbb\xbf"])
def test_empty_files_are_refused(data: bytes) -> None:
    assert rejected(data).reason == "empty"


def test_a_header_without_rows_is_refused() -> None:
    assert rejected(b"nop,nama_wp\n\n").reason == "no_rows"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.7\n1 0 obj\n", "not_spreadsheet"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not_spreadsheet"),
        (b"<!doctype html><html><body>nop,nama_wp</body></html>", "not_spreadsheet"),
        (b"nop,nama_wp\n1,\x00\x00\n", "not_spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "xls"),
        (b"PK\x03\x04garbage that is no zip", "bad_xlsx"),
    ],
)
def test_content_that_is_no_spreadsheet_is_refused_whatever_its_name(
    data: bytes, reason: str
) -> None:
    assert rejected(data).reason == reason


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("nop.csv", "nop,nama_wp\n1,2\n")
    assert rejected(out.getvalue()).reason == "not_spreadsheet"


def test_size_and_row_limits_are_enforced_with_the_limit_in_the_message() -> None:
    body = b"nop,nama_wp\n" + b"1,Budi\n" * 4
    assert rejected(body, max_bytes=20).reason == "too_large"
    refused = rejected(body, max_rows=3)
    assert refused.reason == "too_many_rows" and "3" in refused.message
    assert len(parse(body, max_rows=4).rows) == 4


def test_extra_cells_beyond_the_header_are_a_row_problem() -> None:
    sheet = parse(b"nop,nama_wp\n1,Budi,extra\n2,Sari\n")
    assert [r.problems != [] for r in sheet.rows] == [True, False]


def test_xlsx_cells_come_back_as_typed() -> None:
    sheet = parse(
        xlsx(
            [
                ["NOP", "Nama WP", "Luas"],
                ["357301000100100010", "Budi", 1.0],
                [3573, "Sari", 2.5],
                [None, None, None],
                [12, date(2024, 1, 2), 0.1 + 0.2],
            ]
        )
    )
    assert sheet.kind == "xlsx"
    assert [(r.line, sheet.values(r, COLUMNS)) for r in sheet.rows] == [
        (2, {"nop": "357301000100100010", "nama_wp": "Budi", "luas": "1"}),
        (3, {"nop": "3573", "nama_wp": "Sari", "luas": "2.5"}),
        (5, {"nop": "12", "nama_wp": "2024-01-02", "luas": "0.3"}),
    ]
    assert all(r.problems == [] for r in sheet.rows)


def test_long_numbers_excel_already_rounded_are_reported_on_their_row() -> None:
    sheet = parse(xlsx([["nop", "nama_wp"], [35730100010010001, "Budi"], [3573, "Sari"]]))
    first, second = sheet.rows
    assert [c for c, _ in first.problems] == ["nop"] and second.problems == []
    assert sheet.values(first, COLUMNS)["nop"] == "35730100010010000"
    csv_sheet = parse(b"nop;nama_wp\n3,57301E+16;Budi\n")
    assert [c for c, _ in csv_sheet.rows[0].problems] == ["nop"]


def test_number_and_cell_text_rules() -> None:
    assert number_text(1.0) == "1"
    assert number_text(2.50) == "2.5"
    assert number_text(1e20) == "100000000000000000000"
    assert number_text(1.5e-7) == "0.00000015"
    assert cell_text(True) == "TRUE"
    assert cell_text(datetime(2024, 1, 2, 3, 4)) == "2024-01-02 03:04"
    assert cell_text("  teks ") == "teks"
