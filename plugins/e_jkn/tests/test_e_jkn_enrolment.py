"""Applying for a family: every check before anything is stored, then one atomic write."""

from __future__ import annotations

import pytest
from balai import toolkit as tk
from balai_e_jkn.identity import NIK_PURPOSE
from balai_e_jkn.registries.people import HIDAYAT, KARTO, PINDAH, SANTOSO, SEMARANG, SUSILO
from balai_e_jkn.registries.sandboxes import sandboxes_for
from balai_e_jkn.tables import Enrolment, Member
from e_jkn_support import documents, family_data, photo

APPLY = "/malang/e-jkn/daftar"


def counts(city_run):
    async def count():
        return (await Enrolment.count(), await Member.count())

    return city_run("malang", count)


def send(post_form, people, files=None, **changes):
    return post_form(APPLY, family_data(people, **changes), files=files or documents())


def test_the_form_asks_for_as_many_people_as_chosen(client, login_as):
    login_as()
    page = client.get(APPLY, params={"anggota": "3"})
    assert page.status_code == 200
    assert 'name="m3_nik"' in page.text and 'name="m4_nik"' not in page.text
    assert 'enctype="multipart/form-data"' in page.text


def test_adding_a_member_keeps_what_was_typed(client, login_as, post_form):
    login_as()
    data = family_data(SANTOSO[:1], action="add")
    page = post_form(APPLY, data)
    assert page.status_code == 200
    assert 'name="m2_nik"' in page.text and SANTOSO[0].name in page.text


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(APPLY, follow_redirects=False)
    assert response.status_code in (302, 303) and "/masuk" in response.headers["location"]


def test_a_family_of_three_is_stored_sealed_and_the_applicant_told(
    client, login_as, post_form, city_run
):
    user = login_as(name="Budi Santoso")
    response = send(post_form, SANTOSO)
    assert response.status_code == 303, response.text
    number = response.headers["location"].rsplit("/", 1)[1]

    async def stored():
        application = await Enrolment.select().where(Enrolment.number == number).first()
        members = await (
            Member.select().where(Member.enrolment == application["id"]).order_by(Member.position)
        )
        return application, members

    application, members = city_run("malang", stored)
    assert application["applicant_id"] == user["id"] and application["status"] == "submitted"
    assert SANTOSO[0].kk not in application["kk_sealed"]
    assert [m["name"] for m in members] == [p.name for p in SANTOSO]
    for member, person in zip(members, SANTOSO, strict=True):
        assert person.nik not in member["nik_sealed"]
        assert city_run("malang", _unseal, member["nik_sealed"]) == person.nik
        assert member["open_nik_index"] == member["nik_index"]

    page = client.get(response.headers["location"])
    assert page.status_code == 200
    assert "3573**********01" in page.text or "3573**********" in page.text
    for person in SANTOSO:
        assert person.nik not in page.text
    assert SANTOSO[0].kk not in page.text


async def _unseal(token):
    return tk.unseal(token, NIK_PURPOSE)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"m1_nik": "3573051203850000"}, "m1_nik", "serial"),
        ({"m1_nik": "3599051203850101"}, "m1_nik", "region code"),
        ({"kk": "3573052003150"}, "kk", "16"),
        ({"kk": "3573054003150101"}, "kk", "recorded"),
        ({"m1_sex": "f"}, "m1_nik", "man"),
        ({"m2_born": "1987-07-22"}, "m2_nik", "birth date"),
        ({"m3_nik": SANTOSO[0].nik}, "m3_nik", "above"),
        ({"consent": ""}, "consent", "consent"),
    ],
)
def test_a_wrong_form_is_refused_field_by_field_and_nothing_stored(
    client, login_as, post_form, city_run, changes, field, words
):
    login_as()
    response = send(post_form, SANTOSO, **changes)
    assert response.status_code == 400
    assert f'id="f-{field}-error"' in response.text or f"{field}-error" in response.text
    assert counts(city_run) == (0, 0)


@pytest.mark.parametrize(
    ("people", "words"),
    [
        (PINDAH, "di luar Kota Malang"),  # a Malang NIK living in Surabaya
        (SEMARANG, "di luar Kota Malang"),  # a NIK of another region
        (KARTO, "meninggal"),
        (SUSILO, "sudah dijamin"),
    ],
)
def test_the_registries_refuse_who_the_city_cannot_pay_for(
    client, login_as, post_form, city_run, people, words
):
    login_as()
    response = send(post_form, people)
    assert response.status_code == 400
    assert words in response.text
    assert counts(city_run) == (0, 0)


def test_a_member_outside_the_stated_kk_is_refused(client, login_as, post_form, city_run):
    login_as()
    family = [*SANTOSO[:2], HIDAYAT[2]]  # Fajar Hidayat is in another KK
    response = send(post_form, family)
    assert response.status_code == 400
    assert "tidak mencantumkan orang ini dalam KK" in response.text
    assert counts(city_run) == (0, 0)


def test_a_duplicate_application_is_refused(client, login_as, post_form, city_run):
    login_as()
    assert send(post_form, SANTOSO).status_code == 303
    login_as()  # another account applies for the same people
    response = send(post_form, SANTOSO[1:2], kk=SANTOSO[0].kk)
    assert response.status_code == 400
    assert "sudah terdaftar atau sedang menunggu keputusan" in response.text
    assert counts(city_run) == (1, 3)


@pytest.mark.parametrize("which", ["dukcapil", "bpjs"])
def test_a_registry_outage_is_said_plainly_and_nothing_is_stored(
    client, login_as, post_form, city_run, which
):
    login_as()
    getattr(sandboxes_for("malang"), which).switches.outage = True
    response = send(post_form, SANTOSO)
    assert response.status_code == 400
    assert "tidak dapat dihubungi" in response.text
    assert "Tidak ada data yang disimpan" in response.text
    assert counts(city_run) == (0, 0)


def test_a_document_that_is_not_an_image_is_refused(client, login_as, post_form, city_run):
    login_as()
    files = {**documents(), "ktp_photo": ("ktp.jpg", b"%PDF-1.4 not an image", "image/jpeg")}
    response = send(post_form, SANTOSO, files=files)
    assert response.status_code == 400
    assert "f-ktp_photo-error" in response.text
    assert counts(city_run) == (0, 0)


def test_an_oversized_document_is_refused(client, login_as, post_form, city_run):
    login_as()
    big = ("kk.jpg", photo()[1] + b"\0" * (6 * 1024 * 1024), "image/jpeg")
    response = send(post_form, SANTOSO, files={**documents(), "kk_photo": big})
    assert response.status_code in (400, 413)
    assert counts(city_run) == (0, 0)


def test_someone_else_cannot_open_the_application(client, login_as, post_form):
    login_as()
    location = send(post_form, SANTOSO).headers["location"]
    login_as()
    assert client.get(location).status_code == 404
    assert client.get("/malang/e-jkn/pengajuan/JKN-2026-AAAA-AAAA-A").status_code == 404


def test_my_applications_lists_only_mine(client, login_as, post_form):
    login_as()
    number = send(post_form, SANTOSO).headers["location"].rsplit("/", 1)[1]
    assert number in client.get("/malang/e-jkn/saya").text
    login_as()
    assert number not in client.get("/malang/e-jkn/saya").text
