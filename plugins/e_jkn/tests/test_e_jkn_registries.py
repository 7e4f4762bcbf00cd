"""The Dukcapil, BPJS and welfare sandboxes pass the contract suites a real adapter must pass."""

from __future__ import annotations

from datetime import date

import pytest
from balai_e_jkn.registries.bpjs_http import (
    BpjsHttpSandbox,
    HttpBpjs,
    signature,
    signed_headers,
)
from balai_e_jkn.registries.contracts import (
    BpjsCases,
    BpjsContract,
    DukcapilCases,
    DukcapilContract,
    WelfareCases,
    WelfareContract,
)
from balai_e_jkn.registries.people import (
    AMINAH,
    HIDAYAT,
    KARTO,
    PINDAH,
    SANTOSO,
    SUSILO,
    population,
)
from balai_e_jkn.registries.sandboxes import BpjsSandbox, DinsosSandbox, DukcapilSandbox, Switches
from balai_e_jkn.registries.types import Applicant, RegistryUnavailable

TODAY = date(2026, 12, 7)


def applicant(person) -> Applicant:
    return Applicant(person.nik, person.kk, person.name, person.born, person.female)


@pytest.fixture
def dukcapil():
    return DukcapilSandbox(population())


@pytest.fixture
def bpjs(dukcapil):
    return BpjsSandbox(dukcapil, today=TODAY)


@pytest.fixture
def today():
    return TODAY


class TestDukcapilSandbox(DukcapilContract):
    @pytest.fixture
    def cases(self):
        head = SANTOSO[0]
        return DukcapilCases(
            resident=(head.nik, head.kk, "35.73"),
            other_kk=HIDAYAT[0].kk,
            moved=(PINDAH[0].nik, PINDAH[0].kk, "35.73"),
            deceased=(KARTO[0].nik, KARTO[0].kk),
            unknown="3573051203850999",
        )

    @pytest.fixture
    def outage(self, dukcapil):
        return lambda: setattr(dukcapil.switches, "outage", True)


class TestBpjsSandbox(BpjsContract):
    @pytest.fixture
    def cases(self):
        return BpjsCases(
            new=applicant(SANTOSO[1]),
            paid_elsewhere=SUSILO[0].nik,
            deceased=applicant(KARTO[0]),
            unknown=Applicant(
                "3573051203850999", SANTOSO[0].kk, "Tidak Ada", date(1985, 3, 12), False
            ),
        )

    @pytest.fixture
    def outage(self, bpjs):
        return lambda: setattr(bpjs.switches, "outage", True)


class TestDinsosSandbox(WelfareContract):
    @pytest.fixture
    def dinsos(self):
        return DinsosSandbox(population())

    @pytest.fixture
    def cases(self):
        return WelfareCases(
            region="35.73",
            listed=(AMINAH[0].nik, 1),
            lapsed=SUSILO[0].nik,
            not_listed=SANTOSO[0].nik,
            elsewhere=PINDAH[0].nik,
            unknown="3573051203850999",
        )

    @pytest.fixture
    def outage(self, dinsos):
        return lambda: setattr(dinsos.switches, "outage", True)


async def test_the_welfare_sandbox_waits_its_latency_and_fails_after_n_calls():
    dinsos = DinsosSandbox(population())
    dinsos.switches.latency = 0.01
    dinsos.switches.fail_after = 1
    assert (await dinsos.lookup(HIDAYAT[0].nik, "35.73")).decile == 3
    with pytest.raises(RegistryUnavailable):
        await dinsos.lookup(HIDAYAT[1].nik, "35.73")
    assert dinsos.switches.calls == 2


async def test_latency_is_waited_and_calls_counted():
    switches = Switches(latency=0.01)
    await switches.call()
    await switches.call()
    assert switches.calls == 2


async def test_fail_after_lets_n_calls_through_then_stays_down():
    switches = Switches(fail_after=2)
    await switches.call()
    await switches.call()
    for _ in range(2):
        with pytest.raises(RegistryUnavailable):
            await switches.call()


def test_the_seeded_people_have_well_formed_and_unique_niks():
    from balai import toolkit as tk

    people = population()
    assert len({p.nik for p in people}) == len(people)
    for person in people:
        assert tk.parse_nik(person.nik) == person.nik
        tk.check_nik_person(person.nik, female=person.female, born=person.born)
        assert tk.parse_kk(person.kk) == person.kk


class TestBpjsOverHttp(TestBpjsSandbox):
    """The same contract, over HTTP with signed requests, against the sandbox served on loopback."""

    @pytest.fixture
    def served(self, dukcapil):
        server = BpjsHttpSandbox(BpjsSandbox(dukcapil, today=TODAY), {"1234": "rahasia"}).start()
        yield server
        server.stop()

    @pytest.fixture
    def bpjs(self, served):
        return HttpBpjs(served.url, "1234", "rahasia")

    @pytest.fixture
    def outage(self, served):
        return lambda: setattr(served.sandbox.switches, "outage", True)


def _get(url: str, headers: dict[str, str]) -> int:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_signature_is_base64_hmac_sha256_of_cons_id_and_timestamp():
    import base64
    import hashlib
    import hmac

    expected = base64.b64encode(
        hmac.new(b"rahasia", b"1234&1700000000", hashlib.sha256).digest()
    ).decode()
    assert signature("1234", "rahasia", "1700000000") == expected
    assert signed_headers("1234", "rahasia", now=1_700_000_000.9) == {
        "X-cons-id": "1234",
        "X-timestamp": "1700000000",
        "X-signature": expected,
    }


def test_the_http_sandbox_refuses_unsigned_wrongly_signed_and_stale_requests(dukcapil):
    import time

    server = BpjsHttpSandbox(BpjsSandbox(dukcapil), {"1234": "rahasia"}).start()
    try:
        url = f"{server.url}/peserta/{SANTOSO[0].nik}"
        assert _get(url, signed_headers("1234", "rahasia")) == 200
        assert _get(url, {}) == 401
        assert _get(url, signed_headers("1234", "salah")) == 401
        assert _get(url, signed_headers("9999", "rahasia")) == 401
        assert _get(url, signed_headers("1234", "rahasia", now=time.time() - 600)) == 401
        assert _get(f"{server.url}/lain", signed_headers("1234", "rahasia")) == 404
    finally:
        server.stop()


async def test_a_wrong_secret_is_no_answer_for_the_adapter(dukcapil):
    server = BpjsHttpSandbox(BpjsSandbox(dukcapil), {"1234": "rahasia"}).start()
    try:
        with pytest.raises(RegistryUnavailable):
            await HttpBpjs(server.url, "1234", "salah").status(SANTOSO[0].nik)
        with pytest.raises(ValueError):
            HttpBpjs("file:///etc/passwd", "1234", "rahasia")
        with pytest.raises(RegistryUnavailable):  # nobody listening
            await HttpBpjs("http://127.0.0.1:9", "1234", "rahasia").status(SANTOSO[0].nik)
    finally:
        server.stop()
