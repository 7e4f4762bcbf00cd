"""Dinsos's welfare check of a claimed priority group, before Dinkes decides.

Who may take which step (Dinkes never Dinsos's, Dinsos never Dinkes's), what
the welfare registry answers, the applicant told at each step, another city's
officers kept out, bad input refused with nothing written, the registry down.
"""

from __future__ import annotations

from datetime import date

import msgspec
import pytest
from balai.audit.tables import AuditEntry
from balai.notifications.tables import OutboxMessage
from balai_e_jkn.registries.people import AMINAH, HIDAYAT, SANTOSO
from balai_e_jkn.registries.sandboxes import sandboxes_for
from balai_e_jkn.settings import EligibilityRules, EnrolmentSettings
from balai_e_jkn.tables import Enrolment, Member
from e_jkn_support import documents, family_data

APPLY = "/malang/e-jkn/daftar"
DINSOS = "/malang/kelola/e-jkn/dinsos"
DINKES = "/malang/kelola/e-jkn"


@pytest.fixture
def balai_cities():
    return {"malang": ["e_jkn"], "semarang": ["e_jkn"]}


@pytest.fixture
def balai_config(tmp_path, balai_cities):
    from balai.testing import write_config

    return write_config(
        tmp_path / "instance",
        balai_cities,
        city_options={"malang": {"region_code": "35.73"}, "semarang": {"region_code": "33.74"}},
    )


def apply(client, login_as, post_form, people, group="miskin"):
    citizen = login_as(name=people[0].name)
    data = family_data(people, priority_group=group)
    response = post_form(APPLY, data, files=documents())
    assert response.status_code == 303, response.text
    client.get(response.headers["location"])  # shows (and clears) the flash
    return citizen, response.headers["location"].rsplit("/", 1)[1]


def row_of(city_run, number, city="malang"):
    async def read():
        return await Enrolment.select().where(Enrolment.number == number).first()

    return city_run(city, read)


def messages_to(city_run, user_id):
    async def read():
        return await OutboxMessage.select(OutboxMessage.kind, OutboxMessage.body).where(
            OutboxMessage.user_id == user_id
        )

    return city_run("malang", read)


def dinsos_step(post_form, number, step, comment=""):
    return post_form(f"{DINSOS}/pengajuan/{number}/langkah", {"step": step, "comment": comment})


def test_a_poor_household_claim_waits_for_dinsos_then_goes_to_dinkes(
    client, login_as, post_form, city_run
):
    citizen, number = apply(client, login_as, post_form, HIDAYAT)
    assert row_of(city_run, number)["status"] == "welfare"

    login_as("e_jkn.officer")  # Dinkes: not in its queue, and cannot take Dinsos's step
    assert number not in client.get(f"{DINKES}/antrean").text
    assert client.get(f"{DINSOS}/antrean").status_code == 403
    assert dinsos_step(post_form, number, "welfare_confirm").status_code == 403
    page = client.get(f"{DINKES}/pengajuan/{number}")
    assert 'value="verify"' not in page.text and 'value="welfare_confirm"' not in page.text
    refused = post_form(
        f"{DINKES}/pengajuan/{number}/langkah", {"step": "welfare_confirm", "comment": ""}
    )
    assert refused.status_code == 400
    assert row_of(city_run, number)["status"] == "welfare"

    login_as("e_jkn.welfare_officer")  # Dinsos
    assert number in client.get(f"{DINSOS}/antrean").text
    assert client.get(f"{DINKES}/antrean").status_code == 403
    page = client.get(f"{DINSOS}/pengajuan/{number}")
    assert page.status_code == 200
    assert HIDAYAT[0].nik not in page.text and "3573**********" in page.text
    assert "Terdaftar saat ini" in page.text  # listed now
    assert dinsos_step(post_form, number, "verify").status_code == 400  # not Dinsos's step
    assert dinsos_step(post_form, number, "welfare_confirm").status_code == 303
    after = row_of(city_run, number)
    assert (after["status"], after["welfare_decile"]) == ("submitted", 3)
    history = client.get(f"{DINSOS}/pengajuan/{number}").text.split('class="e-jkn-history"')[1]
    assert "Menunggu pemeriksaan kesejahteraan oleh Dinsos" in history and "Diajukan" in history
    assert post_form(f"{DINKES}/pengajuan/{number}/langkah", {"step": "verify"}).status_code == 403

    async def lookups():
        return await AuditEntry.count().where(
            (AuditEntry.action == "e_jkn.welfare_lookup")
            & (AuditEntry.personal_data_of == citizen["id"])
        )

    assert city_run("malang", lookups) == 3  # the page, the page refusing "verify", confirming
    told = messages_to(city_run, citizen["id"])
    assert [m["kind"] for m in told].count("e_jkn.enrolment_moved") >= 1
    assert any("Diajukan" in m["body"] for m in told if m["kind"] == "e_jkn.enrolment_moved")

    login_as("e_jkn.officer")  # now Dinkes sees it and may verify
    assert number in client.get(f"{DINKES}/antrean").text
    assert post_form(f"{DINKES}/pengajuan/{number}/langkah", {"step": "verify"}).status_code == 303
    assert row_of(city_run, number)["status"] == "verified"


