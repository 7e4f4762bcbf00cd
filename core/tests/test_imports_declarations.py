"""What a plugin may declare through ``spreadsheet_importers``, and what stops start-up."""

from __future__ import annotations

from typing import Any

import pytest
from balai import toolkit as tk
from balai.config import Config
from balai.web.app import StartupError, create_app
from test_platform_uji_plugin import uji_registry

COLUMNS = [tk.ImportColumn("nama", "Name", required=True)]


async def handle(row: dict[str, str], context: tk.ImportContext) -> None:
    """A row handler that accepts everything."""


class Declares:
    """A plugin ``rusak`` declaring whatever importers a test gives it."""

    def __init__(self, make: Any) -> None:
        self.make = make

    @tk.hookimpl
    def plugin_info(self) -> tk.PluginInfo:
        return tk.PluginInfo(
            slug="rusak", title="Broken", dimension=tk.Dimension.GOVERNANCE, version="0"
        )

    @tk.hookimpl
    def permissions(self) -> list[tk.Permission]:
        return [tk.Permission("rusak.import", "Import")]

    @tk.hookimpl
    def spreadsheet_importers(self) -> list[Any]:
        return self.make()


def build(config: Config, make: Any) -> Any:
    registry = uji_registry()
    registry.register(Declares(make), "rusak")
    return create_app(config, registry=registry)


def test_a_valid_declaration_builds(balai_config: Config) -> None:
    importer = tk.Importer(
        key="rusak.items",
        title="Items",
        columns=COLUMNS,
        handle_row=handle,
        permission="rusak.import",
    )
    assert importer.owner == "rusak" and [c.name for c in importer.required_columns] == ["nama"]
    app = build(balai_config, lambda: [importer])
    from balai.imports.service import active

    assert (
        app.ui.registry.plugins["rusak"] and active().catalog.importers["rusak.items"] is importer
    )


@pytest.mark.parametrize(
    ("make", "cause"),
    [
        (
            lambda: [
                tk.Importer(
                    key="lain.items",
                    title="x",
                    columns=COLUMNS,
                    handle_row=handle,
                    permission="rusak.import",
                )
            ],
            "must be named 'rusak.<what>'",
        ),
        (
            lambda: [
                tk.Importer(
                    key="rusak.items",
                    title="x",
                    columns=COLUMNS,
                    handle_row=handle,
                    permission="rusak.nothing",
                )
            ],
            "undeclared permission",
        ),
        (
            lambda: [
                tk.Importer(
                    key="rusak.items",
                    title="x",
                    columns=COLUMNS,
                    handle_row=lambda row, context: None,
                    permission="rusak.import",
                )
            ],
            "handle_row must be async",
        ),
        (
            lambda: [tk.Importer(key="rusak.items", title="x", columns=COLUMNS, handle_row=handle)],
            "a permission, an access callback",
        ),
        (
            lambda: (
                [
                    tk.Importer(
                        key="rusak.items",
                        title="x",
                        columns=COLUMNS,
                        handle_row=handle,
                        permission="rusak.import",
                    )
                ]
                * 2
            ),
            "declared twice",
        ),
        (lambda: ["rusak.items"], "must return tk.Importer values"),
    ],
)
def test_a_bad_declaration_stops_start_up_naming_the_plugin(
    balai_config: Config, make: Any, cause: str
) -> None:
    with pytest.raises(StartupError) as caught:
        build(balai_config, make)
    assert "rusak" in str(caught.value) and cause in str(caught.value)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"key": "tanpa_titik"},
        {"columns": []},
        {"columns": [tk.ImportColumn("Nama"), tk.ImportColumn("nama")]},
        {"batch_size": 0},
        {"max_rows": 1_000_000},
        {"max_bytes": 0},
    ],
)
def test_importer_arguments_are_checked(kwargs: dict) -> None:
    base = {
        "key": "rusak.items",
        "title": "x",
        "columns": COLUMNS,
        "handle_row": handle,
        "permission": "rusak.import",
    }
    with pytest.raises(ValueError):
        tk.Importer(**{**base, **kwargs})


def test_row_errors_carry_one_or_several_column_messages() -> None:
    assert tk.RowError("Whole row").problems == [("", "Whole row")]
    assert tk.RowError("Bad", column="nop").problems == [("nop", "Bad")]
    both = tk.RowError(errors={"harga": "Not a number", "stok": "Negative"})
    assert both.problems == [("harga", "Not a number"), ("stok", "Negative")]
    with pytest.raises(ValueError):
        tk.RowError()


def test_import_url_gives_paths_inside_the_city() -> None:
    assert tk.import_url("pajak.objects") == "/impor/pajak.objects/"
    assert tk.import_url("pajak.objects", 12) == "/impor/pajak.objects/12"
    with pytest.raises(ValueError):
        tk.import_url("../etc")
