"""The Smart Environment cards and the open data, fed by real visits and deliveries."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sipaldi_setup import add_operator, add_premises
from test_field_to_fee import GATE, as_crew, done, today


def widget_csv(client, key):
    response = client.get(f"/malang/dasbor/widget/{key}.csv")
    assert response.status_code == 200, response.text
    return list(csv.reader(io.StringIO(response.text)))


def test_cards_and_open_data_count_visits_deliveries_and_gaps(
    client, login_as, post_form, city_run
):
    on_time = city_run(
        "malang", add_premises(address="Jl. A 1", next_due=today() + timedelta(days=30))
    )
    late = city_run("malang", add_premises(address="Jl. B 2", kelurahan="Sukun", kecamatan="Sukun"))
    city_run("malang", add_premises(address="Jl. C 3", next_due=today() - timedelta(days=40)))
    _op, [truck] = city_run("malang", add_operator(trucks=(("N 1 AB", 6000, 2),)))

    async def visits():
        from balai_sipaldi.tables import Visit

        await Visit.insert(
            Visit(
                premises_id=on_time,
                truck_id=truck,
                day=today(),
                planned_litres=2500,
                due_day=today() + timedelta(days=30),
                status="scheduled",
                created_at=_now(),
            ),
            Visit(
                premises_id=late,
                truck_id=truck,
                day=today(),
                planned_litres=2500,
                due_day=today() - timedelta(days=10),
                status="scheduled",
                created_at=_now(),
            ),
        )
        return [v["id"] for v in await Visit.select(Visit.id).order_by(Visit.id)]

    first, second = city_run("malang", visits)
    as_crew(client, login_as, city_run, truck)
    assert done(post_form, first).status_code == 303
    assert done(post_form, second, "2").status_code == 303
    client.cookies.clear()
    login_as("sipaldi.plant")
    data = {"truck": str(truck), "visit": [str(first), str(second)], "volume": "3"}
    assert post_form(GATE, data).status_code == 303  # 4,5 m³ collected, 3 delivered: a gap
    client.cookies.clear()
    login_as("dashboard.viewer")
    page = client.get("/malang/dasbor/")
    assert page.status_code == 200 and "Tangki septik disedot tepat jadwal" in page.text
    assert widget_csv(client, "sipaldi.on_schedule")[1][0] == "50"
    assert widget_csv(client, "sipaldi.overdue")[1][0] == "1"  # Jl. C 3 (the others were emptied)
    assert widget_csv(client, "sipaldi.gap_flags")[1][0] == "1"
    assert widget_csv(client, "sipaldi.plant_utilisation")[1][
        0
    ]  # 100 m³ a day in the demo settings
    served = list(
        csv.DictReader(
            io.StringIO(client.get("/malang/data/sipaldi-served-per-kecamatan.csv").text)
        )
    )
    month = today().strftime("%Y-%m")
    assert {
        (r["month"], r["kecamatan"], r["premises_served"], r["served_late"], r["m3"])
        for r in served
    } == {
        (month, "Klojen", "1", "0", "2.5"),
        (month, "Sukun", "1", "1", "2.0"),
    }
    overdue = list(
        csv.DictReader(
            io.StringIO(client.get("/malang/data/sipaldi-overdue-per-kecamatan.csv").text)
        )
    )
    assert {(r["kecamatan"], r["premises"], r["overdue"]) for r in overdue} == {
        ("Klojen", "2", "1"),
        ("Sukun", "1", "0"),
    }


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)
