"""The yearly assessment run: page, guards, background job, idempotence, resuming, progress."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from balai.testing import write_config
from balai_pajak.bulk import insert_rows
from balai_pajak.demo import OBJECT_COLUMNS
from balai_pajak.pbb.assessment_run import BATCH_SIZE
from balai_pajak.tables import AssessmentRun, Sppt, TaxObject
from pbb_data import demo_pbb
from pbb_seed import add_bill, add_object, add_taxpayer, bills

NOPS = [f"3573010001001{n:04d}0" for n in range(1, 6)]


@pytest.fixture
def balai_config(tmp_path, balai_cities):
    return write_config(
        tmp_path / "instance",
        balai_cities,
        city_options={"malang": {"settings": {"pajak": {"pbb": demo_pbb("malang")}}}},
    )


@pytest.fixture
def run_jobs(balai_app, city_run):
    def run():
        return city_run("malang", balai_app.ui.jobs.runner.run_queued)

    return run


def seed_five(city_run):
    """Two taxpayers (one with three objects), one object without a taxpayer, one inactive."""

    async def seed():
        budi = await add_taxpayer("Budi Santoso", "3573010101800001")
        sri = await add_taxpayer("Sri Wahyuni")
        await add_object(NOPS[0], budi, land=100, building=0)  # NJOP 200 million
        await add_object(NOPS[1], budi, land=300, building=200)  # 1.2 billion: Budi's largest
        await add_object(NOPS[2], budi, land=150, building=50)
        await add_object(NOPS[3], sri, land=90, building=40)
        await add_object(NOPS[4], None, land=60, building=0)
        await add_object("357301000100100060", sri, active=False)

    city_run("malang", seed)


# --- guards ---------------------------------------------------------------------------


def test_runs_page_needs_an_officer(client, login_as):
    response = client.get("/malang/kelola/pajak/penetapan", follow_redirects=False)
    assert response.status_code == 303 and "/malang/masuk" in response.headers["location"]
    login_as()
    assert client.get("/malang/kelola/pajak/penetapan").status_code == 403


def test_citizen_cannot_start_a_run(client, login_as, post_form, city_run):
    login_as()
    response = post_form("/malang/kelola/pajak/penetapan", {"year": "2025"})
    assert response.status_code == 403
    assert city_run("malang", AssessmentRun.count) == 0


def test_runs_page_absent_where_pajak_is_off(client, login_as):
    login_as("city_admin", city="semarang")
    assert client.get("/semarang/kelola/pajak/penetapan").status_code == 404


def test_runs_page_lists_the_rules_in_force(client, login_as):
    login_as("pajak.officer")
    page = client.get("/malang/kelola/pajak/penetapan")
    assert page.status_code == 200
    assert "Perda Kota Malang 1/2025" in page.text
    assert "0,055% hingga Rp1.500.000.000" in page.text
    this_year = datetime.now(UTC).astimezone(ZoneInfo("Asia/Jakarta")).year
    assert f'name="year" value="{this_year}"' in page.text
    # The runs' heading is the plugin's own ("Runs" alone is the core's reconciliation history).
    assert '<h2 class="section-title" id="runs-title">Riwayat penetapan</h2>' in page.text
    assert "rekonsiliasi" not in page.text


# --- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["", "dua ribu", "1850", "20255", "٢٠٢٥", "+2", "2100"])
def test_a_bad_year_is_a_400_with_the_form_kept(client, login_as, post_form, city_run, typed):
    login_as("pajak.officer")
    response = post_form("/malang/kelola/pajak/penetapan", {"year": typed})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.text
    last = datetime.now(ZoneInfo("Asia/Jakarta")).year + 1
    assert f"Masukkan tahun pajak antara 1990 dan {last}" in response.text
    assert city_run("malang", AssessmentRun.count) == 0


def test_a_year_without_a_rule_is_refused(client, login_as, post_form, city_run):
    login_as("pajak.officer")
    response = post_form("/malang/kelola/pajak/penetapan", {"year": "2010"})
    assert response.status_code == 400
    assert "Belum ada aturan PBB-P2 yang berlaku untuk 2010" in response.text
    assert 'value="2010"' in response.text
    assert city_run("malang", AssessmentRun.count) == 0


# --- the run --------------------------------------------------------------------------


def start(post_form, year: str):
    response = post_form("/malang/kelola/pajak/penetapan", {"year": year})
    assert response.status_code == 303
    return response.headers["location"]


def test_a_finished_run_issues_its_sppt_notices_for_signature(
    client, login_as, post_form, city_run, run_jobs
):
    from balai import toolkit as tk

    seed_five(city_run)
    login_as("pajak.officer")
    location = start(post_form, "2024")
    early = post_form(location + "/sppt", {})
    assert early.status_code == 303  # refused with a message: the run is not complete
    run_jobs()
    assert city_run("malang", lambda: tk.issued_documents("pajak.sppt")) == []
    page = client.get(location)
    assert f'action="{location}/sppt"' in page.text
    assert post_form(location + "/sppt", {}).status_code == 303
    run_jobs()
    notices = city_run("malang", lambda: tk.issued_documents("pajak.sppt"))
    assert len(notices) == 5 and {n.status for n in notices} == {tk.DocumentStatus.AWAITING}
    assert post_form(location + "/sppt", {}).status_code == 303
    run_jobs()
    assert len(city_run("malang", lambda: tk.issued_documents("pajak.sppt"))) == 5  # once


def test_run_makes_one_bill_per_active_object_by_the_years_rule(
    client, login_as, post_form, city_run, run_jobs
):
    seed_five(city_run)
    login_as("pajak.officer")
    location = start(post_form, "2024")
    page = client.get(location)
    assert "Menetapkan: 0 dari 5 objek pajak" in page.text
    assert 'hx-trigger="every 2s"' in page.text
    assert '<meta http-equiv="refresh"' in page.text  # inside <noscript>, without JavaScript

    run_jobs()

    made = {b["nop"]: b for b in city_run("malang", bills, 2024)}
    assert sorted(made) == NOPS  # the inactive object gets no bill
    # NJOPTKP once per taxpayer, on the largest object; the object without taxpayer gets its own
    assert [made[n]["njoptkp"] for n in NOPS] == [0, 10_000_000, 0, 10_000_000, 10_000_000]
    largest = made[NOPS[1]]
    assert largest["njop_total"] == 1_200_000_000
    assert largest["rate_ppm"] == 550  # 2024: four bands, NJOP ≤ Rp1.5 billion
    assert largest["tax_due"] == (1_200_000_000 - 10_000_000) * 550 // 1_000_000
    assert largest["taxpayer_name"] == "Budi Santoso"
    assert largest["due_date"] == date(2024, 8, 31)
    assert largest["regulation"] == "Perda Kota Malang 4/2023"
    assert {b["status"] for b in made.values()} == {"unpaid"}

    page = client.get(location)
    assert "Selesai: 5 dari 5 objek pajak" in page.text
    assert "hx-trigger" not in page.text and "http-equiv" not in page.text
    fragment = client.get(location + "/progres", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and fragment.headers.get("hx-refresh") == "true"


def test_2025_run_uses_the_single_rate(client, login_as, post_form, city_run, run_jobs):
    seed_five(city_run)
    login_as("pajak.officer")
    start(post_form, "2025")
    run_jobs()
    largest = next(b for b in city_run("malang", bills, 2025) if b["nop"] == NOPS[1])
    assert (largest["rate_ppm"], largest["regulation"]) == (2000, "Perda Kota Malang 1/2025")
    assert largest["tax_due"] == (1_200_000_000 - 10_000_000) * 2000 // 1_000_000


def test_rerunning_a_year_adds_only_missing_bills_and_leaves_paid_ones(
    client, login_as, post_form, city_run, run_jobs
):
    seed_five(city_run)
    login_as("pajak.officer")
    start(post_form, "2025")
    run_jobs()
    first = {b["nop"]: b for b in city_run("malang", bills, 2025)}

    async def pay_one_and_change_the_world():
        await Sppt.update({Sppt.status: "paid", Sppt.paid_principal: 777}).where(
            Sppt.nop == NOPS[0]
        )
        await add_object("357301000100100070", None, land=10, building=0)

    city_run("malang", pay_one_and_change_the_world)
    start(post_form, "2025")
    run_jobs()
    second = {b["nop"]: b for b in city_run("malang", bills, 2025)}
    assert len(second) == 6  # one new object, no duplicate
    assert second[NOPS[0]]["status"] == "paid" and second[NOPS[0]]["paid_principal"] == 777
    for nop in NOPS:
        assert second[nop]["id"] == first[nop]["id"]
        assert second[nop]["tax_due"] == first[nop]["tax_due"]
    runs = city_run("malang", lambda: AssessmentRun.select().order_by(AssessmentRun.id))
    assert [(r["status"], r["created"], r["kept"]) for r in runs] == [
        ("done", 5, 0),
        ("done", 1, 5),
    ]


def test_a_stopped_run_continues_after_its_cursor(client, login_as, post_form, city_run, run_jobs):
    seed_five(city_run)

    async def crashed_run():
        # A run that finished its first batch (NOPS[0..1]) and then stopped.
        objects = await Sppt.raw("SELECT id, nop FROM pajak_tax_object ORDER BY nop")
        ids = {o["nop"]: o["id"] for o in objects}
        for nop in NOPS[:2]:
            await add_bill(ids[nop], nop, 2025, 1000, date(2025, 8, 31))
        row = await AssessmentRun.insert(
            AssessmentRun(
                year=2025,
                status="failed",
                total=5,
                done=2,
                created=2,
                last_nop=NOPS[1],
                message="RuntimeError: worker stopped",
            )
        )
        return row[0]["id"]

    run_id = city_run("malang", crashed_run)
    login_as("pajak.officer")
    page = client.get(f"/malang/kelola/pajak/penetapan/{run_id}")
    assert "RuntimeError: worker stopped" in page.text
    assert "meneruskan setelah NOP 35.73.010.001.001-0002.0" in page.text
    response = post_form(f"/malang/kelola/pajak/penetapan/{run_id}/lanjutkan", {})
    assert response.status_code == 303
    run_jobs()
    made = {b["nop"]: b for b in city_run("malang", bills, 2025)}
    assert sorted(made) == NOPS
    assert made[NOPS[0]]["tax_due"] == 1000  # made before the stop, kept
    run = city_run("malang", lambda: AssessmentRun.select().first())
    assert (run["status"], run["done"], run["created"], run["kept"]) == ("done", 5, 5, 0)
    # resuming a finished run does nothing
    post_form(f"/malang/kelola/pajak/penetapan/{run_id}/lanjutkan", {})
    assert city_run("malang", lambda: AssessmentRun.select().first())["status"] == "done"


def test_starting_a_year_that_is_running_shows_that_run(client, login_as, post_form, city_run):
    seed_five(city_run)
    login_as("pajak.officer")
    first = start(post_form, "2025")
    second = start(post_form, "2025")
    assert first == second
    assert city_run("malang", AssessmentRun.count) == 1


def test_run_in_batches_keeps_its_cursor(client, login_as, post_form, city_run, run_jobs):
    count = BATCH_SIZE + 5

    async def many():
        payer = await add_taxpayer("Banyak Objek")
        now = datetime.now(UTC)
        rows = [
            (
                "malang",
                f"35730100010020{n:04d}",
                "Jl. Uji",
                "Klojen",
                "Kauman",
                10,
                0,
                "",
                "",
                1000,
                0,
                payer,
                True,
                now,
            )
            for n in range(count)
        ]
        await insert_rows(TaxObject, OBJECT_COLUMNS, rows)

    city_run("malang", many)
    login_as("pajak.officer")
    start(post_form, "2025")
    run_jobs()
    run = city_run("malang", lambda: AssessmentRun.select().first())
    assert (run["done"], run["created"], run["last_nop"]) == (
        count,
        count,
        f"35730100010020{count - 1:04d}",
    )
    made = city_run("malang", bills, 2025)
    assert len(made) == count
    assert sum(1 for b in made if b["njoptkp"]) == 1  # one taxpayer, one NJOPTKP


def test_another_citys_run_is_a_404(client, login_as, city_run):
    async def semarang_run():
        return (await AssessmentRun.insert(AssessmentRun(year=2025)))[0]["id"]

    run_id = city_run("semarang", semarang_run)
    login_as("pajak.officer")
    assert client.get(f"/malang/kelola/pajak/penetapan/{run_id}").status_code == 404
    assert client.get(f"/malang/kelola/pajak/penetapan/{run_id}/progres").status_code == 404
    assert client.get("/malang/kelola/pajak/penetapan/99999").status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/penetapan/1"),
        ("get", "/penetapan/1/progres"),
        ("post", "/penetapan/1/lanjutkan"),
    ],
)
def test_run_pages_refuse_citizens(client, login_as, post_form, city_run, method, path):
    async def a_run():
        return (await AssessmentRun.insert(AssessmentRun(year=2025, status="failed")))[0]["id"]

    run_id = city_run("malang", a_run)
    url = f"/malang/kelola/pajak{path.replace('/1', f'/{run_id}')}"
    anonymous = client.get(url, follow_redirects=False) if method == "get" else None
    if anonymous is not None:
        assert anonymous.status_code == 303
    login_as()
    response = client.get(url) if method == "get" else post_form(url, {})
    assert response.status_code == 403
    assert city_run("malang", lambda: AssessmentRun.select().first())["status"] == "failed"


def test_a_run_whose_worker_died_can_be_continued_but_not_a_live_one(
    client, login_as, post_form, city_run, run_jobs
):
    seed_five(city_run)
    long_ago = datetime.now(UTC) - timedelta(hours=1)

    async def runs():
        dead = AssessmentRun(year=2025, total=5, started_at=long_ago, updated_at=long_ago)
        live = AssessmentRun(year=2024, total=5)
        return [(await AssessmentRun.insert(r))[0]["id"] for r in (dead, live)]

    dead, live = city_run("malang", runs)
    login_as("pajak.officer")
    page = client.get(f"/malang/kelola/pajak/penetapan/{dead}")
    assert "Lanjutkan penetapan" in page.text
    assert "Lanjutkan penetapan" not in client.get(f"/malang/kelola/pajak/penetapan/{live}").text
    post_form(f"/malang/kelola/pajak/penetapan/{live}/lanjutkan", {})
    post_form(f"/malang/kelola/pajak/penetapan/{dead}/lanjutkan", {})
    run_jobs()
    assert sorted(b["nop"] for b in city_run("malang", bills, 2025)) == NOPS
    assert city_run("malang", bills, 2024) == []  # the live run was not queued twice
