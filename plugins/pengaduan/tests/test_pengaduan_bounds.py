"""A city with a bounding box refuses places outside it (form and map point alike)."""

from __future__ import annotations

import pytest
from balai.testing import write_config
from pengaduan_support import rows

REPORT = "/malang/pengaduan/lapor"
GOOD = {
    "category": "lampu",
    "description": "Lampu jalan mati di depan rumah nomor 12.",
    "address": "Jl. Ijen 12",
}
BOX = {"south": -8.05, "west": 112.57, "north": -7.90, "east": 112.70}


@pytest.fixture
def balai_config(tmp_path, balai_cities):
    return write_config(
        tmp_path / "instance",
        balai_cities,
        city_options={"malang": {"settings": {"pengaduan": {"bounds": BOX}}}},
    )


def test_a_place_outside_the_city_box_is_refused(client, login_as, post_form, city_run):
    login_as()
    outside = post_form(REPORT, {**GOOD, "latitude": "-6.99", "longitude": "110.42"})
    assert outside.status_code == 400
    assert "di luar kota" in outside.text
    assert rows(city_run) == []
    inside = post_form(REPORT, {**GOOD, "latitude": "-7.97", "longitude": "112.63"})
    assert inside.status_code == 303
    assert rows(city_run)[0]["latitude"] == -7.97
