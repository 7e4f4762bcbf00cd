"""notify(): rendered per language into the outbox, in the caller's transaction."""

from __future__ import annotations

from functools import partial

import pytest
from balai.auth.accounts import create_user
from balai.notifications import outbox, runtime, templates
from balai.notifications.outbox import UnknownRecipientError, notify
from balai.notifications.runtime import UnknownChannelError
from balai.notifications.tables import OutboxMessage
from balai.notifications.templates import TemplateMissingError, candidates
from balai.tables import User
from balai.testing import DEFAULT_PASSWORD, write_config


@pytest.fixture
def balai_config(tmp_path, balai_cities):
    """No job runner: these tests look at the outbox before anything is delivered."""
    return write_config(tmp_path / "instance", balai_cities, instance={"run_jobs": False})


async def _user(name="Siti Rahayu", email="siti@example.id", phone=None) -> int:
    return await create_user(name=name, password=DEFAULT_PASSWORD, email=email, phone=phone)


async def _rows() -> list[dict]:
    return await OutboxMessage.select().order_by(OutboxMessage.id)


def test_notify_renders_in_the_city_language_and_queues(client, city_run):
    async def scenario():
        uid = await _user()
        await notify(uid, "core.welcome", {"login": "siti@example.id"})
        return uid, await _rows()

    uid, rows = city_run("malang", scenario)
    assert len(rows) == 1
    row = rows[0]
    assert (row["user_id"], row["kind"], row["channel"], row["locale"]) == (
        uid,
        "core.welcome",
        "file",
        "id",
    )
    assert row["status"] == "pending" and row["attempts"] == 0
    assert row["subject"] == "Selamat datang di layanan Kota Malang"
    assert row["body"].startswith("Halo Siti Rahayu,")
    assert "siti@example.id" in row["body"]
    assert row["address"] == "siti@example.id"
    assert row["next_attempt_at"] == row["created_at"]  # due at once
    assert city_run("semarang", _rows) == []


def test_notify_in_english_when_asked(client, city_run):
    async def scenario():
        uid = await _user()
        await notify(uid, "core.welcome", {"login": "x"}, locale="en")
        await notify(uid, "core.welcome", {"login": "x"}, locale="xx")  # unknown: the city's
        return await _rows()

    english, fallback = city_run("malang", scenario)
    assert english["locale"] == "en"
    assert english["subject"] == "Welcome to the services of Kota Malang"
    assert fallback["locale"] == "id"


def test_a_rolled_back_transaction_leaves_no_message(client, city_run):
    class Boom(Exception):
        pass

    async def scenario():
        with pytest.raises(Boom):
            async with OutboxMessage._meta.db.transaction():
                uid = await _user()
                await notify(uid, "core.welcome", {"login": "siti@example.id"})
                assert len(await _rows()) == 1  # visible inside the transaction
                raise Boom
        after_rollback = (await _rows(), await User.count())
        async with OutboxMessage._meta.db.transaction():
            uid = await _user(email="budi@example.id")
            await notify(uid, "core.welcome", {"login": "budi@example.id"})
        return after_rollback, await _rows()

    (rolled_back, users), committed = city_run("malang", scenario)
    assert rolled_back == [] and users == 0
    assert len(committed) == 1


