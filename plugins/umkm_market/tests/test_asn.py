"""Civil servants mark their account with a NIP and department; checkout reads it."""

from __future__ import annotations

import pytest
from balai_umkm_market.asn import asn_profile_of
from balai_umkm_market.tables import AsnProfile, Order
from market_setup import VALID_NIP, add_merchant, market_config

PAGE = "/malang/umkm-market/asn"
DEPARTMENT = "Dinas Kesehatan"


@pytest.fixture
def balai_config(tmp_path):
    return market_config(tmp_path)


def profiles(city_run, city="malang"):
    async def read():
        return await AsnProfile.select().order_by(AsnProfile.id)

    return city_run(city, read)


def test_asn_page_needs_login(client):
    assert client.get(PAGE, follow_redirects=False).status_code == 303


def test_mark_change_and_remove(client, login_as, post_form, city_run):
    user = login_as()
    page = client.get(PAGE)
    assert page.status_code == 200
    assert f'<option value="{DEPARTMENT}"' in page.text
    response = post_form(PAGE, {"nip": "19850312 201001 1 001", "department": DEPARTMENT})
    assert response.status_code == 303
    [row] = profiles(city_run)
    assert (row["user_id"], row["nip"], row["department"]) == (user["id"], VALID_NIP, DEPARTMENT)
    page = client.get(PAGE)
    assert "Akun Anda ditandai sebagai ASN" in page.text
    assert VALID_NIP not in page.text  # shown masked
    assert "1985••••••••••1001" in page.text
    assert city_run("malang", asn_profile_of, user["id"]) == {
        "nip": VALID_NIP,
        "department": DEPARTMENT,
    }
    other = "Dinas Koperasi, Perindustrian dan Perdagangan"
    assert post_form(PAGE, {"nip": VALID_NIP, "department": other}).status_code == 303
    assert [r["department"] for r in profiles(city_run)] == [other]
    assert post_form(PAGE + "/hapus", {}).status_code == 303
    assert profiles(city_run) == []
    assert city_run("malang", asn_profile_of, user["id"]) is None


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"nip": "12345", "department": DEPARTMENT}, "nip", "NIP terdiri dari tepat 18 digit."),
        (
            {"nip": "198502302010011001", "department": DEPARTMENT},
            "nip",
            "8 digit pertama NIP harus berupa tanggal lahir",
        ),
        ({"nip": "198503122010013001", "department": DEPARTMENT}, "nip", "Digit ke-15 NIP"),
        ({"nip": VALID_NIP, "department": "Dinas Rahasia"}, "department", "Pilih perangkat daerah"),
    ],
)
def test_bad_nip_or_department(client, login_as, post_form, city_run, form, field, message):
    login_as()
    response = post_form(PAGE, form)
    assert response.status_code == 400
    assert message in response.text
    assert f'id="f-{field}"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert profiles(city_run) == []


def test_one_nip_per_account(client, login_as, post_form, city_run):
    login_as()
    post_form(PAGE, {"nip": VALID_NIP, "department": DEPARTMENT})
    login_as()
    response = post_form(PAGE, {"nip": VALID_NIP, "department": DEPARTMENT})
    assert response.status_code == 400
    assert "NIP ini sudah dipakai oleh akun lain." in response.text
    assert len(profiles(city_run)) == 1


def test_profiles_stay_in_their_city(client, login_as, post_form, city_run):
    user = login_as()
    post_form(PAGE, {"nip": VALID_NIP, "department": DEPARTMENT})
    assert city_run("semarang", asn_profile_of, user["id"]) is None
    assert profiles(city_run, "semarang") == []


def test_free_text_department_where_the_city_keeps_no_list(client, login_as, post_form, city_run):
    login_as(city="semarang")
    page = client.get("/semarang/umkm-market/asn")
    assert '<select class="input select" id="f-department"' not in page.text
    response = post_form(
        "/semarang/umkm-market/asn", {"nip": VALID_NIP, "department": "  Dinas   Pendidikan "}
    )
    assert response.status_code == 303
    assert [r["department"] for r in profiles(city_run, "semarang")] == ["Dinas Pendidikan"]


def test_the_asn_page_sums_the_users_completed_asn_purchases(client, login_as, post_form, city_run):
    user = login_as()
    post_form(PAGE, {"nip": VALID_NIP, "department": DEPARTMENT})
    merchant_id = city_run("malang", add_merchant())

    def order(number, subtotal, *, buyer_id, asn=True, status="completed"):
        async def insert():
            await Order.insert(
                Order(
                    number=number,
                    merchant=merchant_id,
                    buyer_id=buyer_id,
                    buyer_is_asn=asn,
                    status=status,
                    subtotal=subtotal,
                )
            )

        return insert

    city_run("malang", order("A-1", 72_000, buyer_id=user["id"]))
    city_run("malang", order("A-2", 28_000, buyer_id=user["id"]))
    city_run("malang", order("A-3", 99_000, buyer_id=user["id"], asn=False))  # before marking
    city_run("malang", order("A-4", 55_000, buyer_id=user["id"], status="new"))  # not done yet
    city_run("malang", order("A-5", 11_000, buyer_id=user["id"] + 1000))  # someone else
    page = client.get(PAGE)
    assert "2 pesanan, seluruhnya Rp100.000" in page.text
