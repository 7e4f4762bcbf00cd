"""Schedule slots: intervals aligned to the epoch, daily times in the city's zone."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from balai.jobs.slots import current_slot, next_slot, slot_ttl
from balai.jobs.types import Job

WIB = ZoneInfo("Asia/Jakarta")  # UTC+7
WITA = ZoneInfo("Asia/Makassar")  # UTC+8
WIT = ZoneInfo("Asia/Jayapura")  # UTC+9


async def _noop(city, **kwargs):
    return None


def job(**kwargs):
    return Job(name="uji.kerja", run=_noop, **kwargs)


def at(*args):
    return datetime(*args, tzinfo=UTC)


def test_every_aligns_to_the_epoch_whatever_the_zone():
    five = job(every=timedelta(minutes=5))
    now = at(2026, 8, 17, 3, 7, 42)
    for tz in (WIB, WITA, WIT):
        assert current_slot(five, tz, now) == at(2026, 8, 17, 3, 5)
        assert next_slot(five, tz, now) == at(2026, 8, 17, 3, 10)


def test_every_on_the_boundary_is_that_slot():
    hourly = job(every=timedelta(hours=1))
    assert current_slot(hourly, WIB, at(2026, 8, 17, 4, 0)) == at(2026, 8, 17, 4, 0)
    assert current_slot(hourly, WIB, at(2026, 8, 17, 3, 59, 59, 999999)) == at(2026, 8, 17, 3, 0)


@pytest.mark.parametrize(
    ("tz", "utc_hour"),
    [(WIB, 19), (WITA, 18), (WIT, 17)],
)
def test_daily_at_is_city_local_time(tz, utc_hour):
    two_am = job(daily_at=time(2, 0))
    # 20:00 UTC on the 16th is already the 17th in all three zones, after 02:00 local.
    now = at(2026, 8, 16, 20, 0)
    assert current_slot(two_am, tz, now) == at(2026, 8, 16, utc_hour, 0)
    assert next_slot(two_am, tz, now) == at(2026, 8, 17, utc_hour, 0)


def test_daily_at_before_todays_time_is_yesterdays_slot():
    two_am = job(daily_at=time(2, 0))
    # 01:30 WIB on the 17th = 18:30 UTC on the 16th: the slot is 02:00 WIB on the 16th.
    now = at(2026, 8, 16, 18, 30)
    assert current_slot(two_am, WIB, now) == at(2026, 8, 15, 19, 0)
    # The same instant is 03:30 WIT on the 17th: today's 02:00 WIT has passed.
    assert current_slot(two_am, WIT, now) == at(2026, 8, 16, 17, 0)


def test_the_same_instant_gives_different_daily_slots_per_zone():
    noon = job(daily_at=time(12, 0))
    now = at(2026, 1, 1, 4, 30)  # 11:30 WIB, 12:30 WITA, 13:30 WIT
    assert current_slot(noon, WIB, now) == at(2025, 12, 31, 5, 0)
    assert current_slot(noon, WITA, now) == at(2026, 1, 1, 4, 0)
    assert current_slot(noon, WIT, now) == at(2026, 1, 1, 3, 0)


def test_on_demand_jobs_have_no_slot():
    assert current_slot(job(), WIB, at(2026, 1, 1)) is None
    assert next_slot(job(), WIB, at(2026, 1, 1)) is None


def test_naive_now_is_refused():
    with pytest.raises(ValueError):
        current_slot(job(every=timedelta(minutes=1)), WIB, datetime(2026, 1, 1))


def test_claims_outlive_their_slot():
    assert slot_ttl(job(every=timedelta(minutes=5))) == timedelta(minutes=65)
    assert slot_ttl(job(daily_at=time(1))) == timedelta(hours=25)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"name": "kerja"},  # not namespaced
        {"name": "Uji.Kerja"},
        {"name": "uji.kerja", "every": timedelta(seconds=1)},
        {"name": "uji.kerja", "every": timedelta(minutes=1), "daily_at": time(1)},
        {"name": "uji.kerja", "daily_at": time(1, tzinfo=UTC)},
        {"name": "uji.kerja", "timeout": timedelta(0)},
    ],
)
def test_invalid_declarations_are_refused(kwargs):
    with pytest.raises(ValueError):
        Job(run=_noop, **kwargs)


def test_schedule_text():
    assert job(every=timedelta(minutes=5)).schedule_text() == "every 5m"
    assert job(every=timedelta(hours=2)).schedule_text() == "every 2h"
    assert job(every=timedelta(seconds=90)).schedule_text() == "every 90s"
    assert job(daily_at=time(2, 30)).schedule_text() == "daily 02:30"
    assert job().schedule_text() == "on demand"
