"""The pajak skeleton: NOP lookup, office list, enabled only where a city says so."""

from __future__ import annotations

import pytest
from balai.testing import as_demo_seeding, write_config
from balai_pajak.tables import TaxObject

MALANG_NOP = "357301000100100010"


def add_object(nop: str, address: str, district: str = "Klojen", village: str = "Kauman"):
    async def insert():
        await TaxObject.insert(
            TaxObject(
                nop=nop,
                address=address,
                district=district,
                village=village,
                land_area=180,
                building_area=96,
            )
        )

    return insert


# --- public lookup ------------------------------------------------------------


def test_lookup_page_answers_where_enabled_only(client):
    assert client.get("/malang/pajak/").status_code == 200
    assert client.get("/semarang/pajak/").status_code == 404


def test_nav_entry_only_in_malang(client):
    assert 'href="/malang/pajak/"' in client.get("/malang/").text
    assert "/pajak/" not in client.get("/semarang/").text


def test_lookup_finds_the_object_by_nop(client, city_run):
    city_run("malang", add_object(MALANG_NOP, "Jl. Ki Ageng Gribig No. 45"))
    page = client.get("/malang/pajak/", params={"nop": "35.73.010.001.001-0001.0"})
    assert page.status_code == 200
    assert "Jl. Ki Ageng Gribig No. 45" in page.text
    assert "35.73.010.001.001-0001.0" in page.text


def test_malformed_nop_is_a_400_with_a_message_in_both_languages(client):
    page = client.get("/malang/pajak/", params={"nop": "35.73.010"})
    assert page.status_code == 400
    assert "NOP terdiri atas tepat 18 angka" in page.text
    assert 'aria-invalid="true"' in page.text
    client.get("/malang/bahasa/en")
    page = client.get("/malang/pajak/", params={"nop": "35.73.O10.001.001-0001.0"})
    assert page.status_code == 400
    assert "A NOP contains only digits, dots and a dash." in page.text


def test_empty_nop_is_a_400(client):
    page = client.get("/malang/pajak/", params={"nop": ""})
    assert page.status_code == 400
    assert "Masukkan Nomor Objek Pajak" in page.text


def test_unknown_nop_is_a_404_that_says_so(client):
    page = client.get("/malang/pajak/", params={"nop": MALANG_NOP})
    assert page.status_code == 404
    assert "Objek pajak tidak ditemukan" in page.text


def test_semarang_rows_never_show_in_malang(client, city_run):
    city_run("semarang", add_object(MALANG_NOP, "Jl. Pemuda No. 118", "Semarang Tengah"))
    page = client.get("/malang/pajak/", params={"nop": MALANG_NOP})
    assert page.status_code == 404
    assert "Jl. Pemuda" not in page.text


# --- settings -----------------------------------------------------------------


def due_rule(**due) -> dict:
    """A PBB rule of 2014 on that falls due as ``due`` says."""
    return {"valid_from": 2014, "regulation": "Perda uji", "njoptkp": 0, "rate_ppm": 1000, **due}


@pytest.mark.parametrize(
    ("settings", "reason"),
    [
        ({"pbb": {"rules": [due_rule(due_month=13, due_day=31)]}}, "<= 12"),
        ({"pbb_due_month": 8}, "unknown field"),  # the old second source of the due date
    ],
)
def test_bad_settings_stop_start_up_with_the_key_path(balai_app_factory, settings, reason):
    with pytest.raises(Exception, match=r"cities\.malang\.settings\.pajak") as caught:
        balai_app_factory(
            cities={"malang": ["pajak"]},
            plugins=["pajak"],
            city_options={"malang": {"settings": {"pajak": settings}}},
        )
    assert reason in str(caught.value)


def test_without_a_rule_for_the_year_the_page_names_no_due_date(client):
    page = client.get("/malang/pajak/")
    assert "Tanggal jatuh tempo tahun ini belum ditetapkan" in page.text
    assert "Agustus" not in page.text


