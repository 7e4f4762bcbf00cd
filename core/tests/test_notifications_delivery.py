"""Delivery: file, SMTP and webhook channels end to end; backoff; one send per message."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import threading
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from balai.auth.accounts import create_user
from balai.notifications import runtime
from balai.notifications.channels import (
    DeliveryError,
    EmailChannel,
    SmtpSettings,
    WebhookChannel,
    channels_from_environment,
)
from balai.notifications.delivery import MAX_ATTEMPTS, deliver_pending, retry_delay
from balai.notifications.outbox import notify
from balai.notifications.tables import OutboxMessage
from balai.testing import DEFAULT_PASSWORD, write_config


@pytest.fixture
def balai_config(tmp_path, balai_cities):
    """No job runner: the tests run delivery passes themselves, at chosen times."""
    return write_config(tmp_path / "instance", balai_cities, instance={"run_jobs": False})


async def _rows() -> list[dict]:
    return await OutboxMessage.select().order_by(OutboxMessage.id)


async def _queue(count=1, channel=None, email="siti@example.id", phone="+6281234567890") -> int:
    uid = await create_user(name="Siti Rahayu", password=DEFAULT_PASSWORD, email=email, phone=phone)
    for n in range(count):
        await notify(uid, "core.welcome", {"login": f"login-{n}"}, channel=channel)
    return uid


class Recording:
    """A channel that remembers what it sent and fails while told to."""

    def __init__(self, name="rekam", failures=0, delay=0.0):
        self.name = name
        self.failures = failures
        self.delay = delay
        self.sent = []

    def address_for(self, recipient):
        return recipient.email

    async def send(self, message, context):
        await asyncio.sleep(self.delay)
        if self.failures:
            self.failures -= 1
            raise DeliveryError("gateway down")
        self.sent.append(message)


def test_the_retry_schedule():
    assert [retry_delay(n) for n in range(1, MAX_ATTEMPTS + 1)] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=25),
        timedelta(minutes=125),
        timedelta(minutes=625),
        None,
    ]


def test_the_file_channel_writes_the_city_outbox_and_marks_sent(client, balai_app, city_run):
    city_run("malang", partial(_queue, 2, "file"))
    report = city_run("malang", deliver_pending)
    assert (report.sent, report.retrying, report.failed) == (2, 0, 0)
    rows = city_run("malang", _rows)
    assert {r["status"] for r in rows} == {"sent"}
    assert all(r["sent_at"] is not None and r["attempts"] == 1 for r in rows)
    log = (balai_app.ui.config.data_dir / "outbox" / "malang.log").read_text(encoding="utf-8")
    assert log.count("Subject: Selamat datang di layanan Kota Malang") == 2
    assert "login-0" in log and "login-1" in log and "To: siti@example.id" in log
    assert city_run("malang", deliver_pending).sent == 0  # nothing left
    assert not (balai_app.ui.config.data_dir / "outbox" / "semarang.log").exists()


def test_failures_back_off_then_give_up(client, city_run):
    channel = Recording(failures=100)
    runtime.active().channels[channel.name] = channel
    city_run("malang", partial(_queue, 1, channel.name))
    start = datetime.now(UTC) + timedelta(seconds=1)
    at = start
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        early = city_run("malang", partial(deliver_pending, now=at - timedelta(seconds=30)))
        if attempt > 1:
            assert early.retrying == 0 and early.failed == 0  # not due yet
        report = city_run("malang", partial(deliver_pending, now=at))
        row = city_run("malang", _rows)[0]
        assert row["attempts"] == attempt
        assert row["last_error"] == "gateway down"
        if attempt < MAX_ATTEMPTS:
            assert report.retrying == 1 and row["status"] == "pending"
            waits.append(row["next_attempt_at"] - at)
            at = row["next_attempt_at"]
        else:
            assert report.failed == 1 and row["status"] == "failed"
    assert waits == [timedelta(minutes=m) for m in (1, 5, 25, 125, 625)]
    assert city_run("malang", partial(deliver_pending, now=at + timedelta(days=30))).failed == 0
    assert channel.sent == []


def test_a_message_is_sent_after_a_failure(client, city_run):
    channel = Recording(failures=1)
    runtime.active().channels[channel.name] = channel
    city_run("malang", partial(_queue, 1, channel.name))
    now = datetime.now(UTC) + timedelta(seconds=1)
    assert city_run("malang", partial(deliver_pending, now=now)).retrying == 1
    assert city_run("malang", partial(deliver_pending, now=now + timedelta(minutes=1))).sent == 1
    row = city_run("malang", _rows)[0]
    assert (row["status"], row["attempts"], row["last_error"]) == ("sent", 2, "")
    assert len(channel.sent) == 1


def test_concurrent_passes_send_each_message_once(client, city_run):
    channel = Recording(delay=0.02)
    runtime.active().channels[channel.name] = channel
    city_run("malang", partial(_queue, 10, channel.name))

    async def two_workers():
        return await asyncio.gather(deliver_pending(), deliver_pending(), deliver_pending())

    reports = city_run("malang", two_workers)
    assert sum(r.sent for r in reports) == 10
    assert sorted(m.id for m in channel.sent) == [r["id"] for r in city_run("malang", _rows)]


def test_a_claimed_message_waits_for_its_lease(client, city_run):
    channel = Recording()
    runtime.active().channels[channel.name] = channel
    city_run("malang", partial(_queue, 1, channel.name))
    now = datetime.now(UTC) + timedelta(seconds=1)

    async def crashed_worker():  # took the message, then died before sending
        await OutboxMessage.update(
            {OutboxMessage.attempts: 1, OutboxMessage.next_attempt_at: now + timedelta(minutes=10)}
        ).where(OutboxMessage.status == "pending")

    city_run("malang", crashed_worker)
    assert city_run("malang", partial(deliver_pending, now=now + timedelta(minutes=9))).sent == 0
    assert city_run("malang", partial(deliver_pending, now=now + timedelta(minutes=10))).sent == 1
    assert city_run("malang", _rows)[0]["attempts"] == 2


def test_a_channel_no_longer_configured_is_retried(client, city_run):
    channel = Recording()
    runtime.active().channels[channel.name] = channel
    city_run("malang", partial(_queue, 1, channel.name))
    del runtime.active().channels[channel.name]
    report = city_run("malang", deliver_pending)
    assert report.retrying == 1
    assert "not configured" in city_run("malang", _rows)[0]["last_error"]


def test_the_delivery_job_runs_every_30_seconds(balai_app):
    jobs = {
        j.name: j
        for j in balai_app.ui.jobs.catalog.for_city(balai_app.ui.config.cities["semarang"])
    }
    job = jobs["notifications.deliver"].job
    assert job.every == timedelta(seconds=30)


# --- SMTP, a real conversation -------------------------------------------------


class TinySMTPServer:
    """An SMTP server on 127.0.0.1 in its own thread: EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT."""

    def __init__(self, refuse_rcpt=False):
        self.refuse_rcpt = refuse_rcpt
        self.messages = []
        self.logins = []
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self.thread.start()
        assert self.ready.wait(5)
        return self

    def __exit__(self, *exc):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)

    def _run(self):
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._session, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self.ready.set()
        self.loop.run_forever()
        server.close()

    async def _session(self, reader, writer):
        def say(line):
            writer.write(line.encode() + b"\r\n")

        say("220 tiny.test ESMTP")
        envelope = {"rcpt": []}
        while line := (await reader.readline()).decode().rstrip("\r\n"):
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                say("250-tiny.test")
                say("250 AUTH PLAIN")
            elif verb == "AUTH":
                _, _, token = line.split(" ", 2)
                self.logins.append(base64.b64decode(token).split(b"\0")[1:])
                say("235 2.7.0 Authentication successful")
            elif verb == "MAIL":
                envelope["from"] = line[10:]
                say("250 OK")
            elif verb == "RCPT":
                if self.refuse_rcpt:
                    say("550 5.1.1 No such mailbox")
                else:
                    envelope["rcpt"].append(line[8:])
                    say("250 OK")
            elif verb == "DATA":
                say("354 End data with <CR><LF>.<CR><LF>")
                data = await reader.readuntil(b"\r\n.\r\n")
                envelope["data"] = data[: -len(b"\r\n.\r\n")]
                self.messages.append(envelope)
                envelope = {"rcpt": []}
                say("250 OK queued")
            elif verb == "RSET":
                envelope = {"rcpt": []}
                say("250 OK")
            elif verb == "QUIT":
                say("221 Bye")
                await writer.drain()
                break
            else:
                say("502 Command not implemented")
            await writer.drain()
        writer.close()


def test_email_is_delivered_over_smtp(client, city_run):
    with TinySMTPServer() as smtp:
        url = f"smtp://layanan:rahasia%21@127.0.0.1:{smtp.port}?from=layanan@malangkota.go.id"
        runtime.active().channels["email"] = EmailChannel(SmtpSettings.from_url(url))
        city_run("malang", _queue)  # email configured + an address: email by default
        report = city_run("malang", deliver_pending)

    assert report.sent == 1
    assert smtp.logins == [[b"layanan", b"rahasia!"]]
    [envelope] = smtp.messages
    assert envelope["from"] == "<layanan@malangkota.go.id>"
    assert envelope["rcpt"] == ["<siti@example.id>"]
    mail = message_from_bytes(envelope["data"], policy=policy.default)
    assert mail["Subject"] == "Selamat datang di layanan Kota Malang"
    assert mail["To"] == "siti@example.id"
    assert mail["Content-Language"] == "id"
    assert "Halo Siti Rahayu" in mail.get_content()
    row = city_run("malang", _rows)[0]
    assert (row["channel"], row["status"]) == ("email", "sent")


def test_an_smtp_refusal_is_retried(client, city_run):
    with TinySMTPServer(refuse_rcpt=True) as smtp:
        url = f"smtp://127.0.0.1:{smtp.port}"
        runtime.active().channels["email"] = EmailChannel(SmtpSettings.from_url(url))
        city_run("malang", _queue)
        report = city_run("malang", deliver_pending)
    assert report.retrying == 1
    row = city_run("malang", _rows)[0]
    assert row["status"] == "pending"
    assert "SMTPRecipientsRefused" in row["last_error"]


def test_an_unreachable_smtp_server_is_retried(client, city_run):
    with TinySMTPServer() as smtp:
        port = smtp.port
    runtime.active().channels["email"] = EmailChannel(
        SmtpSettings.from_url(f"smtp://127.0.0.1:{port}")
    )
    city_run("malang", _queue)
    assert city_run("malang", deliver_pending).retrying == 1
    assert city_run("malang", _rows)[0]["last_error"].startswith("SMTP: ")


def test_smtp_urls():
    settings = SmtpSettings.from_url("smtps://a%40b:p%3Aw@mail.kota.go.id?starttls=0")
    assert (settings.host, settings.port, settings.username, settings.password) == (
        "mail.kota.go.id",
        465,
        "a@b",
        "p:w",
    )
    assert settings.implicit_tls and not settings.starttls
    assert settings.sender == "noreply@mail.kota.go.id"
    plain = SmtpSettings.from_url("smtp://mail:2525?starttls=1&from=x@kota.go.id")
    assert (plain.port, plain.starttls, plain.sender, plain.username) == (
        2525,
        True,
        "x@kota.go.id",
        None,
    )
    with pytest.raises(ValueError):
        SmtpSettings.from_url("http://mail.kota.go.id")


def test_the_environment_chooses_the_channels():
    assert [c.name for c in channels_from_environment({})] == ["file"]
    names = [
        c.name
        for c in channels_from_environment(
            {
                "BALAI_SMTP_URL": "smtp://mail:25",
                "BALAI_WHATSAPP_WEBHOOK_URL": "http://wa.local/kirim",
                "BALAI_SMS_WEBHOOK_URL": "http://sms.local/kirim",
            }
        )
    ]
    assert names == ["file", "email", "whatsapp", "sms"]


# --- the webhook adapter (WhatsApp / SMS gateways) -----------------------------


class Gateway:
    """A local HTTP server standing in for a messaging gateway."""

    def __init__(self, status=200):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["content-length"]))
                received.append((dict(self.headers), body))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/kirim"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_a_whatsapp_message_is_posted_signed_to_the_gateway(client, city_run):
    with Gateway() as gateway:
        runtime.active().channels["whatsapp"] = WebhookChannel("whatsapp", gateway.url, "s3cret")
        city_run("malang", partial(_queue, 1, "whatsapp"))
        assert city_run("malang", deliver_pending).sent == 1
    [(headers, body)] = gateway.received
    payload = json.loads(body)
    row = city_run("malang", _rows)[0]
    assert payload == {
        "id": f"malang-{row['id']}",
        "city": "malang",
        "kind": "core.welcome",
        "to": "+6281234567890",
        "locale": "id",
        "subject": "Selamat datang di layanan Kota Malang",
        "text": row["body"],
    }
    expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["x-balai-signature"] == expected
    assert row["status"] == "sent"


def test_a_gateway_error_is_retried(client, city_run):
    with Gateway(status=503) as gateway:
        runtime.active().channels["sms"] = WebhookChannel("sms", gateway.url)
        city_run("malang", partial(_queue, 1, "sms"))
        assert city_run("malang", deliver_pending).retrying == 1
    headers, _ = gateway.received[0]
    assert "x-balai-signature" not in {k.lower() for k in headers}
    assert city_run("malang", _rows)[0]["last_error"] == "sms gateway answered 503"
