"""The phone channel over the sandbox provider: delivery reports, failures, rate limits, cost."""

from __future__ import annotations

import html
from functools import partial

import pytest
from account_support import register, texted_codes
from balai.auth.accounts import create_user
from balai.notifications import runtime
from balai.notifications.delivery import MAX_ATTEMPTS, deliver_pending, poll_phone_reports
from balai.notifications.outbox import notify
from balai.notifications.phone import PhoneChannel
from balai.notifications.phone_sandbox import PER_NUMBER, SandboxPhoneGateway
from balai.notifications.tables import OutboxMessage
from balai.testing import DEFAULT_PASSWORD, write_config
from test_platform_uji_plugin import SLUG


async def _text_to(phone: str, count: int = 1) -> int:
    uid = await create_user(name="Budi", password=DEFAULT_PASSWORD, phone=phone)
    for n in range(count):
        await notify(uid, "core.welcome", {"login": f"{phone}-{n}"})
    return uid


async def _rows() -> list[dict]:
    return await OutboxMessage.select().order_by(OutboxMessage.id)


def test_development_texts_through_the_sandbox_provider(balai_app):
    channel = runtime.active().channels["sms"]
    assert isinstance(channel, PhoneChannel) and isinstance(channel.gateway, SandboxPhoneGateway)


def test_a_text_is_delivered_and_its_delivery_report_polled(client, city_run):
    city_run("malang", partial(_text_to, "+6281211112222"))
    report = city_run("malang", deliver_pending)
    assert report.sent == 1
    row = city_run("malang", _rows)[0]
    assert row["channel"] == "sms" and row["provider_ref"].startswith("SBX")
    assert row["delivery"] == "accepted"
    assert city_run("malang", poll_phone_reports) == 1
    row = city_run("malang", _rows)[0]
    assert row["delivery"] == "delivered" and row["delivery_at"] is not None
    page = client.get("/malang/notifikasi/ponsel-uji", params={"nomor": "0812 1111 2222"})
    assert "Selamat datang di layanan Kota Malang" in html.unescape(page.text)
    assert "Terkirim" in page.text


def test_a_switched_off_phone_is_reported_undelivered(city_run):
    city_run("malang", partial(_text_to, "+6281233339999"))
    city_run("malang", deliver_pending)
    city_run("malang", poll_phone_reports)
    assert city_run("malang", _rows)[0]["delivery"] == "undelivered"


def test_an_invalid_number_fails_at_once_without_retries(city_run):
    city_run("malang", partial(_text_to, "+6281200000000"))
    report = city_run("malang", deliver_pending)
    assert (report.sent, report.retrying, report.failed) == (0, 0, 1)
    row = city_run("malang", _rows)[0]
    assert row["status"] == "failed" and row["attempts"] == 1 < MAX_ATTEMPTS
    assert "not a valid mobile number" in row["last_error"]


def test_the_providers_rate_limit_makes_the_outbox_wait_and_retry(city_run):
    city_run("malang", partial(_text_to, "+6281244445555", PER_NUMBER + 1))
    report = city_run("malang", deliver_pending)
    assert (report.sent, report.retrying) == (PER_NUMBER, 1)
    waiting = [r for r in city_run("malang", _rows) if r["status"] == "pending"]
    assert len(waiting) == 1 and "more than 5 texts" in waiting[0]["last_error"]


@pytest.fixture
def balai_config(tmp_path):
    """Malang texts at most two codes a day (the provider's bill has a ceiling)."""
    return write_config(
        tmp_path / "instance",
        {"malang": [SLUG], "semarang": []},
        city_options={"malang": {"settings": {"core": {"phone_codes_per_day": 2}}}},
    )


def test_the_citys_daily_text_budget_bounds_code_requests(client, post_form):
    register(post_form, phone="0812 7777 0001", name="Satu")  # the first text
    client.cookies.clear()
    register(post_form, phone="0812 7777 0002", name="Dua")  # the second
    client.cookies.clear()
    register(post_form, phone="0812 7777 0003", name="Tiga")  # over budget: no text
    assert texted_codes(client, "+6281277770003") == []
    answer = post_form("/malang/akun/verifikasi/kirim", {})
    assert answer.status_code == 429
    assert texted_codes(client, "+6281277770001") and texted_codes(client, "+6281277770002")


def test_the_sandbox_inbox_is_not_served_without_the_sandbox(client, balai_app):
    del runtime.active().channels["sms"]
    assert client.get("/malang/notifikasi/ponsel-uji").status_code == 404
