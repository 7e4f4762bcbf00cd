"""Reading an uploaded spreadsheet: CSV or XLSX, checked by content, into text rows.

What the bytes are decides, never the file name or the declared type:

* a ZIP holding ``xl/workbook.xml`` is an XLSX workbook, read with openpyxl
  (read-only, cached values rather than formulas, the first sheet);
* an old binary Excel file (``.xls``) is refused with a hint to save it again;
* other binary content, or markup, is refused;
* anything else is CSV text: UTF-8 with or without a byte-order mark, else
  Windows-1252 (older Excel "CSV" exports). The delimiter is the one of
  ``,``, ``;`` and tab under which the header row matches most of the
  importer's columns (Indonesian Excel writes ``;``), or the one a first
  line ``sep=;`` names.

The first non-blank row is the header. Every cell becomes trimmed text.
Numbers from a workbook come back as a person typed them: ``1.0`` is ``1``,
``2.50`` is ``2.5``, at most 15 significant digits (what Excel keeps), never
in exponent form; dates are ``YYYY-MM-DD`` (``YYYY-MM-DD HH:MM`` with a time),
booleans ``TRUE``/``FALSE``. Excel keeps only 15 significant digits of a
number, so a long identifier typed as a number (a NOP has 18 digits, a NIK 16)
has already lost its last digits inside the workbook; such a cell (a whole
number of 16 digits or more, or text like ``3.5730E+16`` in a CSV) is reported
as an error on its row, asking for the column to be formatted as Text.
Blank rows are skipped; line numbers are the spreadsheet's own row numbers.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from balai.i18n import gettext as _
from balai.imports.types import ImportColumn, header_key

MAX_COLUMNS = 200
MAX_UNZIPPED = 100 * 1024 * 1024
BLANK_RUN_LIMIT = 1000
LONG_NUMBER = 10**15
_DELIMITERS = (",", ";", "\t")
_MARKUP = re.compile(rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|\?xml)\b", re.I)
_SHORTENED = re.compile(r"^-?\d(?:[.,]\d+)?E\+?\d+$", re.I)
_SEP_HINT = re.compile(r"^sep=([,;\t|])$", re.I)
_BINARY = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")


class SheetRejected(Exception):
    """The upload cannot be imported at all; ``message`` says why (translated)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


@dataclass
class SheetRow:
    """One data row: its line, its cells under the header, problems found while reading."""

    line: int
    cells: list[str]
    problems: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ParsedSheet:
    """An upload that fits the importer: header, column positions and rows."""

    kind: str
    delimiter: str
    header: list[str]
    positions: dict[str, int]
    unknown: list[str]
    rows: list[SheetRow]

    def values(self, row: SheetRow, columns: Sequence[ImportColumn]) -> dict[str, str]:
        """The row as the handler sees it: every column name -> trimmed text."""
        return values_of(row.cells, self.positions, columns)


def values_of(
    cells: Sequence[str], positions: dict[str, int], columns: Sequence[ImportColumn]
) -> dict[str, str]:
    """Column name -> the cell under that column (``""`` when absent)."""
    out: dict[str, str] = {}
    for column in columns:
        index = positions.get(column.name)
        out[column.name] = cells[index] if index is not None and index < len(cells) else ""
    return out


def parse_upload(
    data: bytes, columns: Sequence[ImportColumn], *, max_rows: int, max_bytes: int
) -> ParsedSheet:
    """Check and read an upload for an importer with ``columns``.

    Raises:
        SheetRejected: empty, too large, not CSV or XLSX, no header, missing
            required columns, a column twice, or more than ``max_rows`` rows.
    """
    if not data.strip():
        raise SheetRejected(_("The file is empty."), "empty")
    if len(data) > max_bytes:
        raise SheetRejected(
            _("The file is larger than %(size)s.", size=size_text(max_bytes)), "too_large"
        )
    head = data[:4096]
    if head.startswith(b"PK\x03\x04"):
        kind, delimiter, lines = "xlsx", "", _xlsx_lines(data)
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        raise SheetRejected(
            _("This is an old Excel file (.xls). Save it as .xlsx or CSV and upload it again."),
            "xls",
        )
    elif b"\x00" in head or head.startswith(_BINARY) or _MARKUP.search(head):
        raise SheetRejected(_("This is not a CSV or XLSX spreadsheet."), "not_spreadsheet")
    else:
        text = _decode(data)
        delimiter = _sniff_delimiter(text, columns)
        kind, lines = "csv", _csv_lines(text, delimiter)
    return _read(kind, delimiter, lines, columns, max_rows)


