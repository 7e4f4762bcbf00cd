"""Daily reconciliation with a partner: our file, the partner's, the mismatches (API, page, CLI)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import balai.asgi
import pytest
import test_partners_support as support
import test_payments_support as payments
from balai.asgi import connected
from balai.cli import main
from balai.partners import manage, reconcile
from balai.partners.partner_side import (
    INQUIRY_PATH,
    PAYMENT_PATH,
    RECON_FILE_PATH,
    RECON_REPORT_PATH,
    REVERSAL_PATH,
)
from balai.partners.reconcile import Line
from balai.partners.tables import Partner, PartnerReconDiff, PartnerReconRun
from balai.tenants import city_scope
from balai.testing import write_config
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from test_partners_support import add_partner, call, code, get_token, inquiry, key_pair, payment

balai_cities = support.balai_cities
toko = payments.toko
lapak = support.lapak
balai_app = support.balai_app

REFS = st.text(alphabet="ABC123", min_size=1, max_size=3)
LINES = st.lists(
    st.builds(Line, REFS, st.integers(0, 10**6), st.sampled_from(["paid", "reversed"])),
    max_size=12,
    unique_by=lambda line: line.reference,
)


@given(LINES)
def test_a_side_compared_with_itself_matches_entirely(lines):
    matched, differences = reconcile.compare(lines, list(lines))
    assert differences == [] and matched == len(lines)


@given(LINES, LINES)
def test_every_reference_is_matched_or_a_difference_once(ours, theirs):
    matched, differences = reconcile.compare(ours, theirs)
    references = {line.reference for line in ours} | {line.reference for line in theirs}
    assert matched + len(differences) == len(references)
    assert len({d.reference for d in differences}) == len(differences)


def test_a_reference_listed_twice_is_a_difference():
    line = Line("P1", 1000, "paid")
    matched, differences = reconcile.compare([line], [line, line])
    assert [d.kind for d in differences] == ["duplicate"] and matched == 1


def test_a_partners_csv_is_read_strictly():
    good = "paymentRequestId,amount,status\nP1,15000,paid\nP2,2000.00,reversed\n"
    assert reconcile.read_csv(good) == [Line("P1", 15000, "paid"), Line("P2", 2000, "reversed")]
    for bad in ("ref,amount\nP1,1\n", "paymentRequestId,amount,status\nP1,-5,paid\n"):
        with pytest.raises(reconcile.ReconFileError):
            reconcile.read_csv(bad)
    with pytest.raises(reconcile.ReconFileError, match="line 2"):
        reconcile.read_csv("paymentRequestId,amount,status\nP1,5,refunded\n")


@pytest.fixture
def day_of_payments(client, balai_app, city_run):
    """A partner that paid LAPAK-5 and LAPAK-7 today and reversed LAPAK-7: (keys, token)."""
    keys = add_partner(balai_app, city_run)
    token = get_token(client, keys)
    for n, customer in enumerate(("LAPAK-5", "LAPAK-7"), start=1):
        call(client, keys, token, INQUIRY_PATH, inquiry(customer, f"Q{n}"))
        amount = int(customer[-1]) * 1000
        paid = call(client, keys, token, PAYMENT_PATH, payment(customer, amount, f"P{n}", f"Q{n}"))
        assert paid.status_code == 200, paid.text
    assert call(client, keys, token, REVERSAL_PATH, {"paymentRequestId": "P2"}).status_code == 200
    return keys, token


def _today() -> str:
    return datetime.now(UTC).astimezone(support.MALANG_TZ).date().isoformat()


def test_the_partner_fetches_our_file_and_reports_its_own(client, city_run, day_of_payments):
    keys, token = day_of_payments
    ours = call(client, keys, token, RECON_FILE_PATH, {"day": _today()})
    assert ours.status_code == 200, ours.text
    lines = ours.json()["payments"]
    assert [(p["paymentRequestId"], p["status"], p["amount"]["value"]) for p in lines] == [
        ("P1", "paid", "5000.00"),
        ("P2", "reversed", "7000.00"),
    ]
    assert lines[0]["fee"]["value"] == "2500.00" and lines[0]["referenceNo"].startswith("PAY-")
    report = {
        "day": _today(),
        "payments": [
            {
                "paymentRequestId": "P1",
                "amount": {"value": "5000.00", "currency": "IDR"},
                "status": "paid",
            },
            {
                "paymentRequestId": "P2",
                "amount": {"value": "7000.00", "currency": "IDR"},
                "status": "paid",
            },
            {
                "paymentRequestId": "P9",
                "amount": {"value": "9000.00", "currency": "IDR"},
                "status": "paid",
            },
        ],
    }
    answer = call(client, keys, token, RECON_REPORT_PATH, report)
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["matched"] == 1
    assert {(d["kind"], d["paymentRequestId"]) for d in data["differences"]} == {
        ("status_mismatch", "P2"),
        ("missing_here", "P9"),
    }

    async def kept():
        return await PartnerReconDiff.count(), await PartnerReconRun.count()

    assert city_run("malang", kept) == (2, 1)


def test_a_bad_report_is_refused_with_nothing_kept(client, city_run, day_of_payments):
    keys, token = day_of_payments
    future = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    for body in (
        {"day": future, "payments": []},
        {"day": _today(), "payments": [{"paymentRequestId": "P1", "status": "paid"}]},
        {"day": "2026-02-30", "payments": []},
    ):
        answer = call(client, keys, token, RECON_REPORT_PATH, body)
        assert answer.status_code == 400 and code(answer).startswith("40088")

    async def runs():
        return await PartnerReconRun.count()

    assert city_run("malang", runs) == 0


def test_an_officer_downloads_our_file_and_compares_the_partners(
    client, post_form, login_as, city_run, day_of_payments
):
    login_as("partners.officer")

    async def partner_id():
        return (await Partner.select().first())["id"]

    pid = city_run("malang", partner_id)
    csv = client.get(f"/malang/kelola/mitra/{pid}/berkas/{_today()}")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0] == ",".join(reconcile.COLUMNS)
    theirs = "paymentRequestId,amount,status\nP1,5000,paid\n"
    done = post_form(f"/malang/kelola/mitra/{pid}/rekonsiliasi", {"day": _today(), "file": theirs})
    assert done.status_code == 303
    page = client.get(f"/malang/kelola/mitra/{pid}/rekonsiliasi")
    assert "P2" not in page.text  # reversed on our side, absent on theirs: even
    bad = post_form(f"/malang/kelola/mitra/{pid}/rekonsiliasi", {"day": _today(), "file": "x"})
    assert bad.status_code == 400

    async def runs():
        return await PartnerReconRun.count()

    assert city_run("malang", runs) == 1


def test_the_cli_writes_our_file_and_fails_on_differences(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("LANG", "C")
    write_config(tmp_path / "instance", {"malang": [], "semarang": []})
    config = tmp_path / "instance" / "balai.toml"
    assert CliRunner().invoke(main, ["migrate", "--config", str(config)]).exit_code == 0
    app = balai.asgi.build_admin_app(config)

    async def create():
        async with connected(app):
            with city_scope(app.ui.config.cities["malang"]):
                settings = manage.PartnerSettings("Bank Uji", ("bills",), key_pair()[1])
                pid, _ = await manage.create_partner(settings, instance_secret="x" * 40)
                return (await manage.partner_by_id(pid))["client_id"]

    client_id = asyncio.run(create())
    theirs = tmp_path / "theirs.csv"
    theirs.write_text("paymentRequestId,amount,status\nP7,7000,paid\n")
    ours = tmp_path / "ours.csv"
    args = ["partner-recon", "--config", str(config), "--city", "malang", "--partner", client_id]
    args += ["--day", _today(), "--write-ours", str(ours), "--their-file", str(theirs)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert "missing_here\tP7" in result.output
    assert ours.read_text().splitlines() == [",".join(reconcile.COLUMNS)]
    unknown = CliRunner().invoke(main, [*args[:6], "NOPE", *args[7:]])
    assert unknown.exit_code != 0
