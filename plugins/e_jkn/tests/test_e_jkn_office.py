"""Dinkes's queue, the NIK reveal (audited), documents, decisions; the BPJS batch; the card."""

from __future__ import annotations

import pytest
from balai.audit.tables import AuditEntry
from balai_e_jkn.registration import register_batch
from balai_e_jkn.registries.people import HIDAYAT, SANTOSO
from balai_e_jkn.registries.sandboxes import sandboxes_for
from balai_e_jkn.tables import Enrolment, Member
from balai_e_jkn.workflow import APPLICATION
from e_jkn_support import documents, family_data

APPLY = "/malang/e-jkn/daftar"


def apply(client, login_as, post_form, people, name="Budi Santoso"):
    citizen = login_as(name=name)
    response = post_form(APPLY, family_data(people), files=documents())
    assert response.status_code == 303, response.text
    return citizen, response.headers["location"].rsplit("/", 1)[1]


def officer_step(post_form, number, step, comment="", reason_code="documents"):
    return post_form(
        f"/malang/kelola/e-jkn/pengajuan/{number}/langkah",
        {"step": step, "comment": comment, "reason_code": reason_code},
    )


def run_batch(balai_app, city_run):
    return city_run("malang", register_batch, balai_app.ui.config.cities["malang"])


def status_of(city_run, number):
    async def read():
        row = await Enrolment.select(Enrolment.status).where(Enrolment.number == number).first()
        return row["status"]

    return city_run("malang", read)


def test_the_queue_and_the_application_need_the_health_officer_role(client, login_as, post_form):
    _, number = apply(client, login_as, post_form, SANTOSO)
    assert client.get(f"/malang/kelola/e-jkn/pengajuan/{number}").status_code == 403
    login_as("e_jkn.officer")
    queue = client.get("/malang/kelola/e-jkn/antrean")
    assert queue.status_code == 200 and number in queue.text
    page = client.get(f"/malang/kelola/e-jkn/pengajuan/{number}")
    assert page.status_code == 200
    assert SANTOSO[0].nik not in page.text and "3573**********" in page.text
    assert "belum diverifikasi" in page.text


def test_revealing_the_nik_needs_a_reason_and_is_shown_to_the_citizen(
    client, login_as, post_form, city_run
):
    citizen, number = apply(client, login_as, post_form, SANTOSO)
    login_as("e_jkn.officer")
    url = f"/malang/kelola/e-jkn/pengajuan/{number}/nik"
    refused = post_form(url, {"reason": "cek"})
    assert refused.status_code == 400 and SANTOSO[0].nik not in refused.text
    shown = post_form(url, {"reason": "Mencocokkan dengan KTP yang buram"})
    assert shown.status_code == 200
    for person in SANTOSO:
        assert person.nik in shown.text

    async def entries():
        return await AuditEntry.select(AuditEntry.action, AuditEntry.personal_data_of).where(
            AuditEntry.action == "e_jkn.nik_revealed"
        )

    assert city_run("malang", entries) == [
        {"action": "e_jkn.nik_revealed", "personal_data_of": citizen["id"]}
    ]
    client.cookies.clear()
    post_form("/malang/masuk", {"login": citizen["login"], "password": citizen["password"]})
    mine = client.get("/malang/audit/data-saya")
    assert "e_jkn.nik_revealed" in mine.text or "Mencocokkan dengan KTP" in mine.text


def test_the_officer_sees_the_documents_and_the_view_is_audited(
    client, login_as, post_form, city_run
):
    citizen, number = apply(client, login_as, post_form, SANTOSO)
    login_as("e_jkn.officer")
    for which in ("ktp", "kk"):
        response = client.get(f"/malang/kelola/e-jkn/pengajuan/{number}/dokumen/{which}")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("image/")
        assert "no-store" in response.headers["cache-control"]
    assert client.get(f"/malang/kelola/e-jkn/pengajuan/{number}/dokumen/x").status_code == 404

    async def views():
        return await AuditEntry.count().where(
            (AuditEntry.action == "files.viewed") & (AuditEntry.personal_data_of == citizen["id"])
        )

    assert city_run("malang", views) == 2


def test_rejecting_needs_a_reason_frees_the_niks_and_tells_the_applicant(
    client, login_as, post_form, city_run
):
    _, number = apply(client, login_as, post_form, SANTOSO)
    login_as("e_jkn.officer")
    assert officer_step(post_form, number, "reject").status_code == 400
    assert (
        officer_step(post_form, number, "reject", "Foto buram", reason_code="").status_code == 400
    )
    assert (
        officer_step(post_form, number, "reject", "Foto", reason_code="bpjs_refused").status_code
        == 400
    )
    assert status_of(city_run, number) == "submitted"
    assert officer_step(post_form, number, "reject", "Foto KK tidak terbaca").status_code == 303
    assert status_of(city_run, number) == "rejected"

    async def open_niks():
        return await Member.count().where(Member.open_nik_index.is_not_null())

    assert city_run("malang", open_niks) == 0
    _, again = apply(client, login_as, post_form, SANTOSO)  # may apply again
    assert again != number


