"""Households are told 14 and 3 days ahead, once each; on-demand requests outside the schedule."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from balai import toolkit as tk
from balai.notifications.tables import OutboxMessage
from balai_sipaldi.planning.notices import notices_due, send_notices
from balai_sipaldi.tables import Premises
from sipaldi_setup import add_operator, add_premises, add_visit, table_rows


def today() -> date:
    return datetime.now(ZoneInfo("Asia/Jakarta")).date()


def test_which_notices_are_due():
    assert notices_due(20, (14, 3), "") == []
    assert notices_due(14, (14, 3), "") == [14]
    assert notices_due(10, (14, 3), "14") == []
    assert notices_due(3, (14, 3), "14") == [3]
    assert notices_due(2, (14, 3), "") == [3, 14]  # published late: both at once, one message
    assert notices_due(1, (14, 3), "3,14") == []


def test_the_household_is_told_once_per_notice(client, login_as, city_run):
    user = login_as()
    premises = city_run("malang", add_premises(owner_id=user["id"]))
    _op, [truck] = city_run("malang", add_operator())
    visit = city_run("malang", add_visit(premises, truck, today() + timedelta(days=14)))

    async def run_job():
        return await send_notices(tk.current_city())

    def messages():
        return city_run(
            "malang",
            lambda: OutboxMessage.select().where(
                (OutboxMessage.user_id == user["id"])
                & (OutboxMessage.kind == "sipaldi.visit_notice")
            ),
        )

    assert city_run("malang", run_job) == 1
    assert city_run("malang", run_job) == 0
    [message] = messages()
    assert "CV Uji Sedot" in message["body"] and f"/sipaldi/kunjungan/{visit}" in message["body"]
    assert "14 hari lagi" in message["body"]


def test_an_on_demand_request_makes_the_tank_due_tomorrow(client, login_as, post_form, city_run):
    user = login_as()
    far = today() + timedelta(days=500)
    premises = city_run("malang", add_premises(owner_id=user["id"], next_due=far))
    assert post_form(f"/malang/sipaldi/tangki/{premises}/minta", {}).status_code == 303
    [row] = city_run("malang", table_rows(Premises))
    assert row["next_due"] == today() + timedelta(days=1)
    other = city_run("malang", add_premises(owner_id=user["id"] + 1000, next_due=far))
    assert post_form(f"/malang/sipaldi/tangki/{other}/minta", {}).status_code == 404
    _op, [truck] = city_run("malang", add_operator())
    city_run("malang", add_visit(premises, truck, today() + timedelta(days=2)))
    response = post_form(f"/malang/sipaldi/tangki/{premises}/minta", {}, follow_redirects=True)
    assert "sudah punya kunjungan terjadwal" in response.text
