"""What a plugin declares through the ``spreadsheet_importers`` hook."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

_KEY = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9_]+$")
DEFAULT_MAX_ROWS = 10_000
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
HARD_MAX_ROWS = 100_000


def header_key(name: str) -> str:
    """How a header cell is compared: case, spaces, ``_`` and ``-`` do not count.

    ``"Nama Produk"``, ``"nama_produk"`` and ``" NAMA-PRODUK "`` all match.
    """
    return re.sub(r"[\s_\-]+", "", name).casefold()


@dataclass(frozen=True)
class ImportColumn:
    """One column of an importer's spreadsheet.

    Attributes:
        name: The header people write (``nop``, ``nama_produk``); the key of
            the row dict the handler gets. Matched case- and space-insensitively.
        description: What goes in it (a gettext msgid), shown on the upload page.
        required: A row with this cell empty is reported without calling the
            handler, and a file without this column is refused at once.
        example: A sample value for the page and the downloadable template.
    """

    name: str
    description: str = ""
    required: bool = False
    example: str = ""

    def __post_init__(self) -> None:
        if not header_key(self.name):
            raise ValueError(f"import column name {self.name!r} is empty")


@dataclass(frozen=True)
class ImportContext:
    """What the row handler gets besides the row.

    Attributes:
        run_id: The import run (``/impor/<key>/<run_id>``).
        line: The row's line in the file (the header is line 1).
        user_id: Who uploaded the file.
        data: The context the importer's ``access`` callback returned for the
            uploader (e.g. ``{"merchant_id": 7}``); empty without a callback.
    """

    run_id: int
    line: int
    user_id: int | None
    data: Mapping[str, Any] = field(default_factory=dict)


class RowError(Exception):
    """Raised by a row handler: this row is not applied, for these reasons.

    Give one message for the whole row, one for a column, or several::

        raise tk.RowError(tk._("Unknown district."), column="kecamatan")
        raise tk.RowError(errors={"harga": tk._("Not a number."),
                                  "stok": tk._("Must be 0 or more.")})

    Messages are shown as they are: translate them with ``tk._`` (the job
    runs in the uploader's language). Anything the handler wrote for the row
    is rolled back.
    """

    def __init__(
        self,
        message: str | None = None,
        *,
        column: str = "",
        errors: Mapping[str, str] | None = None,
    ) -> None:
        problems: list[tuple[str, str]] = []
        if message:
            problems.append((column, str(message)))
        for col, text in (errors or {}).items():
            problems.append((col, str(text)))
        if not problems:
            raise ValueError("RowError needs a message or errors")
        super().__init__("; ".join(text for _, text in problems))
        self.problems: list[tuple[str, str]] = problems


RowHandler = Callable[[dict[str, str], ImportContext], Awaitable[None]]
AccessCallback = Callable[[Any, Any], Any]


@dataclass(frozen=True)
class Importer:
    """A spreadsheet import a plugin offers.

    Attributes:
        key: ``<slug>.<what>`` (``pajak.objects``); also the URL segment
            ``/impor/<key>/``. Keep it stable: past runs are filed under it.
        title: A gettext msgid (``"Tax objects"``).
        columns: The spreadsheet's columns, in template order.
        handle_row: ``async def handle_row(row, context)``: apply one row.
            ``row`` maps every column name to its cell as trimmed text (``""``
            when empty or absent); ``context`` is an :class:`ImportContext`.
            Runs inside ``city_scope`` and inside a savepoint: return to
            apply the row, raise :class:`RowError` to reject it (its writes
            are rolled back). Any other exception rejects the row with a
            generic message and is logged.
        permission: Who may import: holders of this permission (officers).
        access: ``async def access(request, user) -> dict | None``: for an
            import by its owner (a merchant's own products), or to narrow an
            officer import. Return the context (JSON-serialisable: ids, not
            personal data) to allow, ``None`` to refuse with 403. Runs, and
            past runs, are visible only to requests for which it returns the
            same context. At least one of ``permission`` and ``access``.
        description: A paragraph for the upload page (a gettext msgid).
        batch_size: Rows per transaction; progress is recorded after each.
        max_rows: More data rows than this and the upload is refused.
        max_bytes: A larger file is refused (the instance's request body
            limit applies too).
        back_url: A path inside the city for the page's "back" link
            (``"/pasar/toko/"``); default the city home.
    """

    key: str
    title: str
    columns: Sequence[ImportColumn]
    handle_row: RowHandler
    permission: str | None = None
    access: AccessCallback | None = None
    description: str = ""
    batch_size: int = 100
    max_rows: int = DEFAULT_MAX_ROWS
    max_bytes: int = DEFAULT_MAX_BYTES
    back_url: str = "/"

    def __post_init__(self) -> None:
        if not _KEY.match(self.key):
            raise ValueError(f"importer key {self.key!r} must look like 'slug.what'")
        if self.permission is None and self.access is None:
            raise ValueError(
                f"importer {self.key!r}: give a permission, an access callback or both"
            )
        if not self.columns:
            raise ValueError(f"importer {self.key!r} has no columns")
        keys = [header_key(c.name) for c in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"importer {self.key!r}: two columns have the same name")
        if not 1 <= self.batch_size <= 1000:
            raise ValueError(f"importer {self.key!r}: batch_size must be 1 to 1000")
        if not 1 <= self.max_rows <= HARD_MAX_ROWS:
            raise ValueError(f"importer {self.key!r}: max_rows must be 1 to {HARD_MAX_ROWS}")
        if self.max_bytes < 1:
            raise ValueError(f"importer {self.key!r}: max_bytes must be positive")

    @property
    def owner(self) -> str:
        """The slug of the declaring plugin (the part before the dot)."""
        return self.key.split(".", 1)[0]

    @property
    def required_columns(self) -> list[ImportColumn]:
        """The columns a file must have."""
        return [c for c in self.columns if c.required]


def import_url(key: str, run_id: int | None = None) -> str:
    """The path (inside the city) of an importer's upload page, or of one run.

    ``import_url("pajak.objects")`` is ``/impor/pajak.objects/``; pass it to
    ``toolkit.city_url(request, ...)``, a template's ``url(...)`` or a
    ``NavItem`` href.
    """
    if not _KEY.match(key):
        raise ValueError(f"importer key {key!r} must look like 'slug.what'")
    base = f"/impor/{key}/"
    return base if run_id is None else f"{base}{int(run_id)}"
