"""The planner job on the city's registry, and officers adjusting and publishing the plan."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from balai.testing import run_queued_jobs
from balai_sipaldi.tables import Visit
from sipaldi_setup import add_operator, add_premises

PLAN = "/malang/kelola/sipaldi/rencana/"


def today() -> date:
    return datetime.now(ZoneInfo("Asia/Jakarta")).date()


def visits(city_run, city="malang"):
    return city_run(
        city, lambda: Visit.select().order_by(Visit.day, Visit.truck_id, Visit.trip, Visit.position)
    )


def seed_registry(city_run):
    """Six due tanks in Kauman (2 m³ each), one overdue in Sukun, one truck of 4 m³ × 2 trips."""
    for number in range(6):
        city_run(
            "malang",
            add_premises(
                address=f"Jl. Kawi No. {number}", next_due=today() - timedelta(days=number)
            ),
        )
    city_run(
        "malang",
        add_premises(address="Jl. Sukun 1", kelurahan="Sukun", kecamatan="Sukun", next_due=today()),
    )
    return city_run(
        "malang", add_operator(trucks=(("N 1 AB", 4000, 2),), kelurahan=(("Kauman", "Klojen"),))
    )


def test_the_planner_job_proposes_visits_within_capacity_and_trips(
    client, login_as, post_form, city_run, balai_app
):
    _operator, [truck] = seed_registry(city_run)
    login_as("sipaldi.officer")
    assert post_form(PLAN + "usulkan", {}).status_code == 303
    run_queued_jobs(balai_app)
    planned = visits(city_run)
    assert len(planned) == 6  # Sukun is served by no truck
    per_trip = Counter()
    for visit in planned:
        assert visit["truck_id"] == truck and visit["status"] == "proposed"
        per_trip[(visit["day"], visit["trip"])] += visit["planned_litres"]
    assert max(per_trip.values()) <= 4000
    assert max(trip for _day, trip in per_trip) <= 2
    first_day = planned[0]["day"]
    assert first_day > today()
    assert sum(1 for v in planned if v["day"] == first_day) == 4  # 2 trips × 2 tanks
    # running it again plans nothing twice
    post_form(PLAN + "usulkan", {})
    run_queued_jobs(balai_app)
    assert len(visits(city_run)) == 6
    page = client.get(PLAN, params={"day": first_day.isoformat()}).text
    assert "N 1 AB" in page and "Jl. Kawi No. 5" in page and "Diusulkan" in page


def test_an_officer_publishes_a_day(client, login_as, post_form, city_run, balai_app):
    seed_registry(city_run)
    login_as("sipaldi.officer")
    post_form(PLAN + "usulkan", {})
    run_queued_jobs(balai_app)
    first_day = visits(city_run)[0]["day"]
    response = post_form(PLAN + "terbitkan", {"day": first_day.isoformat()})
    assert response.status_code == 303
    statuses = Counter((v["day"] == first_day, v["status"]) for v in visits(city_run))
    assert statuses == {(True, "scheduled"): 4, (False, "proposed"): 2}


def test_moving_a_visit_keeps_capacity_and_refuses_bad_days(
    client, login_as, post_form, city_run, balai_app
):
    _operator, [truck] = seed_registry(city_run)
    _other, [small] = city_run(
        "malang",
        add_operator(
            name="CV Kecil", licence="503/UJI/002", trucks=(("N 2 AB", 2000, 1),), kelurahan=()
        ),
    )
    login_as("sipaldi.officer")
    post_form(PLAN + "usulkan", {})
    run_queued_jobs(balai_app)
    before = visits(city_run)
    day = before[0]["day"]
    on_day = [v for v in before if v["day"] == day]
    moved, second = on_day[0], on_day[1]
    url = f"{PLAN}kunjungan/{moved['id']}/pindah"
    assert client.get(f"{PLAN}kunjungan/{moved['id']}").status_code == 200
    yesterday = (today() - timedelta(days=1)).isoformat()
    assert post_form(url, {"truck": str(small), "day": yesterday}).status_code == 400
    # the small truck takes one 2 m³ tank a day: the first fits, the second does not
    assert post_form(url, {"truck": str(small), "day": day.isoformat()}).status_code == 303
    refused = post_form(
        f"{PLAN}kunjungan/{second['id']}/pindah", {"truck": str(small), "day": day.isoformat()}
    )
    assert refused.status_code == 400
    assert "tidak punya ruang" in refused.text
    after = {v["id"]: v for v in visits(city_run)}
    assert after[moved["id"]]["truck_id"] == small
    assert after[second["id"]]["truck_id"] == truck
    assert after[second["id"]]["trip"] == second["trip"]


def test_dropping_a_proposal_and_another_citys_visit(
    client, login_as, post_form, city_run, balai_app
):
    seed_registry(city_run)
    login_as("sipaldi.officer")
    post_form(PLAN + "usulkan", {})
    run_queued_jobs(balai_app)
    visit = visits(city_run)[0]
    assert post_form(f"{PLAN}kunjungan/{visit['id']}/hapus", {}).status_code == 303
    assert visits(city_run)[0]["status"] == "cancelled"
    again = post_form(f"{PLAN}kunjungan/{visit['id']}/hapus", {})
    assert again.status_code == 400
    assert client.get(f"{PLAN}kunjungan/999999").status_code == 404
