"""Fixtures of the core's own tests.

The core is tested with the ``balai.testing`` kit, like any plugin. Here the
app loads no installed plugin but the test plugin ``uji`` (see
``test_platform_uji_plugin.py``), enabled in Malang and not in Semarang, so
the core's behaviour does not depend on which plugins happen to be installed.
Tests about all installed plugins build their own app.
"""

from __future__ import annotations

from typing import Any

import pytest
from balai.config import Config
from balai.testing import TestDatabases, build_app
from test_platform_uji_plugin import SLUG, uji_registry


@pytest.fixture
def balai_plugins() -> list[str]:
    """No installed plugin: the core suite is about the core."""
    return []


@pytest.fixture
def balai_cities() -> dict[str, list[str]]:
    """Malang enables the test plugin, Semarang does not."""
    return {"malang": [SLUG], "semarang": []}


@pytest.fixture
def balai_app(
    balai_config: Config,
    balai_database_url: str,
    balai_test_databases: TestDatabases,
    balai_fast_passwords: None,
) -> Any:
    """The core plus the ``uji`` test plugin, migrated, on an empty database."""
    return build_app(
        balai_config, balai_test_databases, database_url=balai_database_url, registry=uji_registry()
    )
