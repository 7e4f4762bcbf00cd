"""Files over HTTP: the office upload page, downloads with safe headers, access rules."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from balai.files import service
from balai.files.tables import FileRecord
from files_samples import EXE, HTML, image_bytes, pdf_bytes
from litestar.datastructures import UploadFile
from PIL import Image

PAGE = "/malang/kelola/berkas/"


def csrf(client) -> str:
    client.get(PAGE)
    for cookie in client.cookies.jar:
        if cookie.name == "balai_csrf":
            return cookie.value
    raise AssertionError("no CSRF cookie")


def upload(
    client,
    data: bytes,
    *,
    name="foto.jpg",
    content_type="image/jpeg",
    kind="image",
    visibility="public",
    token=None,
):
    form = {"kind": kind, "visibility": visibility, "_csrf_token": token or csrf(client)}
    return client.post(
        PAGE, data=form, files={"file": (name, data, content_type)}, follow_redirects=False
    )


def rows(city_run, city="malang"):
    async def read():
        return await FileRecord.select().order_by(FileRecord.id)

    return city_run(city, read)


def stored_files(app) -> list[Path]:
    root = Path(app.ui.config.data_dir) / "files"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def manager(login_as):
    return login_as("files.manager")


# --- the office page -------------------------------------------------------------------


def test_the_upload_page_needs_files_manage(client, login_as):
    assert client.get(PAGE, follow_redirects=False).status_code in (302, 303)
    login_as()  # a citizen
    assert client.get(PAGE).status_code == 403
    login_as("files.manager")
    page = client.get(PAGE)
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text and 'name="_csrf_token"' in page.text


def test_the_kits_post_form_sends_files_as_multipart(client, manager, city_run, post_form):
    image = image_bytes("PNG", (20, 10))
    response = post_form(
        PAGE,
        {"kind": "image", "visibility": "owner"},
        files={"file": ("denah.png", image, "image/png")},
    )
    assert response.status_code == 303
    [row] = rows(city_run)
    assert (row["original_name"], row["visibility"]) == ("denah.png", "owner")


def test_upload_stores_a_clean_image_with_thumbnails_and_serves_it_safely(
    client, manager, city_run, balai_app
):
    response = upload(
        client, image_bytes("JPEG", (1600, 1200), gps=True), name="../../rumah saya.jpg"
    )
    assert response.status_code == 303
    [row] = rows(city_run)
    assert row["owner_id"] == manager["id"]
    assert row["original_name"] == "rumah saya.jpg"
    assert (row["width"], row["height"], row["thumbnails"]) == (1600, 1200, "320,960")
    # Stored under a server-made name in <data_dir>/files/<city>/<yy>/<mm>/, with two thumbnails.
    on_disk = stored_files(balai_app)
    assert len(on_disk) == 3
    for path in on_disk:
        parts = path.relative_to(Path(balai_app.ui.config.data_dir) / "files").parts
        assert parts[0] == "malang" and len(parts[1]) == 2 and len(parts[2]) == 2
        assert "rumah" not in path.name

    got = client.get(f"/malang/berkas/{row['token']}")
    assert got.status_code == 200
    assert got.headers["content-type"] == "image/jpeg"
    assert got.headers["content-disposition"].startswith('inline; filename="rumah saya.jpg"')
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert got.headers["etag"] == f'"{row["sha256"]}"'
    assert not Image.open(BytesIO(got.content)).getexif()  # no GPS left
    assert b"KameraHP" not in got.content

    again = client.get(
        f"/malang/berkas/{row['token']}", headers={"If-None-Match": got.headers["etag"]}
    )
    assert again.status_code == 304 and again.content == b""

    for size, expected in ((320, (320, 240)), (960, (960, 720))):
        thumb = client.get(f"/malang/berkas/{row['token']}/thumb/{size}")
        assert thumb.status_code == 200
        assert thumb.headers["content-type"] == "image/webp"
        assert Image.open(BytesIO(thumb.content)).size == expected
    assert client.get(f"/malang/berkas/{row['token']}/thumb/500").status_code == 404
    assert client.get(f"/malang/berkas/{row['token']}/thumb/abc").status_code in (400, 404)


@pytest.mark.parametrize(
    ("data", "name", "content_type", "kind", "status", "message"),
    [
        (
            b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024),
            "big.jpg",
            "image/jpeg",
            "image",
            413,
            "larger than 5 MB",
        ),
        (EXE, "foto.jpg", "image/jpeg", "image", 415, "not a JPEG, PNG or WebP image"),
        (HTML, "foto.png", "image/png", "image", 415, "not a JPEG, PNG or WebP image"),
        (
            image_bytes("PNG", (10, 10)),
            "foto.jpg",
            "image/jpeg",
            "image",
            415,
            "does not match its declared type",
        ),
        (b"", "kosong.pdf", "application/pdf", "document", 400, "The file is empty."),
        (
            image_bytes("JPEG", (10, 10)),
            "surat.pdf",
            "application/pdf",
            "document",
            415,
            "not a PDF document",
        ),
    ],
    ids=[
        "oversized",
        "exe-renamed-jpg",
        "html-claiming-png",
        "png-declared-jpeg",
        "empty",
        "image-as-pdf",
    ],
)
def test_refused_uploads_say_why_with_the_right_status_and_store_nothing(
    client, manager, city_run, balai_app, data, name, content_type, kind, status, message
):
    client.cookies.set("balai_lang", "en")
    response = upload(client, data, name=name, content_type=content_type, kind=kind)
    assert response.status_code == status
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    assert rows(city_run) == []
    assert stored_files(balai_app) == []


def test_refusals_are_in_indonesian_by_default(client, manager):
    response = upload(client, EXE, name="foto.jpg")
    assert response.status_code == 415
    assert "This file is not a JPEG" not in response.text


@pytest.mark.parametrize(
    ("form", "field_message"),
    [
        ({"kind": "video", "visibility": "public"}, "Choose image or document."),
        ({"kind": "image", "visibility": "everyone"}, "Choose who may see the file."),
    ],
)
def test_bad_form_fields_are_refused(client, manager, city_run, form, field_message):
    client.cookies.set("balai_lang", "en")
    form = {**form, "_csrf_token": csrf(client)}
    response = client.post(
        PAGE, data=form, files={"file": ("a.jpg", image_bytes("JPEG", (8, 8)), "image/jpeg")}
    )
    assert response.status_code == 400
    assert field_message in response.text
    assert rows(city_run) == []


def test_a_form_without_a_file_is_refused(client, manager, city_run):
    client.cookies.set("balai_lang", "en")
    response = client.post(
        PAGE,
        data={"kind": "image", "visibility": "public", "file": "x", "_csrf_token": csrf(client)},
    )
    assert response.status_code == 400
    assert "Choose a file to upload." in response.text


def test_an_upload_without_the_csrf_token_is_refused(client, manager, city_run):
    client.get(PAGE)
    response = client.post(
        PAGE,
        data={"kind": "image", "visibility": "public"},
        files={"file": ("a.jpg", image_bytes("JPEG", (8, 8)), "image/jpeg")},
    )
    assert response.status_code == 403
    assert rows(city_run) == []


# --- documents and access --------------------------------------------------------------


def _save(city_run, data, *, name, content_type, kind, owner_id, visibility):
    async def save():
        upload_file = UploadFile(content_type=content_type, filename=name, file_data=data)
        return await service.save_upload(
            upload_file, kind=kind, owner_id=owner_id, visibility=visibility
        )

    return city_run("malang", save)


def test_documents_download_as_attachments_with_a_safe_name(client, city_run):
    stored = _save(
        city_run,
        pdf_bytes(),
        name="..\\..\\Surat Izin Usaha.pdf",
        content_type="application/pdf",
        kind="document",
        owner_id=None,
        visibility="public",
    )
    got = client.get(
        service.file_url(stored.id, request=None).replace("/berkas", "/malang/berkas", 1)
    )
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"] == (
        "attachment; filename=\"Surat Izin Usaha.pdf\"; filename*=UTF-8''Surat%20Izin%20Usaha.pdf"
    )
    assert got.content == pdf_bytes()  # documents are stored as uploaded
    assert stored.thumbnails == ()
    assert client.get(f"/malang/berkas/{stored.id}/thumb/320").status_code == 404


def test_owner_only_files(client, login_as, city_run):
    owner = login_as(name="Pemilik")
    stored = _save(
        city_run,
        pdf_bytes(),
        name="ktp.pdf",
        content_type="application/pdf",
        kind="document",
        owner_id=owner["id"],
        visibility="owner",
    )
    url = f"/malang/berkas/{stored.id}"
    mine = client.get(url)
    assert mine.status_code == 200
    assert mine.headers["cache-control"] == "private, no-store"

    client.post("/malang/keluar", data={"_csrf_token": csrf(client)})
    client.cookies.clear()
    anonymous = client.get(url, follow_redirects=False)
    assert anonymous.status_code in (302, 303) and "/masuk" in anonymous.headers["location"]

    login_as(name="Tetangga")
    assert client.get(url).status_code == 404  # another citizen: as if it did not exist
    login_as("payments.officer" if False else "files.manager")
    assert client.get(url).status_code == 200  # a file manager may open it


def test_officer_only_files(client, login_as, city_run):
    stored = _save(
        city_run,
        image_bytes("PNG", (40, 40)),
        name="denah.png",
        content_type="image/png",
        kind="image",
        owner_id=None,
        visibility="officer",
    )
    url = f"/malang/berkas/{stored.id}/thumb/320"
    login_as()
    assert client.get(url).status_code == 404
    login_as("files.manager")
    assert client.get(url).status_code == 200


def test_files_are_invisible_from_another_city_and_odd_tokens_are_404(client, city_run):
    stored = _save(
        city_run,
        image_bytes("WEBP", (30, 30)),
        name="a.webp",
        content_type="image/webp",
        kind="image",
        owner_id=None,
        visibility="public",
    )
    assert client.get(f"/malang/berkas/{stored.id}").status_code == 200
    assert client.get(f"/semarang/berkas/{stored.id}").status_code == 404
    for token in (
        "x",
        "A" * 200,
        "..%2F..%2Fetc%2Fpasswd",
        stored.id[:-1] + ("A" if stored.id[-1] != "A" else "B"),
    ):
        assert client.get(f"/malang/berkas/{token}").status_code == 404


def test_file_url_and_deleting_a_file(client, login_as, city_run, balai_app):
    stored = _save(
        city_run,
        image_bytes("JPEG", (500, 500)),
        name="a.jpg",
        content_type="image/jpeg",
        kind="image",
        owner_id=None,
        visibility="public",
    )
    assert service.file_url(stored) == f"/berkas/{stored.id}"
    assert service.file_url(stored.id, thumb=320) == f"/berkas/{stored.id}/thumb/320"
    with pytest.raises(ValueError):
        service.file_url(stored.id, thumb=100)
    login_as("files.manager")
    page = client.get(PAGE)
    assert f"/malang/berkas/{stored.id}" in page.text
    deleted = client.post(
        f"{PAGE}{stored.id}/hapus", data={"_csrf_token": csrf(client)}, follow_redirects=False
    )
    assert deleted.status_code == 303
    assert client.get(f"/malang/berkas/{stored.id}").status_code == 404
    assert stored_files(balai_app) == []
    again = client.post(f"{PAGE}{stored.id}/hapus", data={"_csrf_token": csrf(client)})
    assert again.status_code == 404


def test_deleting_an_account_removes_its_private_files_and_unlinks_public_ones(
    client, login_as, city_run, balai_app
):
    owner = login_as()
    private = _save(
        city_run,
        pdf_bytes(),
        name="kk.pdf",
        content_type="application/pdf",
        kind="document",
        owner_id=owner["id"],
        visibility="owner",
    )
    public = _save(
        city_run,
        image_bytes("PNG", (20, 20)),
        name="taman.png",
        content_type="image/png",
        kind="image",
        owner_id=owner["id"],
        visibility="public",
    )
    city = balai_app.ui.config.cities["malang"]

    async def delete_user():
        await balai_app.ui.registry.gather(city, "user_deleted", city=city, user_id=owner["id"])
        return await FileRecord.select(FileRecord.token, FileRecord.owner_id)

    left = city_run("malang", delete_user)
    assert left == [{"token": public.id, "owner_id": None}]
    assert client.get(f"/malang/berkas/{private.id}").status_code == 404


def test_orphaned_bytes_are_swept_after_a_day(city_run, balai_app):
    import os
    import time
    from datetime import timedelta

    kept = _save(
        city_run,
        image_bytes("PNG", (20, 20)),
        name="a.png",
        content_type="image/png",
        kind="image",
        owner_id=None,
        visibility="public",
    )

    async def rolled_back():
        async with FileRecord._meta.db.transaction():
            await service.save_upload(
                UploadFile(
                    content_type="image/png",
                    filename="b.png",
                    file_data=image_bytes("PNG", (20, 20)),
                ),
                kind="image",
                owner_id=None,
            )
            raise RuntimeError("the plugin's own write failed")

    with pytest.raises(RuntimeError):
        city_run("malang", rolled_back)
    assert len(stored_files(balai_app)) == 6  # 3 kept, 3 orphaned
    city = balai_app.ui.config.cities["malang"]
    assert city_run("malang", lambda: service.sweep_orphans(city)) == 0  # too fresh to judge
    day_ago = time.time() - 2 * 86400
    for path in stored_files(balai_app):
        os.utime(path, (day_ago, day_ago))
    assert (
        city_run("malang", lambda: service.sweep_orphans(city, older_than=timedelta(days=1))) == 3
    )
    assert len(stored_files(balai_app)) == 3
    [row] = rows(city_run)
    assert row["token"] == kept.id
    assert "files.sweep_orphans" in balai_app.ui.jobs.catalog.jobs


def test_a_body_over_the_instance_limit_is_refused_before_reading(client, manager, city_run):
    client.cookies.set("balai_lang", "en")
    big = b"%PDF-1.7\n" + b"0" * (11 * 1024 * 1024)
    response = upload(
        client, big, name="besar.pdf", content_type="application/pdf", kind="document"
    )
    assert response.status_code == 413
    assert "larger than this site accepts" in response.text
    assert rows(city_run) == []