def test_verify_then_the_batch_registers_everyone_and_the_card_shows(
    client, login_as, post_form, city_run, balai_app
):
    citizen, number = apply(client, login_as, post_form, SANTOSO)
    login_as("e_jkn.officer")
    assert officer_step(post_form, number, "verify").status_code == 303
    assert status_of(city_run, number) == "verified"

    result = run_batch(balai_app, city_run)
    assert (result.registered, result.refused, result.outage) == (3, 0, False)
    assert status_of(city_run, number) == "approved"

    async def steps():
        record = await Enrolment.select(Enrolment.id).where(Enrolment.number == number).first()
        return [s["to_state"] for s in await APPLICATION.history(record["id"])]

    assert city_run("malang", steps) == ["submitted", "verified", "approved"]

    client.cookies.clear()
    post_form("/malang/masuk", {"login": citizen["login"], "password": citizen["password"]})
    card = client.get(f"/malang/e-jkn/kartu/{number}/0")
    assert card.status_code == 200
    assert "0002" in card.text and "<svg" in card.text and "Kelas 3" in card.text
    assert client.get(f"/malang/e-jkn/kartu/{number}/0/surat").status_code == 200
    assert client.get(f"/malang/e-jkn/kartu/{number}/7").status_code == 404


def test_an_outage_in_the_middle_of_a_batch_never_registers_anyone_twice(
    client, login_as, post_form, city_run, balai_app
):
    _, first = apply(client, login_as, post_form, SANTOSO)
    _, second = apply(client, login_as, post_form, HIDAYAT, name="Agus Hidayat")
    login_as("e_jkn.officer")
    for number in (first, second):
        assert officer_step(post_form, number, "verify").status_code == 303
    bpjs = sandboxes_for("malang").bpjs
    bpjs.switches.fail_after = 4  # BPJS goes down after four registrations

    broken = run_batch(balai_app, city_run)
    assert (broken.registered, broken.outage) == (4, True)
    assert status_of(city_run, first) == "approved"
    assert status_of(city_run, second) == "verified"
    assert run_batch(balai_app, city_run).registered == 0  # still down: nothing sent

    bpjs.switches.outage, bpjs.switches.fail_after = False, None
    assert run_batch(balai_app, city_run).registered == 3
    assert status_of(city_run, second) == "approved"
    everyone = [p.nik for p in (*SANTOSO, *HIDAYAT)]
    assert sorted(bpjs.registrations) == sorted(everyone)  # each exactly once
    assert run_batch(balai_app, city_run).registered == 0


def test_someone_bpjs_refuses_is_kept_with_the_reason(
    client, login_as, post_form, city_run, balai_app
):
    _, number = apply(client, login_as, post_form, SANTOSO)
    login_as("e_jkn.officer")
    officer_step(post_form, number, "verify")
    # Dukcapil's record changed after the check: the child now shows another birth date.
    dukcapil = sandboxes_for("malang").dukcapil
    child = SANTOSO[2]
    from dataclasses import replace
    from datetime import date

    dukcapil.people[child.nik] = replace(child, born=date(2012, 5, 3))
    result = run_batch(balai_app, city_run)
    assert (result.registered, result.refused) == (2, 1)
    assert status_of(city_run, number) == "approved"

    async def refused():
        return await Member.select(Member.bpjs_reason, Member.open_nik_index).where(
            Member.state == "refused"
        )

    assert city_run("malang", refused) == [{"bpjs_reason": "data_mismatch", "open_nik_index": None}]


@pytest.mark.parametrize("step", ["verify", "activate", "bpjs_refused"])
def test_a_citizen_cannot_take_an_officer_or_system_step(client, login_as, post_form, step):
    _, number = apply(client, login_as, post_form, SANTOSO)
    response = officer_step(post_form, number, step)
    assert response.status_code == 403


def test_deleting_the_account_erases_pending_applications_and_unlinks_active_ones(
    client, login_as, post_form, city_run, balai_app
):
    citizen, active = apply(client, login_as, post_form, SANTOSO)
    pending = post_form(APPLY, family_data(HIDAYAT), files=documents())
    assert pending.status_code == 303
    login_as("e_jkn.officer")
    officer_step(post_form, active, "verify")
    run_batch(balai_app, city_run)
    city = balai_app.ui.config.cities["malang"]
    city_run(
        "malang",
        lambda: balai_app.ui.registry.gather(
            city, "user_deleted", city=city, user_id=citizen["id"]
        ),
    )

    async def left():
        apps = await Enrolment.select(
            Enrolment.number, Enrolment.applicant_id, Enrolment.phone, Enrolment.status
        )
        return apps, await Member.count()

    apps, members = city_run("malang", left)
    assert apps == [{"number": active, "applicant_id": None, "phone": "", "status": "approved"}]
    assert members == 3  # the people the city pays for stay on record


def test_the_applicants_copy_of_their_data_has_the_application_in_full(
    client, login_as, post_form, city_run, balai_app
):
    citizen, number = apply(client, login_as, post_form, SANTOSO)
    copy = client.get("/malang/akun/data.json").json()["sections"]
    [jkn] = [s for s in copy if s["source"] == "Pengajuan jaminan kesehatan"]
    record = jkn["records"][0]
    assert record["Pengajuan"] == number and record["Kartu Keluarga (KK)"] == SANTOSO[0].kk
    assert SANTOSO[2].nik in record[f"3. {SANTOSO[2].name}"]
    assert jkn["kept_on_erasure"] is None  # pending: erased with the account
    login_as("e_jkn.officer")
    officer_step(post_form, number, "verify")
    run_batch(balai_app, city_run)
    client.cookies.clear()
    post_form("/malang/masuk", {"login": citizen["login"], "password": citizen["password"]})
    page = client.get("/malang/akun/data")
    assert "Disimpan" in page.text or "APBD" in page.text
