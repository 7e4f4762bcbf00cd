"""The public NOP lookup (what anyone may see) and linking NOPs to an account."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pbb_citizen_support as support
from balai_pajak.pbb.lookup_links import (
    MAX_FAILURES_PER_NOP,
    MAX_FAILURES_PER_USER,
    parse_amount,
    same_name,
)
from balai_pajak.tables import LinkAttempt, NopLink, Sppt
from pbb_citizen_support import NOP, NOP_SHOWN, SEMARANG_NOP, STANDARD_BILLS, add_object, link

balai_config = support.balai_config


def audit_actions(city_run, city: str = "malang") -> list[tuple[str, str, int | None]]:
    from balai.audit.tables import AuditEntry

    async def read():
        rows = await AuditEntry.select(
            AuditEntry.action, AuditEntry.subject, AuditEntry.actor_id
        ).order_by(AuditEntry.id)
        return [(r["action"], r["subject"], r["actor_id"]) for r in rows]

    return city_run(city, read)


def links_of(city_run, user_id: int) -> list[str]:
    async def read():
        rows = await NopLink.select(NopLink.nop).where(NopLink.user_id == user_id)
        return [r["nop"] for r in rows]

    return city_run("malang", read)


# --- rules --------------------------------------------------------------------


def test_names_match_without_case_spaces_or_punctuation():
    assert same_name("h moch subagio", "H. MOCH. SUBAGIO")
    assert same_name("H.Moch.Subagio", "H MOCH SUBAGIO")
    assert not same_name("H MOCH SUBAGIYO", "H. MOCH. SUBAGIO")
    assert not same_name("...", "")


def test_amounts_are_read_as_people_write_them():
    assert parse_amount("Rp152.400.000") == 152_400_000
    assert parse_amount("152,400,000") == 152_400_000
    assert parse_amount(" Rp 152.400.000,00 ") == 152_400_000
    assert parse_amount("152400000") == 152_400_000
    assert parse_amount("") is None
    assert parse_amount("seratus juta") is None
    assert parse_amount("-5") is None


# --- public lookup ------------------------------------------------------------


def test_lookup_shows_location_areas_and_yearly_status_but_not_the_taxpayer(client, city_run):
    city_run("malang", add_object(bills=STANDARD_BILLS))
    page = client.get("/malang/pajak/", params={"nop": NOP_SHOWN})
    assert page.status_code == 200
    text = page.text
    assert NOP_SHOWN in text and "Jl. Ki Ageng Gribig No. 45" in text
    assert "Kotalama" in text and "Kedungkandang" in text and "180 m²" in text
    for year, amount in (("2025", "Rp500.000"), ("2024", "Rp300.000"), ("2023", "Rp250.000")):
        assert f'<th scope="row">{year}<br>' in text
        assert amount in text
    assert "Lunas" in text and "Lewat jatuh tempo" in text and "Belum dibayar" in text
    # Nothing about the person, nor the NJOP the link proof uses.
    assert "SUBAGIO" not in text.upper()
    assert "152.400.000" not in text
    assert "/malang/masuk?next=" in text  # a visitor is asked to log in to link


def test_lookup_of_a_logged_in_citizen_offers_linking(client, city_run, login_as):
    city_run("malang", add_object(bills=STANDARD_BILLS))
    login_as()
    page = client.get("/malang/pajak/", params={"nop": NOP})
    assert f'href="/malang/pajak/tautkan?nop={NOP}"' in page.text


def test_lookup_refuses_a_malformed_nop_and_another_citys_nop_with_400(client):
    page = client.get("/malang/pajak/", params={"nop": "35.73.010.001"})
    assert page.status_code == 400
    assert "NOP terdiri atas tepat 18 angka" in page.text
    assert 'aria-invalid="true"' in page.text
    page = client.get("/malang/pajak/", params={"nop": "33.74.130.001.002-0003.0"})
    assert page.status_code == 400
    assert "NOP ini milik wilayah 33.74, bukan Kota Malang (35.73)." in page.text
    assert 'value="33.74.130.001.002-0003.0"' in page.text  # kept as typed


def test_lookup_never_shows_another_citys_rows(client, city_run):
    city_run("semarang", add_object(NOP, "Jl. Pemuda No. 118", STANDARD_BILLS))
    page = client.get("/malang/pajak/", params={"nop": NOP})
    assert page.status_code == 404
    assert "Jl. Pemuda" not in page.text


# --- linking ------------------------------------------------------------------


def test_link_pages_need_login(client, post_form):
    response = client.get("/malang/pajak/tautkan", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/malang/masuk")
    assert link(post_form).status_code in (401, 303)


def test_link_form_is_prefilled_from_the_lookup_and_names_the_sppt_year(client, city_run, login_as):
    city_run("malang", add_object(bills=STANDARD_BILLS))
    login_as()
    page = client.get("/malang/pajak/tautkan", params={"nop": NOP})
    assert page.status_code == 200
    assert f'value="{NOP}"' in page.text
    assert 'name="_csrf_token"' in page.text
    assert "dari SPPT tahun 2025" in page.text
    bare = client.get("/malang/pajak/tautkan", params={"nop": "bukan NOP"})
    assert bare.status_code == 200 and "dari SPPT tahun" not in bare.text


def test_linking_with_the_printed_name_and_njop_links_and_audits(
    client, post_form, city_run, login_as
):
    city_run("malang", add_object(bills=STANDARD_BILLS))
    user = login_as()
    response = link(post_form)
    assert response.status_code == 303
    assert response.headers["location"] == "/malang/pajak/tagihan"
    assert links_of(city_run, user["id"]) == [NOP]
    assert ("pajak.nop_linked", f"nop:{NOP}", user["id"]) in audit_actions(city_run)
    page = client.get("/malang/pajak/tagihan")
    assert f"NOP {NOP_SHOWN} sudah ditautkan ke akun Anda." in page.text


def test_a_wrong_name_or_njop_is_refused_counted_and_audited(client, post_form, city_run, login_as):
    city_run("malang", add_object(bills=STANDARD_BILLS))
    user = login_as()
    wrong_name = link(post_form, name="Budi Santoso")
    assert wrong_name.status_code == 400
    assert "2025" in wrong_name.text  # which SPPT to copy from
    assert 'value="Budi Santoso"' in wrong_name.text  # values kept
    wrong_njop = link(post_form, njop="152.400.001")
    assert wrong_njop.status_code == 400
    old_njop = link(post_form, njop="140.000.000")  # the 2024 SPPT's: not the latest
    assert old_njop.status_code == 400
    assert links_of(city_run, user["id"]) == []
    failed = [a for a in audit_actions(city_run) if a[0] == "pajak.nop_link_failed"]
    assert len(failed) == 3 and failed[0][1] == f"nop:{NOP}"


def test_bad_fields_are_400_with_each_message_and_not_counted(
    client, post_form, city_run, login_as
):
    login_as()
    page = link(post_form, nop="35.73.010", name="", njop="banyak")
    assert page.status_code == 400
    assert page.text.count('aria-invalid="true"') == 3
    assert "NOP terdiri atas tepat 18 angka" in page.text
    foreign = link(post_form, nop="33.74.130.001.002-0003.0")
    assert foreign.status_code == 400
    assert "NOP ini milik wilayah 33.74, bukan Kota Malang (35.73)." in foreign.text
    unknown = link(post_form, nop="35.73.099.001.001-0001.0")
    assert unknown.status_code == 400
    assert city_run("malang", LinkAttempt.count) == 0


def test_another_citys_object_cannot_be_linked_here(client, post_form, city_run, login_as):
    city_run("semarang", add_object(SEMARANG_NOP, "Jl. Pemuda No. 118", STANDARD_BILLS))
    user = login_as()
    page = link(post_form, nop="33.74.130.001.002-0003.0")
    assert page.status_code == 400
    assert links_of(city_run, user["id"]) == []


def test_linking_twice_says_it_is_already_linked(client, post_form, city_run, login_as):
    city_run("malang", add_object(bills=STANDARD_BILLS))
    login_as()
    assert link(post_form).status_code == 303
    again = link(post_form)
    assert again.status_code == 400
    assert "sudah ditautkan ke akun Anda" in again.text


def test_guessing_is_throttled_per_account(client, post_form, city_run, login_as):
    city_run("malang", add_object(bills=STANDARD_BILLS))
    user = login_as()
    for _ in range(MAX_FAILURES_PER_USER):
        assert link(post_form, name="Coba Coba").status_code == 400
    blocked = link(post_form)  # even the right answer waits now
    assert blocked.status_code == 429
    assert links_of(city_run, user["id"]) == []
    assert any(a[0] == "pajak.nop_link_throttled" for a in audit_actions(city_run))


def test_guessing_one_nop_from_many_accounts_is_throttled(client, post_form, city_run, login_as):
    city_run("malang", add_object(bills=STANDARD_BILLS))

    async def failures():
        now = datetime.now(UTC)
        await LinkAttempt.insert(
            *(
                LinkAttempt(user_id=1000 + i, nop=NOP, succeeded=False, created_at=now)
                for i in range(MAX_FAILURES_PER_NOP)
            )
        )

    city_run("malang", failures)
    login_as()
    assert link(post_form).status_code == 429


def test_old_failures_no_longer_count(client, post_form, city_run, login_as):
    city_run("malang", add_object(bills=STANDARD_BILLS))
    user = login_as()

    async def failures():
        long_ago = datetime.now(UTC) - timedelta(hours=25)
        await LinkAttempt.insert(
            *(
                LinkAttempt(user_id=user["id"], nop=NOP, succeeded=False, created_at=long_ago)
                for _ in range(MAX_FAILURES_PER_NOP)
            )
        )

    city_run("malang", failures)
    assert link(post_form).status_code == 303


def test_link_form_checks_csrf(client, city_run, login_as):
    city_run("malang", add_object(bills=STANDARD_BILLS))
    user = login_as()
    response = client.post(
        "/malang/pajak/tautkan",
        data={"nop": NOP_SHOWN, "name": support.TAXPAYER, "njop": "152400000"},
    )
    assert response.status_code == 403
    assert links_of(city_run, user["id"]) == []


def test_unlink_removes_only_my_link_and_audits(client, post_form, city_run, login_as):
    city_run("malang", add_object(bills=STANDARD_BILLS))
    first = login_as()
    assert link(post_form).status_code == 303
    client.cookies.clear()
    second = login_as()
    assert link(post_form).status_code == 303
    response = post_form(f"/malang/pajak/tautkan/{NOP}/hapus", {})
    assert response.status_code == 303
    assert links_of(city_run, second["id"]) == []
    assert links_of(city_run, first["id"]) == [NOP]
    assert ("pajak.nop_unlinked", f"nop:{NOP}", second["id"]) in audit_actions(city_run)
    assert post_form(f"/malang/pajak/tautkan/{NOP}/hapus", {}).status_code == 404
    assert post_form("/malang/pajak/tautkan/bukan-nop/hapus", {}).status_code == 404


def test_unlink_needs_login(client, post_form):
    response = post_form(f"/malang/pajak/tautkan/{NOP}/hapus", {})
    assert response.status_code in (401, 303)


def test_a_deleted_account_loses_its_links_and_attempts(
    client, post_form, city_run, login_as, balai_app
):
    from balai_pajak import plugin

    city_run("malang", add_object(bills=STANDARD_BILLS))
    user = login_as()
    assert link(post_form, name="Orang Lain").status_code == 400
    assert link(post_form).status_code == 303
    city = balai_app.ui.config.cities["malang"]
    city_run("malang", plugin.user_deleted, city, user["id"])
    assert links_of(city_run, user["id"]) == []
    assert city_run("malang", LinkAttempt.count) == 0
    assert city_run("malang", Sppt.count) == len(STANDARD_BILLS)


def test_link_errors_speak_english_when_switched(client, post_form, city_run, login_as):
    city_run("malang", add_object(bills=STANDARD_BILLS))
    login_as()
    client.get("/malang/bahasa/en")
    page = link(post_form, nop="33.74.130.001.002-0003.0", njop="lots")
    assert page.status_code == 400
    assert "This NOP belongs to region 33.74, not to Kota Malang (35.73)." in page.text
    assert "Enter the NJOP used for the tax as printed on the SPPT" in page.text
    wrong = link(post_form, name="Someone Else")
    assert "do not match the SPPT of 2025" in wrong.text


def test_the_citizens_copy_of_their_data_lists_the_linked_nops(
    client, post_form, city_run, login_as
):
    city_run("malang", add_object(bills=STANDARD_BILLS))
    login_as()
    assert link(post_form).status_code == 303
    sections = client.get("/malang/akun/data.json").json()["sections"]
    [linked] = [s for s in sections if s["records"] and "NOP" in s["records"][0]]
    assert linked["records"][0]["NOP"] == NOP_SHOWN
    assert linked["kept_on_erasure"] is None  # the link goes with the account; bills stay
