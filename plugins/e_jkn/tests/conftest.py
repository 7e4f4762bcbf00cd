import pytest
from balai_e_jkn.registries.sandboxes import reset_sandboxes


@pytest.fixture
def balai_plugins():
    return ["e_jkn"]


@pytest.fixture(autouse=True)
def fresh_sandboxes():
    """Every test starts with the seeded Dukcapil and BPJS sandboxes, all switches off."""
    reset_sandboxes()
    yield
    reset_sandboxes()


@pytest.fixture
def balai_config(tmp_path, balai_cities):
    """Malang with its region code (35.73), which Dukcapil's domicile check compares with."""
    from balai.testing import write_config

    return write_config(
        tmp_path / "instance", balai_cities, city_options={"malang": {"region_code": "35.73"}}
    )
