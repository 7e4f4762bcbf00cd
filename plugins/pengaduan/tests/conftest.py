"""Test set-up for ``pengaduan``.

The fixtures (``client``, ``login_as``, ``post_form``, ``city_run``,
``balai_app`` ...) come from Balai's pytest plugin, installed with
``balai``. The test instance has two cities: ``malang`` enables the loaded
plugins and ``semarang`` enables none. Here the app loads this plugin only.
"""

import pytest


@pytest.fixture
def balai_plugins():
    return ["pengaduan"]