class TestDueDateFromTheRules:
    @pytest.fixture
    def balai_config(self, tmp_path, balai_cities):
        rules = {
            "malang": [due_rule(due_month=8, due_day=31)],
            "semarang": [due_rule(due_month=8, due_day=31), due_rule(due_month=3, due_day=31)],
            "yogyakarta": [due_rule(due_months_after_issue=6)],
        }
        rules["semarang"][1]["valid_from"] = 2020  # a later rule moves the date
        return write_config(
            tmp_path / "instance",
            {"malang": ["pajak"], "semarang": ["pajak"], "yogyakarta": ["pajak"]},
            city_options={
                slug: {"settings": {"pajak": {"pbb": {"rules": r}}}} for slug, r in rules.items()
            },
        )

    def test_the_rule_of_the_year_sets_the_date_on_the_page(self, client):
        assert "31 Agustus" in client.get("/malang/pajak/").text
        semarang = client.get("/semarang/pajak/").text
        assert "31 Maret" in semarang and "31 Agustus" not in semarang

    def test_a_rule_counting_from_issue_says_so(self, client):
        page = client.get("/yogyakarta/pajak/").text
        assert "6 bulan setelah SPPT terbit" in page


# --- office -------------------------------------------------------------------


def test_office_page_needs_login(client):
    response = client.get("/malang/kelola/pajak/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/malang/masuk")


def test_office_page_refuses_a_citizen(client, login_as):
    login_as()
    assert client.get("/malang/kelola/pajak/").status_code == 403


def test_office_page_lists_this_citys_objects_for_tax_officers(client, login_as, city_run):
    city_run("malang", add_object(MALANG_NOP, "Jl. Ki Ageng Gribig No. 45"))
    city_run("semarang", add_object("337413000100200030", "Jl. Pemuda No. 118"))
    login_as("pajak.officer")
    page = client.get("/malang/kelola/pajak/")
    assert page.status_code == 200
    assert "35.73.010.001.001-0001.0" in page.text
    assert "Jl. Ki Ageng Gribig No. 45" in page.text
    assert "Jl. Pemuda" not in page.text
    assert 'href="/malang/kelola/pajak/"' in client.get("/malang/kelola/").text


def test_office_search_opens_an_object_and_explains_a_bad_or_unknown_nop(
    client, login_as, city_run
):
    city_run("malang", add_object(MALANG_NOP, "Jl. Ki Ageng Gribig No. 45"))
    city_run("semarang", add_object("337413000100200030", "Jl. Pemuda No. 118"))
    login_as("pajak.officer")
    found = client.get(
        "/malang/kelola/pajak/", params={"nop": "35.73.010.001.001-0001.0"}, follow_redirects=False
    )
    assert found.status_code == 303
    assert found.headers["location"] == f"/malang/kelola/pajak/objek/{MALANG_NOP}"
    bad = client.get("/malang/kelola/pajak/", params={"nop": "35.73.01"})
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.text
    assert 'value="35.73.01"' in bad.text
    # Without a region code in this instance, Semarang's object is just not Malang's.
    foreign = client.get("/malang/kelola/pajak/", params={"nop": "337413000100200030"})
    assert foreign.status_code == 404 and "Jl. Pemuda" not in foreign.text
    unknown = client.get("/malang/kelola/pajak/", params={"nop": "357301000100100020"})
    assert unknown.status_code == 404
    assert "Tidak ada objek pajak dengan NOP 35.73.010.001.001-0002.0" in unknown.text
    assert "Jl. Ki Ageng Gribig No. 45" in unknown.text  # the list is still shown


def add_objects(count: int):
    async def insert():
        await TaxObject.insert(
            *(
                TaxObject(
                    nop=f"3573010001001{n:04d}0",
                    address=f"Jl. Ijen No. {n}" if n % 2 else f"Jl. Semeru No. {n}",
                    district="Klojen",
                    village="Oro-oro Dowo" if n % 3 == 0 else "Kauman",
                )
                for n in range(1, count + 1)
            )
        )

    return insert


