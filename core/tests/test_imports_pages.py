"""Spreadsheet imports over HTTP and in the job queue, with the ``uji`` plugin's importers.

``uji.notes`` (permission ``uji.import_notes``, batches of 2 rows) writes a
note per row *before* checking it, so a rejected row must be rolled back;
``uji.my_notes`` is an owner import for accounts named "Pedagang ...".
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from balai.imports import processing
from balai.imports.service import utc_now
from balai.imports.tables import ImportRow, ImportRun
from balai.testing import run_queued_jobs
from openpyxl import Workbook
from test_platform_uji_plugin import (
    IMPORT_ROLE,
    NOTES_IMPORTER,
    OWNER_IMPORTER,
    SLUG,
    SimulatedCrash,
    UjiNote,
    uji_registry,
)

BASE = f"/malang/impor/{NOTES_IMPORTER}/"
OWN = f"/malang/impor/{OWNER_IMPORTER}/"
MIXED = (
    b"teks;nomor\n"
    b"Catatan satu;1\n"  # line 2: ok
    b"Ini GAGAL;2\n"  # line 3: rejected by the handler (teks)
    b"Catatan tiga;x\n"  # line 4: rejected by the handler (nomor)
    b";4\n"  # line 5: required teks empty, handler not called
    b"Catatan lima;\n"  # line 6: ok
    b"meledak;6\n"  # line 7: the handler crashes with a bug
)
_CSRF = re.compile(r'name="_csrf_token"\s+value="([^"]+)"')


def csrf_of(client: Any, url: str) -> str:
    page = client.get(url)
    found = _CSRF.search(page.text)
    assert found, f"no CSRF field on {url} ({page.status_code})"
    return found.group(1)


def upload(client: Any, url: str, name: str, data: bytes, *, token: str | None = None) -> Any:
    token = token if token is not None else csrf_of(client, url)
    return client.post(
        url,
        data={"_csrf_token": token},
        files={"file": (name, data, "application/octet-stream")},
        follow_redirects=False,
    )


def notes(city_run: Any, city: str = "malang") -> list[str]:
    async def texts() -> list[str]:
        return [r["text"] for r in await UjiNote.select(UjiNote.text).order_by(UjiNote.id)]

    return city_run(city, texts)


def runs(city_run: Any, city: str = "malang") -> list[dict[str, Any]]:
    async def all_runs() -> list[dict[str, Any]]:
        return await ImportRun.select().order_by(ImportRun.id)

    return city_run(city, all_runs)


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def officer(login_as: Any) -> dict:
    return login_as(IMPORT_ROLE, name="Petugas Impor")


def test_good_rows_are_applied_and_bad_ones_reported_with_line_column_and_reason(
    client: Any, officer: dict, city_run: Any, balai_app: Any
) -> None:
    response = upload(client, BASE, "catatan.csv", MIXED)
    assert response.status_code == 303
    run_url = response.headers["location"]
    assert re.fullmatch(rf"/malang/impor/{re.escape(NOTES_IMPORTER)}/\d+", run_url)
    waiting = client.get(run_url)
    assert "Waiting to start: 6 rows" in waiting.text or "Menunggu" in waiting.text
    assert notes(city_run) == []  # nothing is applied in the request

    results = run_queued_jobs(balai_app)
    assert [(r.job, r.status) for r in results] == [("imports.process", "ok")]

    # Rejected rows left nothing behind, though the handler wrote before checking.
    assert notes(city_run) == ["Catatan satu", "Catatan lima"]
    (run,) = runs(city_run)
    assert (run["status"], run["total"], run["done"], run["ok"], run["failed"]) == (
        "done",
        6,
        6,
        2,
        4,
    )
    page = client.get(run_url)
    rows = re.findall(
        r"<tr>\s*<td [^>]*class=\"nowrap\">(\d+)</td>\s*<td[^>]*>(.*?)</td>", page.text, re.S
    )
    assert [(line, re.sub(r"<[^>]+>", "", col)) for line, col in rows] == [
        ("3", "teks"),
        ("4", "nomor"),
        ("5", "teks"),
        ("7", "seluruh baris"),
    ]
    assert "Notes may not say GAGAL." in page.text
    assert "hx-trigger" not in page.text and 'http-equiv="refresh"' not in page.text

    report = client.get(run_url + "/kesalahan.csv")
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/csv")
    text = report.content.decode("utf-8")
    assert text.startswith("\ufeffteks;nomor;Baris;Masalah\r\n")
    lines = text.lstrip("\ufeff").splitlines()
    assert [line.split(";")[:3] for line in lines[1:]] == [
        ["Ini GAGAL", "2", "3"],
        ["Catatan tiga", "x", "4"],
        ["", "4", "5"],
        ["meledak", "6", "7"],
    ]
    assert "nomor: Write a whole number." in lines[2]


def test_the_run_page_polls_while_running_and_the_fragment_stops_when_done(
    client: Any, officer: dict, balai_app: Any
) -> None:
    run_url = upload(client, BASE, "a.csv", b"teks\nsatu\ndua\ntiga\n").headers["location"]
    page = client.get(run_url)
    assert 'hx-get="' + run_url + '/progres"' in page.text
    assert '<noscript><meta http-equiv="refresh"' in page.text
    assert f'href="{run_url}"' in page.text  # the no-JS refresh link
    fragment = client.get(run_url + "/progres", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert 'value="0"' in fragment.text and "HX-Refresh" not in fragment.headers

    run_queued_jobs(balai_app)
    done = client.get(run_url + "/progres", headers={"HX-Request": "true"})
    assert done.headers.get("hx-refresh") == "true"
    assert 'value="100"' in done.text and "hx-trigger" not in done.text
    assert "3" in client.get(run_url).text


def test_the_upload_page_lists_columns_template_and_past_runs(
    client: Any, officer: dict, balai_app: Any
) -> None:
    page = client.get(BASE)
    assert page.status_code == 200
    for text in ("<code>teks</code>", "<code>nomor</code>", "Catatan pertama", "templat.csv"):
        assert text in page.text
    assert 'enctype="multipart/form-data"' in page.text
    template = client.get(BASE + "templat.csv")
    assert template.status_code == 200
    assert template.content == "\ufeffteks;nomor\r\n".encode()
    assert "attachment" in template.headers["content-disposition"]

    upload(client, BASE, "daftar-catatan.csv", b"teks\nsatu\n")
    run_queued_jobs(balai_app)
    listed = client.get(BASE)
    assert "daftar-catatan.csv" in listed.text and "1 diimpor" in listed.text
    assert "· Petugas Impor" in listed.text  # who uploaded it


def test_an_xlsx_upload_is_imported_with_numbers_as_typed(
    client: Any, officer: dict, city_run: Any, balai_app: Any
) -> None:
    data = xlsx([["Teks", "Nomor"], ["dari excel", 7.0], ["kedua", 2.5]])
    run_url = upload(client, BASE, "catatan.xlsx", data).headers["location"]
    run_queued_jobs(balai_app)
    assert notes(city_run) == ["dari excel"]
    page = client.get(run_url)
    assert ">4<" not in page.text and re.search(r">3</td>\s*<td[^>]*><code>nomor</code>", page.text)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("catatan.csv", b"nomor;lain\n1;2\n", "teks"),
        ("catatan.csv", b"", "kosong"),
        ("catatan.xlsx", b"%PDF-1.4\n%%EOF\n", "bukan"),
        ("catatan.csv", b"teks\n" + b"baris\n" * 51, "50"),
        ("catatan.csv", b"teks\n" + b"x" * 70_000 + b"\n", "64 KB"),
    ],
)
def test_a_refused_file_shows_the_reason_with_400_and_creates_nothing(
    client: Any, officer: dict, city_run: Any, name: str, data: bytes, message: str
) -> None:
    response = upload(client, BASE, name, data)
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.text and message in response.text
    assert runs(city_run) == []


def test_a_form_without_a_file_is_refused(client: Any, officer: dict, city_run: Any) -> None:
    token = csrf_of(client, BASE)
    response = client.post(BASE, data={"_csrf_token": token}, follow_redirects=False)
    assert response.status_code == 400 and 'aria-invalid="true"' in response.text
    assert runs(city_run) == []


def test_an_upload_without_the_csrf_token_is_refused(
    client: Any, officer: dict, city_run: Any
) -> None:
    response = upload(client, BASE, "a.csv", b"teks\nsatu\n", token="palsu")
    assert response.status_code == 403
    assert runs(city_run) == []


def test_anonymous_visitors_are_sent_to_login(client: Any) -> None:
    for url in (BASE, BASE + "templat.csv", BASE + "1", OWN):
        response = client.get(url, follow_redirects=False)
        assert response.status_code in (302, 303), url
        assert response.headers["location"].startswith("/malang/masuk?next=")


def test_a_citizen_without_the_permission_gets_403_everywhere(
    client: Any, login_as: Any, city_run: Any
) -> None:
    login_as()
    for url in (
        BASE,
        BASE + "templat.csv",
        BASE + "1",
        BASE + "1/progres",
        BASE + "1/kesalahan.csv",
    ):
        assert client.get(url).status_code == 403, url
    assert upload(client, BASE, "a.csv", b"teks\nx\n", token="x").status_code == 403
    assert runs(city_run) == []


def test_unknown_importers_and_runs_are_404(client: Any, officer: dict, login_as: Any) -> None:
    assert client.get("/malang/impor/uji.tidak_ada/").status_code == 404
    assert client.get(BASE + "999").status_code == 404
    assert client.get(BASE + "999/kesalahan.csv").status_code == 404
    # The plugin is not enabled in Semarang: its importers do not exist there.
    login_as(city="semarang")
    assert client.get(f"/semarang/impor/{NOTES_IMPORTER}/").status_code == 404


def test_an_owner_import_files_runs_under_the_owner_and_hides_them_from_others(
    client: Any, login_as: Any, city_run: Any, balai_app: Any
) -> None:
    login_as()  # a citizen whose access callback refuses
    assert client.get(OWN).status_code == 403
    assert upload(client, OWN, "a.csv", b"teks\nx\n", token="x").status_code == 403

    first = login_as(name="Pedagang Sari")
    run_url = upload(client, OWN, "produk.csv", b"Teks\nKeripik\nTempe\n").headers["location"]
    run_queued_jobs(balai_app)
    assert notes(city_run) == [f"{first['id']}:Keripik", f"{first['id']}:Tempe"]
    assert client.get(run_url).status_code == 200
    assert "produk.csv" in client.get(OWN).text

    login_as(name="Pedagang Budi")  # another owner: not their run
    assert client.get(run_url).status_code == 404
    assert client.get(run_url + "/kesalahan.csv").status_code == 404
    assert "produk.csv" not in client.get(OWN).text


def test_another_citys_run_is_not_found(balai_app_factory: Any) -> None:
    from balai.testing import make_login_as, make_post_form, open_client, run_in_city

    app = balai_app_factory(registry=uji_registry(), cities={"malang": [SLUG], "semarang": [SLUG]})
    with open_client(app) as client:
        login_as = make_login_as(client, app, make_post_form(client))
        login_as(IMPORT_ROLE)
        run_url = upload(client, BASE, "a.csv", b"teks\nsatu\n").headers["location"]
        run_id = run_url.rsplit("/", 1)[1]
        login_as(IMPORT_ROLE, city="semarang")
        other = f"/semarang/impor/{NOTES_IMPORTER}/"
        assert client.get(other).status_code == 200
        assert client.get(other + run_id).status_code == 404
        assert client.get(other + run_id + "/kesalahan.csv").status_code == 404
        assert "a.csv" not in client.get(other).text

        async def count() -> int:
            return await ImportRun.count()

        assert run_in_city(app, "semarang", count) == 0


def test_a_crashed_worker_is_resumed_without_applying_a_row_twice(
    client: Any, officer: dict, city_run: Any, balai_app: Any
) -> None:
    plugin = balai_app.ui.registry.plugins[SLUG].obj
    body = b"teks\n" + b"".join(f"catatan {n}\n".encode() for n in range(1, 8))
    run_id = int(upload(client, BASE, "a.csv", body).headers["location"].rsplit("/", 1)[1])
    city = balai_app.ui.config.cities["malang"]
    plugin.crash_at_line = 5  # the second batch (lines 4-5) dies at its second row

    async def first_worker() -> str:
        try:
            await processing.process_run(city, run_id, worker="mati")
        except SimulatedCrash:  # caught here: out of the test loop it would stop the loop
            return "died"
        return "finished"

    assert city_run("malang", first_worker) == "died"
    (run,) = runs(city_run)
    assert (run["status"], run["done"], run["ok"]) == ("running", 2, 2)
    assert notes(city_run) == ["catatan 1", "catatan 2"]  # line 4's write rolled back

    async def second_worker() -> bool:
        return await processing.process_run(city, run_id, worker="hidup")

    plugin.crash_at_line = None
    assert city_run("malang", second_worker) is False  # the dead worker's lease still holds
    assert city_run("malang", processing.stale_runs, utc_now()) == []

    async def expire_lease() -> None:
        await ImportRun.update({ImportRun.lease_until: utc_now() - timedelta(seconds=1)}).where(
            ImportRun.id == run_id
        )

    city_run("malang", expire_lease)
    assert city_run("malang", processing.stale_runs, utc_now()) == [run_id]
    city_run("malang", processing.resume_job, city)
    assert notes(city_run) == [f"catatan {n}" for n in range(1, 8)]
    (run,) = runs(city_run)
    assert (run["status"], run["done"], run["ok"], run["failed"]) == ("done", 7, 7, 0)

    async def statuses() -> set[str]:
        return {r["status"] for r in await ImportRow.select(ImportRow.status)}

    assert city_run("malang", statuses) == {"ok"}
    # The queued job, delivered late, finds the run finished and does nothing.
    run_queued_jobs(balai_app)
    assert len(notes(city_run)) == 7


def test_thousands_of_rows_are_applied_in_batches(
    client: Any, login_as: Any, city_run: Any, balai_app: Any
) -> None:
    owner = login_as(name="Pedagang Besar")
    body = "teks\r\n" + "".join(f"produk {n}\r\n" for n in range(3000))
    run_url = upload(client, OWN, "besar.csv", body.encode()).headers["location"]
    run_queued_jobs(balai_app)
    texts = notes(city_run)
    assert len(texts) == 3000 and len(set(texts)) == 3000
    assert texts[0] == f"{owner['id']}:produk 0" and texts[-1] == f"{owner['id']}:produk 2999"
    page = client.get(run_url)
    assert "Semua baris berhasil diimpor." in page.text


def test_messages_follow_the_chosen_language(client: Any, officer: dict) -> None:
    client.get("/malang/bahasa/en")
    response = upload(client, BASE, "a.csv", b"nomor\n1\n")
    assert response.status_code == 400
    assert "The file lacks required columns: teks." in response.text
    assert "Upload a spreadsheet" in client.get(BASE).text


def test_a_deleted_account_is_unlinked_from_its_runs_and_old_runs_are_pruned(
    client: Any, officer: dict, city_run: Any, balai_app: Any
) -> None:
    from balai.imports.plugin import prune_runs

    upload(client, BASE, "a.csv", b"teks\nsatu\n")
    upload(client, BASE, "b.csv", b"teks\ndua\n")
    run_queued_jobs(balai_app)
    city = balai_app.ui.config.cities["malang"]

    async def delete_user() -> None:
        await balai_app.ui.registry.gather(city, "user_deleted", city=city, user_id=officer["id"])

    city_run("malang", delete_user)
    assert [r["user_id"] for r in runs(city_run)] == [None, None]

    async def age_first_run() -> None:
        first = min(r["id"] for r in await ImportRun.select(ImportRun.id))
        await ImportRun.update({ImportRun.created_at: utc_now() - timedelta(days=91)}).where(
            ImportRun.id == first
        )

    city_run("malang", age_first_run)
    city_run("malang", prune_runs, city)
    assert [r["file_name"] for r in runs(city_run)] == ["b.csv"]

    async def row_count() -> int:
        return await ImportRow.count()

    assert city_run("malang", row_count) == 1
