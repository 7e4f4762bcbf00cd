"""The planner's rules over random registries: capacity, trips, zones, once, never early."""

from __future__ import annotations

from collections import Counter, defaultdict

from balai_sipaldi.planning.planner import plan
from hypothesis import given, settings
from hypothesis import strategies as st

ZONES = ["Kauman", "Bareng", "Sukun", "Dinoyo", "Buring"]

premises_lists = st.lists(
    st.tuples(
        st.sampled_from(ZONES),
        st.integers(0, 60),  # due day
        st.sampled_from([500, 1000, 1500, 2000, 2500, 3000, 4000, 6000]),
    ),
    max_size=120,
).map(lambda rows: [(i + 1, zone, due, litres) for i, (zone, due, litres) in enumerate(rows)])
truck_lists = st.lists(
    st.tuples(
        st.frozensets(st.sampled_from(ZONES), min_size=1),
        st.sampled_from([2000, 3000, 4000, 5000]),
        st.integers(1, 4),
    ),
    min_size=1,
    max_size=6,
).map(lambda rows: [(100 + i, zones, cap, trips) for i, (zones, cap, trips) in enumerate(rows)])


@settings(max_examples=300, deadline=None)
@given(premises_lists, truck_lists, st.integers(0, 40), st.integers(1, 30), st.integers(0, 14))
def test_no_truck_is_ever_loaded_beyond_its_capacity_or_trips(
    premises, trucks, start, length, lead
):
    days = list(range(start, start + length))
    stops, unplannable = plan(premises, trucks, days, lead_days=lead)
    by_id = {p[0]: p for p in premises}
    truck_by_id = {t[0]: t for t in trucks}
    load: Counter = Counter()
    trips: dict = defaultdict(set)
    for day, truck_id, trip, _position, premises_id, litres in stops:
        _tid, zones, _capacity, trips_per_day = truck_by_id[truck_id]
        _pid, zone, due, tank = by_id[premises_id]
        assert day in days
        assert litres == tank
        assert zone in zones, "a truck only visits the zones its operator serves"
        assert day >= due - lead, "never earlier than the lead time allows"
        load[(day, truck_id, trip)] += litres
        trips[(day, truck_id)].add(trip)
        assert 1 <= trip <= trips_per_day
    for (day, truck_id, trip), litres in load.items():
        assert litres <= truck_by_id[truck_id][2], (day, truck_id, trip, litres)
    for (_day, truck_id), numbers in trips.items():
        assert len(numbers) <= truck_by_id[truck_id][3]
    visited = [stop[4] for stop in stops]
    assert len(visited) == len(set(visited)), "a premises is visited at most once"
    assert not set(visited) & set(unplannable)
    for premises_id in unplannable:
        _pid, zone, _due, tank = by_id[premises_id]
        assert all(tank > cap for _t, zones, cap, _n in trucks if zone in zones)


@settings(max_examples=200, deadline=None)
@given(premises_lists, truck_lists)
def test_a_ready_premises_is_left_only_when_its_trucks_are_busy(premises, trucks):
    """Liveness: a premises left out had every truck serving its zone working that day."""
    days = list(range(61, 64))  # everything is due by then
    stops, unplannable = plan(premises, trucks, days)
    visited = {stop[4] for stop in stops}
    busy = {(stop[0], stop[1]) for stop in stops}
    for premises_id, zone, _due, tank in premises:
        if premises_id in visited or premises_id in unplannable:
            continue
        for truck_id, zones, capacity, _trips in trucks:
            if zone in zones and tank <= capacity:
                assert all((day, truck_id) in busy for day in days), (premises_id, truck_id)


def test_a_small_example_fills_trips_in_due_order_zone_by_zone():
    premises = [
        (1, "Kauman", 5, 2000),
        (2, "Kauman", 3, 2000),
        (3, "Sukun", 1, 2500),
        (4, "Kauman", 4, 1500),
        (5, "Kauman", 40, 1000),  # not due yet
        (6, "Sukun", 2, 9000),  # no truck holds it
    ]
    trucks = [(7, frozenset({"Kauman", "Sukun"}), 4000, 2)]
    stops, unplannable = plan(premises, trucks, [10])
    assert unplannable == [6]
    assert [(trip, position, pid) for _d, _t, trip, position, pid, _l in stops] == [
        (1, 1, 3),  # Sukun's tank is the most overdue
        (2, 1, 2),  # then Kauman in due order: 2 (3rd), 4 (4th) fit 3.5 m³ of 4
        (2, 2, 4),
    ]
    later, _ = plan(premises, trucks, [11, 12])
    assert {stop[4] for stop in later} == {1, 2, 3, 4}


@settings(max_examples=100, deadline=None)
@given(
    premises_lists,
    truck_lists,
    st.dictionaries(st.tuples(st.integers(60, 62), st.integers(100, 105)), st.integers(0, 4)),
)
def test_trips_kept_from_an_earlier_run_count_against_the_day(premises, trucks, used):
    stops, _ = plan(premises, trucks, [60, 61, 62], used_trips=used)
    trips_per_day = {t[0]: t[3] for t in trucks}
    for day, truck_id, trip, *_rest in stops:
        assert used.get((day, truck_id), 0) < trip <= trips_per_day[truck_id]
