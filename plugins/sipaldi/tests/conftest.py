import pytest


@pytest.fixture
def balai_plugins():
    return ["sipaldi"]
