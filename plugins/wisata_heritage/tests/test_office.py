"""Officers edit sites and events: forms, drafts, publication with reasons, history, audit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from balai.audit.tables import AuditEntry
from balai_wisata_heritage.events.tables import Event
from balai_wisata_heritage.sites.tables import Site, SiteException
from heritage_rows import add_site

SITE = {
    "name": "Gedung Kesenian Gajayana",
    "description": "Bioskop tua.",
    "district": "Klojen",
    "category": "building",
    "protection": "suspected",
    "registration_number": "",
    "decree": "",
    "legal_source": "Belum diverifikasi: arsip koran",
    "story_id": "## Kisah\n\nBioskop **1930**-an.",
    "story_en": "",
    "opening_hours": "",
    "address": "Jl. Nusakambangan",
    "latitude": "-7.9812",
    "longitude": "112.6291",
    "facilities": "Toilet",
    "accessibility": "",
    "reason": "Usulan TACB",
}


def count(city_run, table, city="malang"):
    async def run():
        return await table.count()

    return city_run(city, run)


@pytest.fixture
def officer(login_as):
    return login_as("wisata_heritage.officer")


def test_the_office_pages_need_the_permission(client, login_as, city_run):
    site = city_run("malang", add_site("Tugu"))
    login_as()  # a citizen
    for path in ("/situs/baru", f"/situs/{site}", "/acara/", "/acara/baru"):
        assert client.get(f"/malang/kelola/wisata-heritage{path}").status_code == 403


def test_a_new_site_is_a_draft_until_published(client, officer, post_form, city_run):
    response = post_form("/malang/kelola/wisata-heritage/situs/baru", SITE)
    assert response.status_code == 303
    site_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert "Gedung Kesenian" not in client.get("/malang/wisata-heritage/").text
    assert client.get(f"/malang/wisata-heritage/situs/{site_id}").status_code == 404
    page = client.get(f"/malang/kelola/wisata-heritage/situs/{site_id}").text
    assert "Usulan TACB" in page and "Draf" in page
    moved = post_form(
        f"/malang/kelola/wisata-heritage/situs/{site_id}/langkah", {"step": "publish"}
    )
    assert moved.status_code == 303
    public = client.get(f"/malang/wisata-heritage/situs/{site_id}").text
    assert "<strong>1930</strong>" in public and "Jl. Nusakambangan" in public


def test_withdrawing_needs_a_reason_and_is_kept_in_the_history(
    client, officer, post_form, city_run
):
    site = city_run("malang", add_site("Tugu"))
    url = f"/malang/kelola/wisata-heritage/situs/{site}/langkah"
    refused = post_form(url, {"step": "withdrawn", "comment": ""})
    assert refused.status_code == 400 and "Berikan alasan" in refused.text
    assert client.get(f"/malang/wisata-heritage/situs/{site}").status_code == 200
    assert post_form(url, {"step": "withdrawn", "comment": "Renovasi besar"}).status_code == 303
    assert client.get(f"/malang/wisata-heritage/situs/{site}").status_code == 404
    assert "Renovasi besar" in client.get(f"/malang/kelola/wisata-heritage/situs/{site}").text
    assert post_form(url, {"step": "terbang"}).status_code == 400


def test_an_edit_needs_a_reason_and_is_audited(client, officer, post_form, city_run):
    site = city_run("malang", add_site("Tugu", district="Klojen"))
    url = f"/malang/kelola/wisata-heritage/situs/{site}"
    without = post_form(url, {**SITE, "name": "Tugu Baru", "reason": ""})
    assert without.status_code == 400
    assert city_run("malang", lambda: Site.select(Site.name).first())["name"] == "Tugu"
    assert post_form(url, {**SITE, "name": "Tugu Baru", "reason": "Nama resmi"}).status_code == 303
    assert city_run("malang", lambda: Site.select(Site.name).first())["name"] == "Tugu Baru"
    assert "Nama resmi" in client.get(url).text
    entries = city_run(
        "malang",
        lambda: AuditEntry.select(AuditEntry.action, AuditEntry.subject).where(
            AuditEntry.action == "wisata_heritage.site.edited"
        ),
    )
    assert entries == [
        {"action": "wisata_heritage.site.edited", "subject": f"wisata_heritage.site:{site}"}
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("latitude", "91"),
        ("latitude", "nan"),
        ("longitude", "181.5"),
        ("longitude", ""),  # latitude given without longitude
        ("category", "castle"),
        ("protection", "world"),
        ("name", "x" * 121),
        ("story_id", "y" * 20_001),
        ("reason", "z" * 301),
    ],
)
def test_bad_site_input_writes_nothing(client, officer, post_form, city_run, field, value):
    before = count(city_run, Site)
    response = post_form("/malang/kelola/wisata-heritage/situs/baru", {**SITE, field: value})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.text
    assert count(city_run, Site) == before


@pytest.mark.parametrize("site_id", ["999999", "9223372036854775808"])
def test_unknown_sites_are_404_for_officers(client, officer, post_form, site_id):
    assert client.get(f"/malang/kelola/wisata-heritage/situs/{site_id}").status_code == 404
    assert post_form(f"/malang/kelola/wisata-heritage/situs/{site_id}", SITE).status_code == 404


def test_exceptions_are_checked_and_saved(client, officer, post_form, city_run):
    site = city_run("malang", add_site("Museum"))
    url = f"/malang/kelola/wisata-heritage/situs/{site}/pengecualian"
    day = date.today() + timedelta(days=3)
    backwards = {
        "starts_on": day.isoformat(),
        "ends_on": (day - timedelta(days=1)).isoformat(),
        "closed": "1",
        "note": "Libur",
    }
    assert post_form(url, backwards).status_code == 400
    too_long = {**backwards, "ends_on": (day + timedelta(days=400)).isoformat()}
    assert post_form(url, too_long).status_code == 400
    open_without_hours = {**backwards, "ends_on": day.isoformat(), "closed": ""}
    assert post_form(url, open_without_hours).status_code == 400
    assert count(city_run, SiteException) == 0
    good = {**backwards, "ends_on": day.isoformat()}
    assert post_form(url, good).status_code == 303
    assert count(city_run, SiteException) == 1
    assert "Libur" in client.get(f"/malang/wisata-heritage/situs/{site}").text


EVENT = {
    "title": "Festival Kayutangan",
    "kind": "festival",
    "site": "",
    "venue": "Koridor Kayutangan",
    "starts_at": "",
    "ends_at": "",
    "summary": "Musik dan kuliner.",
    "description_id": "Acara **tahunan**.",
    "description_en": "",
    "reason": "Agenda Disporapar",
}


def _when(days: int, hour: int) -> str:
    return f"{(date.today() + timedelta(days=days)).isoformat()}T{hour:02d}:00"


def test_an_event_is_written_in_local_time_and_published(client, officer, post_form, city_run):
    site = city_run("malang", add_site("Koridor"))
    data = {**EVENT, "site": str(site), "starts_at": _when(10, 19), "ends_at": _when(10, 22)}
    response = post_form("/malang/kelola/wisata-heritage/acara/baru", data)
    assert response.status_code == 303
    event_id = int(response.headers["location"].rsplit("/", 1)[1])
    stored = city_run("malang", lambda: Event.select().first())
    assert stored["status"] == "draft" and stored["site"] == site
    assert stored["starts_at"].hour == 12  # 19.00 WIB is 12.00 UTC
    assert "Festival Kayutangan" not in client.get("/malang/wisata-heritage/acara/").text
    post_form(f"/malang/kelola/wisata-heritage/acara/{event_id}/langkah", {"step": "publish"})
    assert "Festival Kayutangan" in client.get("/malang/wisata-heritage/acara/").text
    assert "19.00" in client.get(f"/malang/wisata-heritage/acara/{event_id}").text
    cancel = f"/malang/kelola/wisata-heritage/acara/{event_id}/langkah"
    assert post_form(cancel, {"step": "cancelled", "comment": "Hujan badai"}).status_code == 303
    assert post_form(cancel, {"step": "publish"}).status_code == 400  # cancelled is final
    assert "Dibatalkan" in client.get(f"/malang/wisata-heritage/acara/{event_id}").text


@pytest.mark.parametrize(
    "change",
    [
        {"starts_at": "2026-02-30T10:00"},
        {"starts_at": "besok"},
        {"ends_at": _when(10, 18)},  # before the start
        {"site": "", "venue": ""},
        {"site": "987654"},  # not a site of this city
        {"kind": "konser"},
        {"starts_at": _when(2000, 10), "ends_at": _when(2000, 12)},
        {"ends_at": _when(400, 10)},
    ],
)
def test_bad_event_input_writes_nothing(client, officer, post_form, city_run, change):
    data = {**EVENT, "starts_at": _when(10, 19), "ends_at": _when(10, 22), **change}
    response = post_form("/malang/kelola/wisata-heritage/acara/baru", data)
    assert response.status_code == 400
    assert count(city_run, Event) == 0


def test_another_citys_site_cannot_be_chosen(client, officer, post_form, city_run):
    other = city_run("semarang", add_site("Lawang Sewu"))
    data = {**EVENT, "site": str(other), "starts_at": _when(3, 9), "ends_at": _when(3, 11)}
    assert post_form("/malang/kelola/wisata-heritage/acara/baru", data).status_code == 400
    assert "Lawang Sewu" not in client.get("/malang/kelola/wisata-heritage/acara/baru").text


def _jpeg() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (800, 600), "teal").save(out, "JPEG")
    return out.getvalue()


def test_a_photo_goes_through_the_files_service_and_shows_publicly(
    client, officer, post_form, city_run
):
    site = city_run("malang", add_site("Tugu"))
    response = post_form(
        f"/malang/kelola/wisata-heritage/situs/{site}",
        {**SITE, "name": "Tugu", "reason": "Foto baru"},
        files={"photo": ("tugu.jpg", _jpeg(), "image/jpeg")},
    )
    assert response.status_code == 303
    token = city_run("malang", lambda: Site.select(Site.photo).first())["photo"]
    assert token
    page = client.get(f"/malang/wisata-heritage/situs/{site}").text
    assert f"/malang/berkas/{token}/thumb/960" in page
    client.cookies.clear()  # a visitor not signed in may see it: the photo is public
    assert client.get(f"/malang/berkas/{token}/thumb/960").status_code == 200
    listing = client.get("/malang/wisata-heritage/").text
    assert f"/malang/berkas/{token}/thumb/320" in listing


def test_a_file_that_is_not_an_image_is_refused(client, officer, post_form, city_run):
    site = city_run("malang", add_site("Tugu"))
    response = post_form(
        f"/malang/kelola/wisata-heritage/situs/{site}",
        {**SITE, "name": "Tugu", "reason": "Foto baru"},
        files={"photo": ("tugu.jpg", b"%PDF-1.4 not an image", "image/jpeg")},
    )
    assert response.status_code == 400
    assert city_run("malang", lambda: Site.select(Site.photo).first())["photo"] == ""
