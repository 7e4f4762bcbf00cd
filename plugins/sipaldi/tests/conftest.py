import pytest
from balai.testing import write_config
from sipaldi_setup import demo_sipaldi


@pytest.fixture
def balai_plugins():
    return ["sipaldi"]


@pytest.fixture
def balai_config(tmp_path, balai_cities):
    """Malang with its demo sipaldi settings (kelurahan, schedule, tariff) and PBB region."""
    return write_config(
        tmp_path / "instance",
        balai_cities,
        city_options={
            "malang": {"region_code": "35.73", "settings": {"sipaldi": demo_sipaldi("malang")}}
        },
    )
