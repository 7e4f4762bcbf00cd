"""Contract suites: what any Dukcapil, BPJS or welfare-registry adapter must do.

They run here against the sandboxes.

A real adapter's tests subclass a suite and give its fixtures, pointing at the
service's test environment and people known there::

    class TestRealDukcapil(DukcapilContract):
        @pytest.fixture
        def dukcapil(self):
            return RealDukcapil(url=..., credentials=...)

        @pytest.fixture
        def cases(self):
            return DukcapilCases(resident=("3573...", "3573...", "35.73"), ...)

The suites are plain pytest classes (async tests run by pytest-asyncio).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from balai_e_jkn.registries.types import (
    Applicant,
    RefusalReason,
    RegistrationRefused,
    RegistryUnavailable,
    WelfareLookupRefused,
    WelfareRefusal,
)


@dataclass(frozen=True)
class DukcapilCases:
    """People known to the registry under test.

    Attributes:
        resident: (NIK, KK, region code) of a living resident of that region.
        other_kk: A KK number the resident is not in.
        moved: (NIK, KK, region code) of someone whose NIK says the region but who lives elsewhere.
        deceased: (NIK, KK) of someone recorded as deceased.
        unknown: A well-formed NIK the registry does not hold.
    """

    resident: tuple[str, str, str]
    other_kk: str
    moved: tuple[str, str, str]
    deceased: tuple[str, str]
    unknown: str


class DukcapilContract:
    """What a Dukcapil adapter must answer (fixtures ``dukcapil``, ``cases``, ``outage``)."""

    async def test_a_resident_is_found_in_the_city_the_kk_and_alive(self, dukcapil, cases):
        """A resident is found in the city the kk and alive."""
        nik, kk, region = cases.resident
        check = await dukcapil.check_resident(nik, kk, region)
        assert (check.found, check.in_city, check.in_kk, check.alive) == (True, True, True, True)

    async def test_another_kk_is_told_apart(self, dukcapil, cases):
        """Another kk is told apart."""
        nik, _kk, region = cases.resident
        check = await dukcapil.check_resident(nik, cases.other_kk, region)
        assert check.found and not check.in_kk

    async def test_a_nik_of_the_region_living_elsewhere_is_not_in_the_city(self, dukcapil, cases):
        """A nik of the region living elsewhere is not in the city."""
        nik, kk, region = cases.moved
        check = await dukcapil.check_resident(nik, kk, region)
        assert check.found and not check.in_city

    async def test_the_deceased_are_not_alive(self, dukcapil, cases):
        """The deceased are not alive."""
        nik, kk = cases.deceased
        check = await dukcapil.check_resident(nik, kk, cases.resident[2])
        assert check.found and not check.alive

    async def test_an_unknown_nik_is_not_found(self, dukcapil, cases):
        """An unknown nik is not found."""
        check = await dukcapil.check_resident(cases.unknown, cases.other_kk, cases.resident[2])
        assert not check.found

    async def test_an_outage_raises_registry_unavailable(self, dukcapil, cases, outage):
        """An outage raises registry unavailable."""
        outage()
        with pytest.raises(RegistryUnavailable):
            await dukcapil.check_resident(*cases.resident)


@dataclass(frozen=True)
class BpjsCases:
    """People known to the BPJS service under test.

    Attributes:
        new: Someone in Dukcapil, not a participant, to register.
        paid_elsewhere: NIK of an active participant in a segment someone else pays.
        deceased: Someone recorded as deceased in Dukcapil.
        unknown: Someone not in Dukcapil.
    """

    new: Applicant
    paid_elsewhere: str
    deceased: Applicant
    unknown: Applicant


class BpjsContract:
    """What a BPJS adapter must answer (fixtures ``bpjs``, ``cases``, ``outage``, ``today``)."""

    async def test_a_new_person_is_not_a_participant_until_registered(self, bpjs, cases, today):
        """A new person is not a participant until registered."""
        before = await bpjs.status(cases.new.nik)
        assert not before.active
        registration = await bpjs.register(cases.new)
        assert registration.card_number.isdigit() and len(registration.card_number) == 13
        assert registration.care_class == 3
        assert registration.start_date >= today
        after = await bpjs.status(cases.new.nik)
        assert after.active and after.segment == "pbpu_pemda"
        assert after.card_number == registration.card_number

    async def test_registering_twice_gives_the_same_card(self, bpjs, cases):
        """Registering twice gives the same card."""
        first = await bpjs.register(cases.new)
        again = await bpjs.register(cases.new)
        assert again.card_number == first.card_number

    async def test_someone_paid_for_elsewhere_is_refused(self, bpjs, cases):
        """Someone paid for elsewhere is refused."""
        status = await bpjs.status(cases.paid_elsewhere)
        assert status.active and status.segment in {"ppu", "pbi_apbn"}
        with pytest.raises(RegistrationRefused) as refused:
            await bpjs.register(
                Applicant(cases.paid_elsewhere, "", "", date(1900, 1, 1), female=False)
            )
        assert refused.value.reason is RefusalReason.ACTIVE_ELSEWHERE

    @pytest.mark.parametrize(
        ("case", "reason"),
        [("deceased", RefusalReason.DECEASED), ("unknown", RefusalReason.NOT_IN_DUKCAPIL)],
    )
    async def test_refusals_carry_their_reason(self, bpjs, cases, case, reason):
        """Refusals carry their reason."""
        with pytest.raises(RegistrationRefused) as refused:
            await bpjs.register(getattr(cases, case))
        assert refused.value.reason is reason

    async def test_a_wrong_birth_date_is_a_mismatch(self, bpjs, cases):
        """A wrong birth date is a mismatch."""
        wrong = Applicant(
            cases.new.nik, cases.new.kk, cases.new.name, date(1901, 1, 1), cases.new.female
        )
        with pytest.raises(RegistrationRefused) as refused:
            await bpjs.register(wrong)
        assert refused.value.reason is RefusalReason.DATA_MISMATCH

    async def test_deactivation_ends_the_city_paid_cover(self, bpjs, cases):
        """Deactivation ends the city paid cover."""
        await bpjs.register(cases.new)
        await bpjs.deactivate(cases.new.nik)
        assert not (await bpjs.status(cases.new.nik)).active
        with pytest.raises(RegistrationRefused) as refused:
            await bpjs.deactivate(cases.new.nik)
        assert refused.value.reason is RefusalReason.NOT_REGISTERED

    async def test_an_outage_raises_registry_unavailable(self, bpjs, cases, outage):
        """An outage raises registry unavailable."""
        outage()
        with pytest.raises(RegistryUnavailable):
            await bpjs.status(cases.new.nik)
        with pytest.raises(RegistryUnavailable):
            await bpjs.register(cases.new)


@dataclass(frozen=True)
class WelfareCases:
    """People known to the welfare registry under test, and the asking city's region code.

    Attributes:
        region: The asking city's region code (``35.73``).
        listed: (NIK, decile) of a resident listed now.
        lapsed: NIK of a resident whose listing is no longer current.
        not_listed: NIK of a resident who is not listed.
        elsewhere: NIK of someone listed but domiciled in another region.
        unknown: A well-formed NIK nobody holds.
    """

    region: str
    listed: tuple[str, int]
    lapsed: str
    not_listed: str
    elsewhere: str
    unknown: str


class WelfareContract:
    """What a welfare-registry adapter must answer (fixtures ``dinsos``, ``cases``, ``outage``)."""

    async def test_a_listed_resident_comes_with_the_decile(self, dinsos, cases):
        """A listed resident comes with their household's decile and a current listing."""
        nik, decile = cases.listed
        record = await dinsos.lookup(nik, cases.region)
        assert (record.listed, record.decile, record.active) == (True, decile, True)
        assert 1 <= record.decile <= 10

    async def test_a_lapsed_listing_is_listed_but_not_current(self, dinsos, cases):
        """A lapsed listing is listed but not current."""
        record = await dinsos.lookup(cases.lapsed, cases.region)
        assert record.listed and not record.active

    @pytest.mark.parametrize("case", ["not_listed", "unknown"])
    async def test_someone_not_listed_has_no_decile(self, dinsos, cases, case):
        """Someone not listed (or unknown) has no decile."""
        record = await dinsos.lookup(getattr(cases, case), cases.region)
        assert (record.listed, record.decile) == (False, None)

    async def test_someone_of_another_region_is_refused(self, dinsos, cases):
        """The registry will not tell a city about someone domiciled elsewhere."""
        with pytest.raises(WelfareLookupRefused) as refused:
            await dinsos.lookup(cases.elsewhere, cases.region)
        assert refused.value.reason is WelfareRefusal.OUTSIDE_REGION

    async def test_an_outage_raises_registry_unavailable(self, dinsos, cases, outage):
        """An outage raises registry unavailable."""
        outage()
        with pytest.raises(RegistryUnavailable):
            await dinsos.lookup(cases.listed[0], cases.region)
