"""Importing the member roll: people registered, grouped by KK, bad rows reported, no doubles."""

from __future__ import annotations

from balai import toolkit as tk
from balai.testing import run_queued_jobs
from balai_e_jkn.identity import CARD_PURPOSE, nik_index
from balai_e_jkn.registries.people import HIDAYAT, SANTOSO
from balai_e_jkn.tables import Enrolment, Member
from e_jkn_support import documents, family_data

URL = "/malang/impor/e_jkn.roll/"
HEADER = "nik;kk;nama;tanggal_lahir;jenis_kelamin;kecamatan;nomor_kartu;mulai;kelas\n"


def line(person, card: str, sex: str | None = None, kecamatan: str = "Klojen") -> str:
    sex = sex or ("P" if person.female else "L")
    return (
        f"{person.nik};{person.kk};{person.name};{person.born.isoformat()};{sex};{kecamatan};"
        f"{card};2020-05-01;3\n"
    )


def upload(client, post_form, text: str):
    return post_form(URL, files={"file": ("roll.csv", text.encode(), "text/csv")})


def test_the_roll_page_is_for_health_officers(client, login_as):
    login_as()
    assert client.get(URL).status_code == 403


def test_roll_rows_are_imported_grouped_and_bad_ones_reported(
    client, login_as, post_form, city_run, balai_app
):
    login_as("e_jkn.officer")
    rows = (
        HEADER
        + line(HIDAYAT[0], "0001000000011")
        + line(HIDAYAT[1], "0001000000012")
        + line(HIDAYAT[2], "0001000000013", sex="P")  # a boy's NIK written as a girl
        + line(HIDAYAT[3], "12345")  # a short card number
        + line(SANTOSO[0], "0001000000021", kecamatan="Atlantis")
    )
    response = upload(client, post_form, rows)
    assert response.status_code == 303, response.text
    run_queued_jobs(balai_app)

    async def stored():
        enrolments = await Enrolment.select(Enrolment.status, Enrolment.number)
        members = await Member.select(Member.name, Member.card_sealed, Member.state).order_by(
            Member.position
        )
        return enrolments, members

    enrolments, members = city_run("malang", stored)
    assert enrolments == [{"status": "approved", "number": None}]  # one KK, one application
    assert [m["name"] for m in members] == [HIDAYAT[0].name, HIDAYAT[1].name]
    assert all(m["state"] == "registered" for m in members)
    assert city_run("malang", _card, members[0]["card_sealed"]) == "0001000000011"
    report = client.get(response.headers["location"])
    assert "NIK ini milik laki-laki" in report.text
    assert "13 angka" in report.text
    assert "Bukan kecamatan" in report.text


async def _card(token):
    return tk.unseal(token, CARD_PURPOSE)


def test_the_same_roll_twice_adds_nothing_and_a_rolled_person_cannot_apply(
    client, login_as, post_form, city_run, balai_app
):
    login_as("e_jkn.officer")
    text = HEADER + line(SANTOSO[0], "0001000000021", kecamatan="Lowokwaru")
    for _ in range(2):
        upload(client, post_form, text)
        run_queued_jobs(balai_app)

    async def counted():
        return await Member.count().where(Member.nik_index == nik_index(SANTOSO[0].nik))

    assert city_run("malang", counted) == 1
    login_as()
    response = post_form("/malang/e-jkn/daftar", family_data(SANTOSO), files=documents())
    assert response.status_code == 400
    assert "sudah terdaftar atau sedang menunggu keputusan" in response.text
