import pytest


@pytest.fixture
def balai_plugins():
    return ["umkm_market"]
