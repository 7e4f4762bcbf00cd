"""The CSV files people download: an importer's template and a run's error report.

Both are UTF-8 with a byte-order mark (so that Excel reads the text as
UTF-8) and use ``;`` as delimiter, which Excel in an Indonesian locale
splits into columns (an error report of a CSV upload keeps that file's
delimiter). The importer accepts either back.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from balai.i18n import gettext as _
from balai.imports.service import REPORT_DELIMITER
from balai.imports.types import Importer

BOM = "\ufeff"
_UNSAFE = re.compile(r"[^\w .()\-]+", re.UNICODE)


def _csv(rows: Sequence[Sequence[str]], delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows(rows)
    return (BOM + out.getvalue()).encode("utf-8")


def template_csv(importer: Importer) -> bytes:
    """The header row of the importer's columns, ready to be filled in."""
    return _csv([[c.name for c in importer.columns]], REPORT_DELIMITER)


def defuse(text: str) -> str:
    """A message cell that a spreadsheet cannot take for a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def error_report_csv(run: dict[str, Any], header: list[str], failed: list[dict[str, Any]]) -> bytes:
    """The failed rows as uploaded (same columns), plus their line and the reasons.

    The original cells are kept verbatim, so the file can be corrected and
    uploaded again (the two added columns are then reported as unknown and
    ignored).
    """
    rows: list[list[str]] = [[*header, _("Line"), _("Problems")]]
    for item in failed:
        cells = list(item["cells"]) + [""] * (len(header) - len(item["cells"]))
        reasons = "; ".join(f"{col}: {msg}" if col else msg for col, msg in item["errors"])
        rows.append([*cells[: len(header)], str(item["line"]), defuse(reasons)])
    return _csv(rows, run["delimiter"] or REPORT_DELIMITER)


def upload_name(raw: str | None) -> str:
    """A harmless display name for the uploaded file (no folders, no control characters)."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name).strip(" ._")
    return name[:120] or "berkas"
