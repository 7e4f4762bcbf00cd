"""Officers register operators, their trucks, service areas and published service fee."""

from __future__ import annotations

from balai_sipaldi.tables import Operator, ServiceArea, Truck
from sipaldi_setup import add_operator

LIST = "/malang/kelola/sipaldi/operator/"
FIRM = {
    "name": "CV Tirta",
    "licence_number": "503/LLTT/9",
    "phone": "0812 3456 7890",
    "service_fee": "Rp250.000",
}


def rows(city_run, table, city="malang"):
    return city_run(city, lambda: table.select().order_by(table.id))


def test_operators_pages_are_for_wastewater_officers(client, login_as):
    assert client.get(LIST, follow_redirects=False).status_code == 303
    login_as()
    assert client.get(LIST).status_code == 403


def test_an_officer_registers_an_operator_with_trucks_areas_and_fee(
    client, login_as, post_form, city_run
):
    login_as("sipaldi.officer")
    response = post_form(LIST, FIRM)
    assert response.status_code == 303
    [firm] = rows(city_run, Operator)
    assert (firm["service_fee"], firm["phone"]) == (250_000, "+6281234567890")
    page = f"{LIST}{firm['id']}"
    assert (
        post_form(
            page + "/truk", {"plate": "n 8123 ab", "capacity_litres": "3,5", "trips_per_day": "3"}
        ).status_code
        == 303
    )
    [truck] = rows(city_run, Truck)
    assert (truck["plate"], truck["capacity_litres"], truck["trips_per_day"]) == (
        "N 8123 AB",
        3500,
        3,
    )
    assert post_form(page + "/wilayah", {"area": "kecamatan:Klojen"}).status_code == 303
    assert post_form(page + "/wilayah", {"area": "Mojolangu"}).status_code == 303
    assert post_form(page + "/wilayah", {"area": "Kauman"}).status_code == 303  # already served
    areas = rows(city_run, ServiceArea)
    assert len(areas) == 12  # Klojen's 11 kelurahan and Mojolangu, Kauman once
    assert post_form(page + "/tarif", {"service_fee": "300.000"}).status_code == 303
    assert rows(city_run, Operator)[0]["service_fee"] == 300_000
    text = client.get(page).text
    assert "N 8123 AB" in text and "3,5 m³" in text and "Rp300.000" in text and "Mojolangu" in text


def test_bad_values_are_refused_and_nothing_is_written(client, login_as, post_form, city_run):
    operator_id, _trucks = city_run("malang", add_operator())
    login_as("sipaldi.officer")
    page = f"{LIST}{operator_id}"
    bad_trucks = [
        {"plate": "N 1 AB", "capacity_litres": "3", "trips_per_day": "2"},  # plate taken
        {"plate": "12345", "capacity_litres": "3", "trips_per_day": "2"},
        {"plate": "N 2 AB", "capacity_litres": "-3", "trips_per_day": "2"},
        {"plate": "N 2 AB", "capacity_litres": "0", "trips_per_day": "2"},
        {"plate": "N 2 AB", "capacity_litres": "50", "trips_per_day": "2"},
        {"plate": "N 2 AB", "capacity_litres": "3", "trips_per_day": "0"},
    ]
    for data in bad_trucks:
        assert post_form(page + "/truk", data).status_code == 400, data
    assert post_form(page + "/wilayah", {"area": "Sekayu"}).status_code == 400
    assert post_form(page + "/tarif", {"service_fee": "-5"}).status_code == 400
    assert post_form(LIST, {**FIRM, "licence_number": "503/UJI/001"}).status_code == 400
    assert len(rows(city_run, Truck)) == 1
    assert len(rows(city_run, ServiceArea)) == 1
    assert len(rows(city_run, Operator)) == 1
    assert rows(city_run, Operator)[0]["service_fee"] == 250_000


def test_an_operator_of_another_city_is_not_found(client, login_as, post_form, city_run):
    operator_id, _trucks = city_run("semarang", add_operator(kelurahan=()))
    login_as("sipaldi.officer")
    assert client.get(f"{LIST}{operator_id}").status_code == 404
    data = {"plate": "H 1 XY", "capacity_litres": "3", "trips_per_day": "2"}
    assert post_form(f"{LIST}{operator_id}/truk", data).status_code == 404
    assert rows(city_run, Truck, "semarang") and len(rows(city_run, Truck, "semarang")) == 1
