"""Handling: queues (urgent first), assign, steps with comments, merge, transfer, SLA, reporter."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from pengaduan_support import confirm_phone, jpeg, rows

from balai_pengaduan.handling import sla
from balai_pengaduan.tables import Follower, Member, Note, Photo, Report

REPORT = "/malang/pengaduan/lapor"
GOOD = {
    "category": "lampu",
    "description": "Lampu jalan mati di depan rumah nomor 12.",
    "address": "Jl. Ijen 12",
}
OFFICE = "/malang/kelola/pengaduan"


def make_member(city_run, user_id, department, head=False):
    async def insert():
        await Member.insert(Member(user_id=user_id, department=department, head=head))

    city_run("malang", insert)


def report_as_phone(client, post_form, data=GOOD, files=None):
    confirm_phone(client, post_form)
    answer = post_form(REPORT, data, files=files)
    assert answer.status_code == 303, answer.text
    return answer.headers["location"].rsplit("/", 1)[-1]


def test_office_pages_need_the_permission(client, login_as):
    assert client.get(f"{OFFICE}/", follow_redirects=False).status_code in (302, 303)
    login_as()
    assert client.get(f"{OFFICE}/").status_code == 403
    assert client.get(f"{OFFICE}/dinas").status_code == 403


def test_emergency_report_is_at_the_top_of_the_queue(client, login_as, post_form, city_run):
    login_as()
    for _ in range(2):
        assert post_form(REPORT, GOOD).status_code == 303
    assert (
        post_form(REPORT, {**GOOD, "category": "kebakaran", "address": "Pasar"}).status_code == 303
    )
    emergency = next(r for r in rows(city_run) if r["urgent"])
    client.get("/malang/keluar")
    login_as("pengaduan.officer", email="petugas@malang.test")
    page = client.get(f"{OFFICE}/", params={"dinas": ""}).text
    page = page[page.index("<tbody") :]
    numbers = [r["number"] for r in rows(city_run)]
    positions = sorted((page.index(n), n) for n in numbers)
    assert positions[0][1] == emergency["number"]


def test_officer_assigns_resolves_and_the_reporter_confirms(client, login_as, post_form, city_run):
    number = report_as_phone(client, post_form, files={"photo": ("a.jpg", jpeg(), "image/jpeg")})
    reporter_cookies = dict(client.cookies)
    client.cookies.clear()
    officer = login_as("pengaduan.officer", email="petugas@malang.test")
    make_member(city_run, officer["id"], "pupr")
    page = client.get(f"{OFFICE}/laporan/{number}")
    assert page.status_code == 200 and "Budi" in page.text  # the officer sees the reporter
    assert (
        post_form(
            f"{OFFICE}/laporan/{number}/tugaskan", {"assignee": str(officer["id"]), "seen": "new"}
        ).status_code
        == 303
    )
    row = rows(city_run)[0]
    assert row["status"] == "assigned" and row["assignee_id"] == officer["id"]
    assert row["first_response_at"] is not None
    refused = post_form(
        f"{OFFICE}/laporan/{number}/langkah", {"step": "resolve", "comment": "", "seen": "assigned"}
    )
    assert refused.status_code == 400
    assert (
        post_form(
            f"{OFFICE}/laporan/{number}/langkah",
            {"step": "resolve", "comment": "Lampu sudah diganti.", "seen": "assigned"},
        ).status_code
        == 303
    )
    photo = city_run("malang", lambda: Photo.select().first())
    assert post_form(f"{OFFICE}/laporan/{number}/foto/{photo['id']}/izinkan", {}).status_code == 303
    client.cookies.clear()
    client.cookies.update(reporter_cookies)
    public = client.get(f"/malang/pengaduan/laporan/{number}").text
    assert "Lampu sudah diganti." in public and "/berkas/" in public
    assert (
        post_form(
            f"/malang/pengaduan/laporan/{number}/langkah", {"step": "confirm", "seen": "resolved"}
        ).status_code
        == 303
    )
    assert rows(city_run)[0]["status"] == "closed"


def test_reporter_reopens_with_a_reason_within_the_window(client, login_as, post_form, city_run):
    user = login_as()
    assert post_form(REPORT, GOOD).status_code == 303
    number = rows(city_run)[0]["number"]

    async def resolve(days_ago):
        await Report.update(
            {
                Report.status: "resolved",
                Report.first_response_at: datetime.now(UTC),
                Report.resolved_at: datetime.now(UTC) - timedelta(days=days_ago),
            }
        )

    city_run("malang", resolve, 1)
    step = f"/malang/pengaduan/laporan/{number}/langkah"
    assert post_form(step, {"step": "reopen", "comment": "", "seen": "resolved"}).status_code == 400
    assert (
        post_form(
            step, {"step": "reopen", "comment": "Masih mati.", "seen": "resolved"}
        ).status_code
        == 303
    )
    assert rows(city_run)[0]["status"] == "reopened"
    city_run("malang", resolve, 30)
    late = post_form(step, {"step": "confirm", "seen": "resolved"})
    assert late.status_code == 400
    assert rows(city_run)[0]["status"] == "resolved"
    assert user


def test_public_and_internal_comments(client, login_as, post_form, city_run):
    number = report_as_phone(client, post_form)
    client.cookies.clear()
    login_as("pengaduan.officer", email="petugas@malang.test")
    comment = f"{OFFICE}/laporan/{number}/komentar"
    assert (
        post_form(
            comment, {"body": "Catatan rahasia petugas", "visibility": "internal"}
        ).status_code
        == 303
    )
    assert (
        post_form(comment, {"body": "Kami sedang mengecek", "visibility": "public"}).status_code
        == 303
    )
    assert post_form(comment, {"body": "", "visibility": "public"}).status_code == 400
    public = client.get(f"/malang/pengaduan/laporan/{number}").text
    assert "Kami sedang mengecek" in public and "Catatan rahasia" not in public
    assert len(city_run("malang", lambda: Note.select())) == 1


def test_merge_makes_the_reporter_follow_the_other_report(client, login_as, post_form, city_run):
    login_as()
    assert post_form(REPORT, GOOD).status_code == 303
    assert post_form(REPORT, {**GOOD, "baru": "1"}).status_code == 303
    first, second = rows(city_run)
    client.cookies.clear()
    login_as("pengaduan.officer", email="petugas@malang.test")
    merge = f"{OFFICE}/laporan/{second['number']}/gabung"
    assert post_form(merge, {"target": second["number"], "seen": "new"}).status_code == 400
    assert post_form(merge, {"target": "NGL-2026-AAAA-AAAA-A", "seen": "new"}).status_code == 400
    assert post_form(merge, {"target": first["number"], "seen": "new"}).status_code == 303
    merged = rows(city_run)[1]
    assert merged["status"] == "merged" and merged["merged_into"] == first["number"]
    # the same reporter made both: no follow of one's own report
    assert city_run("malang", lambda: Follower.count()) == 0


def test_transfer_moves_the_report_to_another_queue(client, login_as, post_form, city_run):
    number = report_as_phone(client, post_form)
    client.cookies.clear()
    login_as("pengaduan.officer", email="petugas@malang.test")
    move = f"{OFFICE}/laporan/{number}/alihkan"
    assert post_form(move, {"department": "pupr", "seen": "new"}).status_code == 400
    assert post_form(move, {"department": "nope", "seen": "new"}).status_code == 400
    assert (
        post_form(move, {"department": "dlh", "comment": "Ini sampah", "seen": "new"}).status_code
        == 303
    )
    assert rows(city_run)[0]["department"] == "dlh"
    assert number in client.get(f"{OFFICE}/", params={"dinas": "dlh"}).text
    assert number not in client.get(f"{OFFICE}/", params={"dinas": "pupr"}).text


def test_a_form_sent_after_the_report_moved_is_refused(client, login_as, post_form, city_run):
    number = report_as_phone(client, post_form)
    client.cookies.clear()
    officer = login_as("pengaduan.officer", email="petugas@malang.test")
    assign = f"{OFFICE}/laporan/{number}/tugaskan"
    assert post_form(assign, {"assignee": str(officer["id"]), "seen": "new"}).status_code == 303
    again = post_form(f"{OFFICE}/laporan/{number}/langkah", {"step": "start", "seen": "new"})
    assert again.status_code in (400, 409)


def test_overdue_reports_are_escalated_once_to_the_head(client, login_as, post_form, city_run):
    number = report_as_phone(client, post_form)
    client.cookies.clear()
    head = login_as("pengaduan.officer", email="kepala@malang.test")
    make_member(city_run, head["id"], "pupr", head=True)

    async def age():
        await Report.update({Report.response_due: datetime.now(UTC) - timedelta(hours=1)})

    city_run("malang", age)
    from balai.notifications.tables import OutboxMessage

    async def run_job():
        from balai import toolkit as tk

        return await sla.escalate(tk.current_city())

    assert city_run("malang", run_job) == 1
    assert city_run("malang", run_job) == 0
    sent = city_run(
        "malang",
        lambda: OutboxMessage.select().where(
            (OutboxMessage.user_id == head["id"])
            & (OutboxMessage.kind == "pengaduan.report_overdue")
        ),
    )
    assert len(sent) == 1 and number in sent[0]["body"]
    page = client.get(f"{OFFICE}/laporan/{number}").text
    assert "terlambat" in page or "overdue" in page


def test_clock_labels_follow_the_state():
    now = datetime(2026, 12, 7, 12, tzinfo=UTC)
    row = {
        "status": "new",
        "first_response_at": None,
        "response_due": now + timedelta(minutes=90),
        "resolution_due": now + timedelta(days=3),
    }
    running = sla.clock(row, now)
    assert running.what == "response" and running.minutes_left == 90 and not running.overdue
    answered = sla.clock({**row, "first_response_at": now}, now)
    assert answered.what == "resolution"
    late = sla.clock({**row, "response_due": now - timedelta(minutes=5)}, now)
    assert late.overdue and late.minutes_left == -5
    assert sla.clock({**row, "status": "closed"}, now).what == ""


def test_desk_puts_officers_in_departments(client, login_as, post_form, city_run):
    officer = login_as("pengaduan.officer", email="petugas@malang.test")
    client.cookies.clear()
    login_as("pengaduan.desk", email="meja@malang.test")
    assert client.get(f"{OFFICE}/dinas").status_code == 200
    assert (
        post_form(
            f"{OFFICE}/dinas", {"login": "nobody@malang.test", "department": "pupr"}
        ).status_code
        == 400
    )
    assert (
        post_form(
            f"{OFFICE}/dinas", {"login": "petugas@malang.test", "department": "pupr", "head": "1"}
        ).status_code
        == 303
    )
    (member,) = city_run("malang", lambda: Member.select())
    assert member["user_id"] == officer["id"] and member["head"]
    assert post_form(f"{OFFICE}/dinas/{member['id']}/hapus", {}).status_code == 303
    assert city_run("malang", lambda: Member.count()) == 0


def _photos(city_run):
    return city_run("malang", lambda: Photo.select().order_by(Photo.id))


def test_several_photos_kept_across_an_error_each_cleared_on_its_own(
    client, login_as, post_form, city_run
):
    confirm_phone(client, post_form)
    files = {
        "photo": ("a.jpg", jpeg(40, 30), "image/jpeg"),
        "photo_2": ("b.jpg", jpeg(50, 30), "image/jpeg"),
        "photo_3": ("c.jpg", b"not an image at all", "image/jpeg"),
    }
    refused = post_form(REPORT, GOOD, files=files)
    assert refused.status_code == 400
    assert rows(city_run) == [] and _photos(city_run) == []
    kept = dict(re.findall(r'name="(photo(?:_\d)?__kept)" value="([^"]+)"', refused.text))
    assert set(kept) == {"photo__kept", "photo_2__kept"}  # the good ones need no second choice
    # Sent again with the kept photos, a fourth one, and a fifth the form has no place for.
    more = {
        "photo_4": ("d.jpg", jpeg(60, 30), "image/jpeg"),
        "photo_5": ("e.jpg", jpeg(70, 30), "image/jpeg"),
    }
    answer = post_form(REPORT, {**GOOD, **kept}, files=more)
    assert answer.status_code == 303, answer.text
    number = answer.headers["location"].rsplit("/", 1)[-1]
    photos = _photos(city_run)
    assert len(photos) == 3 and {p["file_id"] for p in photos} >= set(kept.values())
    public = f"/malang/pengaduan/laporan/{number}"
    assert "/berkas/" not in client.get(public).text  # none cleared yet
    client.cookies.clear()
    officer = login_as("pengaduan.officer", email="petugas@malang.test")
    make_member(city_run, officer["id"], "pupr")
    office = client.get(f"{OFFICE}/laporan/{number}").text
    assert office.count("/foto/") == 3  # one clear button per photo
    second = photos[1]
    cleared = post_form(f"{OFFICE}/laporan/{number}/foto/{second['id']}/izinkan", {})
    assert cleared.status_code == 303
    shown = re.findall(
        r'<img class="pengaduan-photo" src="[^"]*/berkas/([^/"]+)/', client.get(public).text
    )
    assert shown == [second["file_id"]]
