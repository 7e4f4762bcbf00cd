"""The conformance suite every Balai plugin runs: one class to subclass.

In a plugin's tests (``tests/test_conformance.py``)::

    from balai.testing.conformance import PluginConformance


    class TestConformance(PluginConformance):
        plugin = "pajak"

The class builds, once, an app with two cities (``malang`` and ``semarang``)
that both enable the plugin, migrates it and seeds both with the demo data
(core accounts, then the plugin's ``seed_demo``), and checks:

* every route the plugin declares, requested by anonymous visitors, the
  city's citizens (the demo's ``warga@`` and the accounts ``seed_demo``
  made), its administrator, each of the plugin's officer roles and the
  other city's officers, with path parameters filled from both cities' rows
  and links followed: no 5xx, no text of a row of the other city, and every
  route without ``opt=tk.PUBLIC`` refusing whoever is not signed in to the
  city; requests to one city change no row of the other;
* every form found on those pages, posted empty, oversized, hostile, and
  with out-of-range and malformed numbers and dates: a 4xx showing the form
  again, no row written, the hostile text never echoed unescaped;
* the plugin's migrations forwards, backwards and forwards again, on SQLite
  and, when ``BALAI_TEST_DATABASE_URL`` is set, on PostgreSQL;
* its Indonesian catalog complete (:func:`balai.testing.assert_catalog_complete`).

Class attributes to adjust:

``plugin``
    The plugin's slug (required).
``cities``
    The two city slugs (default ``("malang", "semarang")``); a plugin whose
    demo data depends on the city can choose others.
``path_params``
    For path parameters the suite cannot place by name (``{x_id}`` is the
    ``id`` of the table whose name ends in ``_x``, ``{x}`` a column named
    ``x``): parameter name -> Piccolo column, e.g. ``{"nop": TaxObject.nop}``.
``companions``
    Other installed plugins both cities enable beside it, whose demo data
    gives the routes rows to visit (default none). A built-in service (the
    core's ``documents``, ``partners``...) runs the suite this way: its
    routes are those it declares, its rows come from the companions' seeds.
``plugin_registry()``
    A class method returning a prepared ``PluginRegistry`` for a plugin that
    is not installed (the suite's own tests use a deliberately broken one).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from piccolo.columns import Column

from balai import demo
from balai.db.database import Database
from balai.plugins import BUILTIN_SLUGS, PluginRegistry
from balai.testing import (
    TestDatabases,
    TestServers,
    assert_catalog_complete,
    build_app,
    open_client,
    run_in_city,
    use_fast_passwords,
    write_config,
)
from balai.testing.migrations import check_migrations, existing_tables
from balai.testing.probe import Probe

__all__ = ["PluginConformance"]
MAX_LISTED = int(os.environ.get("BALAI_CONFORMANCE_LISTED", "30"))


def report(title: str, found: list[Any]) -> str:
    """An assertion message: the title, then at most ``MAX_LISTED`` findings."""
    lines = [f"  - {f}" for f in found[:MAX_LISTED]]
    if len(found) > MAX_LISTED:
        lines.append(f"  ... and {len(found) - MAX_LISTED} more")
    return f"{len(found)} {title}:\n" + "\n".join(lines)


class PluginConformance:
    """Subclass as ``TestConformance`` with ``plugin = "<slug>"`` (see the module)."""

    plugin: ClassVar[str] = ""
    cities: ClassVar[tuple[str, str]] = ("malang", "semarang")
    path_params: ClassVar[dict[str, Column]] = {}
    companions: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def plugin_registry(cls) -> PluginRegistry | None:
        """A prepared registry holding the plugin, for one not installed (default: ``None``).

        The suite's own tests use it for deliberately broken plugins; an
        installed plugin needs nothing here.
        """
        return None

    @pytest.fixture(scope="class")
    @classmethod
    def conformance(
        cls,
        tmp_path_factory: pytest.TempPathFactory,
        balai_test_databases: TestDatabases,
        balai_test_servers: TestServers,
    ) -> Iterator[Probe]:
        """The plugin in two seeded cities, with the client running (one per class)."""
        if not cls.plugin:
            raise AssertionError(f"{cls.__name__} must set plugin = '<slug>'")
        folder = tmp_path_factory.mktemp(f"conformance-{cls.plugin}")
        enabled = [p for p in (cls.plugin, *cls.companions) if p not in BUILTIN_SLUGS]
        config = write_config(folder / "instance", {c: enabled for c in cls.cities})
        url = balai_test_servers.postgres_url or f"sqlite:///{folder / 'balai.db'}"
        with pytest.MonkeyPatch.context() as patch:
            use_fast_passwords(patch)
            app = build_app(
                config,
                balai_test_databases,
                database_url=url,
                plugins=[cls.plugin, *cls.companions],
                registry=cls.plugin_registry(),
            )
            with open_client(app) as client:
                accounts = {}
                for slug in cls.cities:
                    city = app.ui.config.cities[slug]
                    seeded = run_in_city(app, slug, lambda city=city: demo.seed_city(app, city))
                    accounts[slug] = seeded.accounts
                yield Probe(app, client, cls.plugin, cls.cities, accounts, cls.path_params)

    def test_every_declared_route_is_requested(self, conformance: Probe) -> None:
        """Each route was requested at least once (else its rows could not be found)."""
        missing = [str(r) for r in conformance.routes if r not in conformance.findings().requested]
        assert conformance.routes, f"{self.plugin} declares no route"
        assert not missing, report("routes never requested (no rows to fill them)", missing)

    def test_no_server_error(self, conformance: Probe) -> None:
        """No request, by any visitor, was answered with a 5xx."""
        found = conformance.findings().server_errors
        assert not found, report("requests answered with a server error", found)

    def test_no_row_of_one_city_in_the_other(self, conformance: Probe) -> None:
        """No page of one city shows the other's rows; requests to one write none of the other's."""
        assert any(conformance.markers.values()), (
            f"no text identifies a row of {self.plugin} in either city, so no leak can be "
            "seen: let seed_demo write rows that differ between cities (names, numbers)"
        )
        findings = conformance.findings()
        assert not findings.leaks, report("responses showing the other city's rows", findings.leaks)
        assert not findings.cross_city_writes, report(
            "cross-city writes", findings.cross_city_writes
        )

    def test_routes_without_public_refuse_visitors_not_signed_in(self, conformance: Probe) -> None:
        """Anonymous visitors and the other city's officers are turned away from guarded routes."""
        found = conformance.findings().open_to_strangers
        assert not found, report("guarded routes open to visitors not signed in", found)

    def test_forms_refuse_bad_values_and_write_nothing(self, conformance: Probe) -> None:
        """Bad values get a 4xx showing the form again, and no row is added or removed."""
        problems = conformance.findings().bad_forms
        assert not problems, report("bad form posts not refused cleanly", problems)

    def test_catalog_is_complete(self, conformance: Probe) -> None:
        """Every text of the plugin has its Indonesian translation."""
        hooks = conformance.app.ui.registry.plugins[self.plugin].obj
        module = getattr(hooks, "__name__", type(hooks).__module__)  # a module, or an object
        assert_catalog_complete(module.split(".")[0])

    # Last: on PostgreSQL these migrate the database the class's app uses.
    def test_migrations_forwards_backwards_forwards_on_sqlite(
        self, conformance: Probe, tmp_path: Any
    ) -> None:
        """The plugin's migrations (with the core's) forwards, backwards, forwards on SQLite."""
        modules = conformance.app.ui.database.app_modules
        order = asyncio.run(check_migrations(Database(f"sqlite:///{tmp_path / 'm.db'}", modules)))
        assert self.plugin in order

    def test_migrations_forwards_backwards_forwards_on_postgres(
        self, conformance: Probe, postgres_url: str
    ) -> None:
        """The same in the run's PostgreSQL database (skipped without ``BALAI_TEST_DATABASE_URL``).

        That is the database the class's app used: this test comes last.
        """
        url, modules = postgres_url, conformance.app.ui.database.app_modules

        async def run() -> list[str]:
            database = Database(url, modules)
            for table in await existing_tables(database):
                await database.engine.run_ddl(f'DROP TABLE IF EXISTS "{table}" CASCADE')
            return await check_migrations(database)

        assert self.plugin in asyncio.run(run())