def test_notify_refuses_bad_calls(client, city_run):
    uid = city_run("malang", _user)
    phone_only = city_run("malang", partial(_user, name="Budi", email=None, phone="+6281234567890"))
    with pytest.raises(UnknownRecipientError):
        city_run("malang", partial(notify, uid + 1000, "core.welcome", {"login": ""}))
    with pytest.raises(UnknownRecipientError):  # an account of another city
        city_run("semarang", partial(notify, uid, "core.welcome", {"login": ""}))
    with pytest.raises(UnknownChannelError, match="no notification channel 'pigeon'"):
        city_run("malang", partial(notify, uid, "core.welcome", {"login": ""}, channel="pigeon"))
    with pytest.raises(ValueError, match="namespaced"):
        city_run("malang", partial(notify, uid, "welcome", {}))
    with pytest.raises(TemplateMissingError):
        city_run("malang", partial(notify, uid, "core.no_such_kind", {}))

    class OnlyEmail:
        name = "email"

        def address_for(self, recipient):
            return recipient.email

        async def send(self, message, context):
            raise AssertionError("not sent in this test")

    runtime.active().channels["email"] = OnlyEmail()
    with pytest.raises(UnknownChannelError, match="cannot reach"):
        city_run(
            "malang", partial(notify, phone_only, "core.welcome", {"login": ""}, channel="email")
        )
    # Without a channel named: email when it reaches them, else a text, else the file.
    city_run("malang", partial(notify, phone_only, "core.welcome", {"login": ""}))
    city_run("malang", partial(notify, uid, "core.welcome", {"login": ""}))
    del runtime.active().channels["sms"]
    city_run("malang", partial(notify, phone_only, "core.welcome", {"login": ""}))
    assert [r["channel"] for r in city_run("malang", _rows)] == ["sms", "email", "file"]


def test_templates_are_looked_up_plugin_first_then_theme_then_other_languages():
    assert candidates("pajak.due", "email", ["en", "id", "id"]) == [
        "pajak/notifications/due.email.en.txt",
        "pajak/notifications/due.en.txt",
        "notifications/pajak.due.email.en.txt",
        "notifications/pajak.due.en.txt",
        "pajak/notifications/due.email.id.txt",
        "pajak/notifications/due.id.txt",
        "notifications/pajak.due.email.id.txt",
        "notifications/pajak.due.id.txt",
    ]


def test_templates_link_with_full_urls_from_the_citys_base_url(balai_app_factory):
    from balai.testing import run_in_city

    app = balai_app_factory(
        cities={"malang": [], "semarang": []},
        city_options={"malang": {"base_url": "https://layanan.malangkota.go.id/"}},
    )

    async def scenario():
        await notify(await _user(), "core.welcome", {"login": "siti@example.id"})
        return await _rows()

    body = run_in_city(app, "malang", scenario)[0]["body"]
    assert "https://layanan.malangkota.go.id/masuk" in body
    other = run_in_city(app, "semarang", scenario)[0]["body"]
    assert "https://semarang.localhost/masuk" in other  # no base_url: from the first host


def test_text_templates_are_not_html_escaped(client, city_run):
    async def scenario():
        uid = await _user(name="Siti & <Budi>")
        await notify(uid, "core.welcome", {"login": "a&b@example.id"})
        return await _rows()

    body = city_run("malang", scenario)[0]["body"]
    assert "Siti & <Budi>" in body and "a&b@example.id" in body


def test_registration_queues_the_welcome_message(client, post_form, city_run):
    form = {
        "name": "Dewi Lestari",
        "email": "dewi@example.id",
        "phone": "",
        "password": "rahasia-panjang-42",
        "password_confirm": "rahasia-panjang-42",
    }
    assert post_form("/malang/daftar", form).status_code == 303
    rows = city_run("malang", _rows)
    assert [(r["kind"], r["subject"]) for r in rows] == [
        ("core.welcome", "Selamat datang di layanan Kota Malang"),
        ("core.code_verify", rows[1]["subject"]),
    ]
    assert rows[1]["subject"].startswith("Kode verifikasi Kota Malang: ")
    assert "dewi@example.id" in rows[0]["body"]


def test_registration_is_undone_when_its_message_cannot_be_queued(
    client, post_form, city_run, monkeypatch
):
    def broken(*args, **kwargs):
        raise TemplateMissingError("no template")

    monkeypatch.setattr(templates, "render", broken)
    assert outbox.templates.render is broken
    form = {
        "name": "Dewi Lestari",
        "email": "dewi@example.id",
        "phone": "",
        "password": "rahasia-panjang-42",
        "password_confirm": "rahasia-panjang-42",
    }
    assert post_form("/malang/daftar", form).status_code == 500
    assert city_run("malang", User.count) == 0
    assert city_run("malang", _rows) == []
