"""The desludging report: issued per delivered visit, signed by DLH's head, verified by anyone.

Issue (the gate logs the delivery) → render (the household downloads the
PDF) → sign (the head of DLH in the core's signing queue, with the city's
CA and its own RFC 3161 timestamp authority on loopback) → verify (the
public QR page). The signing set-up is the real one, started here.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyotp
import pytest
from balai import toolkit as tk
from balai.auth import two_factor
from balai.documents.signing import authority
from balai.documents.signing.tsa import CityStamper, TimestampServer
from balai.testing import write_config
from balai_sipaldi.plant.report import DESLUDGING_REPORT
from sipaldi_setup import demo_sipaldi, link_staff
from test_field_to_fee import GATE, done, login_again, setup_visit

VERIFY = "/malang/dokumen/verifikasi"


@pytest.fixture(scope="module")
def tsa_server() -> Iterator[TimestampServer]:
    server = TimestampServer({}).start()
    yield server
    server.stop()


@pytest.fixture
def balai_config(tmp_path, balai_cities, tsa_server):
    return write_config(
        tmp_path / "instance",
        balai_cities,
        city_options={
            "malang": {
                "region_code": "35.73",
                "settings": {
                    "sipaldi": demo_sipaldi("malang"),
                    "documents": {"timestamp_url": tsa_server.url},
                },
            }
        },
    )


def reports(city_run):
    return city_run("malang", lambda: tk.issued_documents(DESLUDGING_REPORT.key))


def deliver(client, login_as, post_form, city_run, owner_id):
    _premises, truck, visit = setup_visit(city_run, owner_id)
    client.cookies.clear()
    crew = login_as("sipaldi.crew")
    city_run("malang", link_staff(crew["id"], truck))
    assert done(post_form, visit).status_code == 303
    client.cookies.clear()
    login_as("sipaldi.plant")
    answer = post_form(GATE, {"truck": str(truck), "visit": str(visit), "volume": "2,5"})
    assert answer.status_code == 303
    return truck, visit


async def issue_again(visit_id):
    from balai_sipaldi.plant.report import issue_reports
    from balai_sipaldi.tables import Delivery, Visit

    visit = await Visit.select().where(Visit.id == visit_id).first()
    delivery = await Delivery.select().where(Delivery.id == visit["delivery_id"]).first()
    return await issue_reports([visit], delivery, actor_id=None, request=None)


def head_of_dlh(balai_app, city_run, login_as, tsa_server):
    """The city's CA and timestamps, and the head of DLH logged in with an authenticator."""
    key = balai_app.ui.config.secret_key

    async def make_ca():
        await authority.init_ca(key)
        return await authority.open_authority(key)

    tsa_server.stampers["malang"] = CityStamper.of(city_run("malang", make_ca))
    account = login_as("sipaldi.head", name="Ir. Wahyu Hidayat")
    secret = pyotp.random_base32()
    city_run("malang", two_factor.enable, account["id"], secret, 0, key)

    async def certificate():
        return await authority.issue_certificate(
            key,
            user_id=account["id"],
            holder_name="Ir. Wahyu Hidayat",
            position="Kepala Dinas Lingkungan Hidup",
        )

    city_run("malang", certificate)
    return pyotp.TOTP(secret)


def test_a_delivered_visit_gets_its_report_signed_and_verifiable(
    client, login_as, post_form, city_run, balai_app, tsa_server
):
    household = login_as(name="Bu Ratna")
    _truck, visit = deliver(client, login_as, post_form, city_run, household["id"])
    [report] = reports(city_run)
    assert report.subject_id == household["id"]
    [again] = city_run("malang", issue_again, visit)  # a second issue finds the first
    assert again == report.number and len(reports(city_run)) == 1
    assert report.status is tk.DocumentStatus.AWAITING  # for the head of DLH
    assert report.number.startswith("BALLTT-")

    client.cookies.clear()
    totp = head_of_dlh(balai_app, city_run, login_as, tsa_server)
    assert report.number in client.get("/malang/dokumen/tanda-tangan").text
    signed = post_form(
        "/malang/dokumen/tanda-tangan", {"nomor": [report.number], "kode": totp.now()}
    )
    assert signed.status_code == 303
    [report] = reports(city_run)
    assert report.status is tk.DocumentStatus.SIGNED

    client.cookies.clear()
    login_again(client, household)
    assert report.number in client.get("/malang/dokumen/").text
    pdf = client.get(f"/malang/dokumen/unduh/{report.number}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    client.cookies.clear()  # anyone, by the QR code
    page = client.get(f"{VERIFY}/{report.number}")
    assert page.status_code == 200
    for text in (report.number, "Ir. Wahyu Hidayat", "Kepala Dinas Lingkungan Hidup"):
        assert text in page.text
    assert "Jl. Semeru" not in page.text  # the address stays private

    login_as("documents.records")
    assert report.number in client.get("/malang/kelola/dokumen/").text


def test_a_premises_without_owner_gets_no_report(client, login_as, post_form, city_run):
    deliver(client, login_as, post_form, city_run, None)
    assert reports(city_run) == []
