import pytest


@pytest.fixture
def balai_plugins():
    return ["e_jkn"]