def test_office_list_is_paged_and_searched_by_address_village_or_district(
    client, login_as, city_run
):
    city_run("malang", add_objects(230))
    login_as("pajak.officer")
    first = client.get("/malang/kelola/pajak/")
    assert first.text.count('href="/malang/kelola/pajak/objek/') == 100
    assert "Halaman 1 dari 3" in first.text
    assert 'href="/malang/kelola/pajak/?page=2" rel="next"' in first.text
    last = client.get("/malang/kelola/pajak/", params={"page": "3"})
    assert last.text.count('href="/malang/kelola/pajak/objek/') == 30
    assert "35.73.010.001.001-0230.0" in last.text
    # a page past the last is the last page; a page that is no number is a 400
    beyond = client.get("/malang/kelola/pajak/", params={"page": "99"})
    assert beyond.status_code == 200 and "Halaman 3 dari 3" in beyond.text
    for bad in ("0", "-1", "dua", "١"):
        refused = client.get("/malang/kelola/pajak/", params={"page": bad})
        assert refused.status_code == 400, bad
        assert "Nomor halaman harus berupa bilangan bulat mulai dari 1." in refused.text
    # every word must be in the address, village or district, any case
    found = client.get("/malang/kelola/pajak/", params={"q": "IJEN oro-ORO"})
    ijen_oro = [n for n in range(1, 231) if n % 2 and n % 3 == 0]
    assert f"{len(ijen_oro)} objek pajak ditemukan." in found.text
    assert "230 objek pajak terdaftar" in found.text
    assert "Jl. Semeru" not in found.text
    none = client.get("/malang/kelola/pajak/", params={"q": "100%"})
    assert "Tidak ada objek pajak yang ditemukan" in none.text
    paged = client.get("/malang/kelola/pajak/", params={"q": "kauman"})
    assert 'href="/malang/kelola/pajak/?q=kauman&amp;page=2"' in paged.text


def test_same_nop_cannot_be_registered_twice_in_a_city(client, city_run):
    city_run("malang", add_object(MALANG_NOP, "Jl. A"))
    with pytest.raises(Exception, match=r"(?i)unique"):
        city_run("malang", add_object(MALANG_NOP, "Jl. B"))
    city_run("semarang", add_object(MALANG_NOP, "Jl. C"))  # another city's register


# --- search and demo ----------------------------------------------------------


def test_search_finds_an_object_by_nop_and_the_service_by_word(client, city_run):
    city_run("malang", add_object(MALANG_NOP, "Jl. Ki Ageng Gribig No. 45"))
    page = client.get("/malang/cari", params={"q": "35.73.010.001.001-0001.0"})
    assert "Jl. Ki Ageng Gribig No. 45" in page.text
    assert f"/malang/pajak/?nop={MALANG_NOP}" in page.text
    page = client.get("/malang/cari", params={"q": "bayar PBB"})
    assert 'href="/malang/pajak/"' in page.text
    assert "/pajak/" not in client.get("/semarang/cari", params={"q": "PBB"}).text


def test_seed_demo_fills_a_city_once(client, balai_app, city_run):
    from balai_pajak import plugin

    city = balai_app.ui.config.cities["malang"]
    report = city_run("malang", as_demo_seeding(plugin.seed_demo), city)
    assert report.summary
    again = city_run("malang", as_demo_seeding(plugin.seed_demo), city)
    assert again.summary == []
    count = city_run("malang", TaxObject.count)
    assert count == 3000
    assert city_run("semarang", TaxObject.count) == 0


class TestRegionCode:
    @pytest.fixture
    def balai_config(self, tmp_path, balai_cities):
        return write_config(
            tmp_path / "instance", balai_cities, city_options={"malang": {"region_code": "35.73"}}
        )

    def test_a_nop_of_another_region_is_refused_with_the_reason(self, client):
        page = client.get("/malang/pajak/", params={"nop": "33.74.130.001.002-0003.0"})
        assert page.status_code == 400
        assert "NOP ini milik wilayah 33.74, bukan Kota Malang (35.73)." in page.text

    def test_a_nop_of_the_citys_region_is_looked_up(self, client):
        assert client.get("/malang/pajak/", params={"nop": MALANG_NOP}).status_code == 404