def size_text(size: int) -> str:
    """A byte count the way the pages state limits: ``5 MB``, ``1,5 MB``, ``64 KB``."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g}".replace(".", ",") + " MB"
    return f"{max(1, size // 1024)} KB"


# --- CSV ---------------------------------------------------------------------


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _first_line(text: str) -> str:
    for line in io.StringIO(text):
        if line.strip(" \t,;\r\n"):
            return line.rstrip("\r\n")
    return ""


def _sniff_delimiter(text: str, columns: Sequence[ImportColumn]) -> str:
    """The delimiter under which the header matches most columns (then: most cells).

    A first line ``sep=;`` (Excel's hint) names the delimiter outright.
    """
    first = _first_line(text)
    hint = _SEP_HINT.match(first)
    if hint:
        return hint.group(1)
    known = {header_key(c.name) for c in columns}
    best, best_score = ",", (-1, -1)
    for delimiter in _DELIMITERS:
        try:
            cells = next(csv.reader([first], delimiter=delimiter), [])
        except csv.Error:
            continue
        score = (sum(1 for c in cells if header_key(c) in known), len(cells))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_lines(text: str, delimiter: str) -> Iterator[tuple[int, list[Any]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    skip_hint = bool(_SEP_HINT.match(_first_line(text)))
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise SheetRejected(
                _("Line %(line)s of the file cannot be read as CSV.", line=start), "bad_csv"
            ) from exc
        if skip_hint and cells and _SEP_HINT.match(delimiter.join(cells).strip()):
            skip_hint = False
            continue
        yield start, cells


# --- XLSX --------------------------------------------------------------------


def _xlsx_lines(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    unreadable = SheetRejected(
        _("The file could not be read as an Excel workbook (.xlsx)."), "bad_xlsx"
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unzipped = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise unreadable from exc
    if "xl/workbook.xml" not in names:
        raise SheetRejected(_("This is not a CSV or XLSX spreadsheet."), "not_spreadsheet")
    if unzipped > MAX_UNZIPPED:
        raise SheetRejected(_("The workbook is too large once unpacked."), "too_large")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise unreadable from exc
    try:
        sheet = workbook.worksheets[0]
        for line, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), 1):
            yield line, list(cells)
    except SheetRejected:
        raise
    except Exception as exc:
        raise unreadable from exc
    finally:
        workbook.close()


def cell_text(value: Any) -> str:
    """A workbook cell as the text a person typed (see the module's rules)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    return str(value).strip()


def number_text(value: float) -> str:
    """A float in plain notation with at most 15 significant digits: ``1.0`` -> ``1``."""
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if value.is_integer():
        return str(int(value))
    text = format(Decimal(format(value, ".15g")), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _is_shortened(raw: Any, text: str) -> bool:
    """Whether a cell holds a long number Excel already rounded (see the module's rules)."""
    if isinstance(raw, float):
        return raw.is_integer() and abs(raw) >= LONG_NUMBER
    return isinstance(raw, str) and bool(_SHORTENED.match(text))


# --- both ----------------------------------------------------------------------


def _is_blank(cells: Iterable[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _read(
    kind: str,
    delimiter: str,
    lines: Iterator[tuple[int, list[Any]]],
    columns: Sequence[ImportColumn],
    max_rows: int,
) -> ParsedSheet:
    header: list[str] | None = None
    rows: list[SheetRow] = []
    positions: dict[str, int] = {}
    unknown: list[str] = []
    by_key = {header_key(c.name): c for c in columns}
    blank_run = 0
    for line, raw in lines:
        if _is_blank(raw):
            blank_run += 1
            if kind == "xlsx" and blank_run >= BLANK_RUN_LIMIT:
                break  # formatting far below the data: the table has ended
            continue
        blank_run = 0
        if header is None:
            header = [cell_text(c) for c in raw[:MAX_COLUMNS]]
            positions, unknown = _match_header(header, by_key)
            continue
        if len(rows) >= max_rows:
            raise SheetRejected(
                _(
                    "The file has more than %(max)s rows. Split it into smaller files.",
                    max=f"{max_rows:,}".replace(",", "."),
                ),
                "too_many_rows",
            )
        rows.append(_row(line, raw, header, positions))
    if header is None:
        raise SheetRejected(_("The file is empty."), "empty")
    if not rows:
        raise SheetRejected(_("The file has a header row but no data rows."), "no_rows")
    return ParsedSheet(kind, delimiter, header, positions, unknown, rows)


def _match_header(
    header: list[str], by_key: dict[str, ImportColumn]
) -> tuple[dict[str, int], list[str]]:
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for index, text in enumerate(header):
        if not text:
            continue
        column = by_key.get(header_key(text))
        if column is None:
            unknown.append(text)
        elif column.name in positions:
            raise SheetRejected(
                _("The column %(name)s appears twice in the header.", name=column.name),
                "duplicate_column",
            )
        else:
            positions[column.name] = index
    missing = [c.name for c in by_key.values() if c.required and c.name not in positions]
    if missing:
        raise SheetRejected(
            _(
                "The file lacks required columns: %(names)s. The first row must name the columns.",
                names=", ".join(missing),
            ),
            "missing_columns",
        )
    if not positions:
        raise SheetRejected(
            _("None of the expected columns is in the first row. Use the template."),
            "no_columns",
        )
    return positions, unknown


def _row(line: int, raw: list[Any], header: list[str], positions: dict[str, int]) -> SheetRow:
    texts = [cell_text(c) for c in raw]
    row = SheetRow(line, texts[: len(header)] + [""] * (len(header) - len(texts)))
    if any(t for t in texts[len(header) :]):
        row.problems.append(("", _("This row has more cells than the header has columns.")))
    for name, index in positions.items():
        if index < len(raw) and _is_shortened(raw[index], row.cells[index]):
            row.problems.append(
                (
                    name,
                    _(
                        "Excel shortened this long number (%(value)s). Format the column "
                        "as Text, type the number again and upload the file again.",
                        value=row.cells[index],
                    ),
                )
            )
    return row