def test_a_family_not_listed_cannot_be_confirmed_and_is_rejected_with_a_reason(
    client, login_as, post_form, city_run
):
    citizen, number = apply(client, login_as, post_form, SANTOSO)
    login_as("e_jkn.welfare_officer")
    page = client.get(f"{DINSOS}/pengajuan/{number}")
    assert "Tidak terdaftar" in page.text
    refused = dinsos_step(post_form, number, "welfare_confirm")
    assert refused.status_code == 400 and "tidak ada yang terdaftar" in refused.text.lower()
    assert dinsos_step(post_form, number, "welfare_reject").status_code == 400  # no reason
    assert row_of(city_run, number)["status"] == "welfare"
    reason = "Tidak terdaftar di DTKS/DTSEN"
    assert dinsos_step(post_form, number, "welfare_reject", reason).status_code == 303
    after = row_of(city_run, number)
    assert (after["status"], after["reason_code"], after["reason"]) == (
        "rejected",
        "welfare_not_listed",
        reason,
    )
    assert any(reason in m["body"] for m in messages_to(city_run, citizen["id"]))

    async def open_niks():
        return await Member.count().where(Member.open_nik_index.is_not_null())

    assert city_run("malang", open_niks) == 0  # the family may apply again without the claim
    assert dinsos_step(post_form, number, "welfare_confirm").status_code == 400  # final


def test_a_claim_dinsos_does_not_check_goes_straight_to_dinkes(
    client, login_as, post_form, city_run
):
    _, number = apply(client, login_as, post_form, AMINAH, group="lansia")
    assert row_of(city_run, number)["status"] == "submitted"
    _, plain = apply(client, login_as, post_form, SANTOSO, group="")
    assert row_of(city_run, plain)["status"] == "submitted"
    login_as("e_jkn.welfare_officer")
    assert client.get(f"{DINSOS}/pengajuan/{number}").status_code == 404
    not_ours = dinsos_step(post_form, number, "welfare_reject", "bukan urusan Dinsos")
    assert not_ours.status_code == 404


def test_a_group_the_rules_do_not_offer_is_refused_with_nothing_written(
    client, login_as, post_form, city_run
):
    login_as()
    data = family_data(SANTOSO, priority_group="veteran")
    response = post_form(APPLY, data, files=documents())
    assert response.status_code == 400
    assert city_run("malang", Enrolment.count) == 0


def test_bad_steps_and_numbers_are_refused(client, login_as, post_form, city_run):
    _, number = apply(client, login_as, post_form, HIDAYAT)
    login_as("e_jkn.welfare_officer")
    assert dinsos_step(post_form, number, "bogus").status_code == 400
    assert dinsos_step(post_form, number, "welfare_reject", "x" * 301).status_code == 400
    assert client.get(f"{DINSOS}/pengajuan/JKN-XYZ").status_code == 404
    assert client.get(f"{DINSOS}/pengajuan/{number}x").status_code == 404
    moved = post_form(
        f"{DINSOS}/pengajuan/{number}/langkah",
        {"step": "welfare_confirm", "seen_state": "submitted"},
    )
    assert moved.status_code == 409
    assert row_of(city_run, number)["status"] == "welfare"


def test_the_registry_down_shows_a_notice_and_saves_nothing(client, login_as, post_form, city_run):
    _, number = apply(client, login_as, post_form, HIDAYAT)
    sandboxes_for("malang").dinsos.switches.outage = True
    login_as("e_jkn.welfare_officer")
    page = client.get(f"{DINSOS}/pengajuan/{number}")
    assert page.status_code == 200 and "tidak dapat dihubungi" in page.text
    down = dinsos_step(post_form, number, "welfare_confirm")
    assert down.status_code == 503 and "tidak dapat dihubungi" in down.text
    after = row_of(city_run, number)
    assert (after["status"], after["welfare_decile"]) == ("welfare", None)


def test_another_citys_dinsos_never_sees_or_moves_the_claim(client, login_as, post_form, city_run):
    _, number = apply(client, login_as, post_form, HIDAYAT)
    login_as("e_jkn.welfare_officer", city="semarang")
    semarang = "/semarang/kelola/e-jkn/dinsos"
    assert number not in client.get(f"{semarang}/antrean").text
    assert client.get(f"{semarang}/pengajuan/{number}").status_code == 404
    step = post_form(f"{semarang}/pengajuan/{number}/langkah", {"step": "welfare_confirm"})
    assert step.status_code == 404
    assert client.get(f"{DINSOS}/pengajuan/{number}").status_code in (303, 401, 403)
    assert row_of(city_run, number)["status"] == "welfare"


def test_which_groups_dinsos_checks_is_effective_dated_and_checked():
    settings = msgspec.convert(
        {
            "rules": [
                {
                    "effective_from": "2024-01-01",
                    "regulation": "Perwali 2024",
                    "priority_groups": ["miskin", "lansia"],
                },
                {
                    "effective_from": "2026-07-01",
                    "regulation": "Perwali 2026",
                    "priority_groups": ["miskin", "lansia"],
                    "welfare_checked": ["miskin", "lansia"],
                },
            ]
        },
        EnrolmentSettings,
    )
    assert settings.rules_on(date(2026, 6, 30)).welfare_checked == ()
    assert settings.rules_on(date(2026, 7, 1)).welfare_checked == ("miskin", "lansia")
    assert EnrolmentSettings().rules_on(date(2026, 1, 1)).welfare_checked == ("miskin",)
    for bad in ({"welfare_checked": ["miskin"]}, {"priority_groups": ["veteran"]}):
        with pytest.raises(msgspec.ValidationError):
            msgspec.convert(
                {"rules": [{"effective_from": "2026-01-01", "regulation": "x", **bad}]},
                EnrolmentSettings,
            )
    with pytest.raises(ValueError, match="unknown priority groups"):
        EligibilityRules(date(2026, 1, 1), "x", priority_groups=("veteran",))
