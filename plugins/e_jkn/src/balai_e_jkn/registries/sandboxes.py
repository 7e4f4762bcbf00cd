"""Sandboxes of Dukcapil, BPJS Kesehatan and the welfare registry that behave like the services.

They know the people of :mod:`.people`, refuse as the services do, and let
tests switch on latency and outages (``outage = True`` makes every call
raise :class:`RegistryUnavailable`; ``fail_after = n`` lets ``n`` more calls
through, then fails, to cut a batch in the middle). BPJS's side keeps every
registration, so a test can check that no one was registered twice.

One set per city and process (:func:`sandboxes_for`); a city's real
adapters would replace them through the plugin's settings.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from balai_e_jkn.registries.people import Resident, population
from balai_e_jkn.registries.types import (
    PAID_ELSEWHERE,
    Applicant,
    ParticipantStatus,
    RefusalReason,
    Registration,
    RegistrationRefused,
    RegistryUnavailable,
    ResidentCheck,
    Segment,
    WelfareLookupRefused,
    WelfareRecord,
    WelfareRefusal,
)

JAKARTA = ZoneInfo("Asia/Jakarta")


@dataclass
class Switches:
    """What a test can turn on: latency (seconds per call), an outage, an outage after n calls."""

    latency: float = 0.0
    outage: bool = False
    fail_after: int | None = None
    calls: int = 0

    async def call(self) -> None:
        """Count a call; wait the latency; fail when the service is down.

        Raises:
            RegistryUnavailable: an outage is on, or ``fail_after`` calls were used up.
        """
        self.calls += 1
        if self.latency:
            await asyncio.sleep(self.latency)
        if self.fail_after is not None:
            if self.fail_after <= 0:
                self.outage = True
            self.fail_after -= 1
        if self.outage:
            raise RegistryUnavailable("sandbox outage")


class DukcapilSandbox:
    """The population registry, answering from the seeded people."""

    def __init__(self, people: list[Resident]) -> None:
        self.people = {p.nik: p for p in people}
        self.switches = Switches()

    async def check_resident(self, nik: str, kk: str, region_code: str) -> ResidentCheck:
        """See :meth:`balai_e_jkn.registries.types.Dukcapil.check_resident`."""
        await self.switches.call()
        person = self.people.get(nik)
        if person is None:
            return ResidentCheck(found=False)
        return ResidentCheck(
            found=True,
            in_city=person.domicile == region_code,
            in_kk=person.kk == kk,
            alive=person.alive,
        )


@dataclass
class _Participant:
    segment: Segment
    active: bool
    card_number: str
    start_date: date | None = None


@dataclass
class BpjsSandbox:
    """BPJS Kesehatan's participant service over the seeded people, checking with Dukcapil."""

    dukcapil: DukcapilSandbox
    switches: Switches = field(default_factory=Switches)
    participants: dict[str, _Participant] = field(default_factory=dict)
    registrations: list[str] = field(default_factory=list)  # NIKs, in order, one per card made
    today: date | None = None

    def __post_init__(self) -> None:
        for n, person in enumerate(self.dukcapil.people.values()):
            if person.segment is not None:
                self.participants[person.nik] = _Participant(
                    person.segment, person.active, f"000{n + 1:010d}"
                )

    def _today(self) -> date:
        return self.today or datetime.now(UTC).astimezone(JAKARTA).date()

    async def status(self, nik: str) -> ParticipantStatus:
        """See :meth:`balai_e_jkn.registries.types.Bpjs.status`."""
        await self.switches.call()
        found = self.participants.get(nik)
        if found is None:
            return ParticipantStatus(participant=False)
        return ParticipantStatus(True, found.active, found.segment, found.card_number)

    async def register(self, applicant: Applicant) -> Registration:
        """See :meth:`balai_e_jkn.registries.types.Bpjs.register`."""
        await self.switches.call()
        existing = self.participants.get(applicant.nik)
        if existing and existing.segment is Segment.PBPU_PEMDA and existing.active:
            return Registration(existing.card_number, existing.start_date or self._today())
        if existing and existing.active and existing.segment in PAID_ELSEWHERE:
            raise RegistrationRefused(RefusalReason.ACTIVE_ELSEWHERE)
        person = self.dukcapil.people.get(applicant.nik)
        if person is None:
            raise RegistrationRefused(RefusalReason.NOT_IN_DUKCAPIL)
        if not person.alive:
            raise RegistrationRefused(RefusalReason.DECEASED)
        if person.born != applicant.born or person.kk != applicant.kk:
            raise RegistrationRefused(RefusalReason.DATA_MISMATCH)
        card = existing.card_number if existing else f"0002{len(self.registrations) + 1:09d}"
        start = self._today()  # a UHC city: active at once (belum diverifikasi / unverified)
        self.participants[applicant.nik] = _Participant(Segment.PBPU_PEMDA, True, card, start)
        self.registrations.append(applicant.nik)
        return Registration(card, start)

    async def deactivate(self, nik: str) -> None:
        """See :meth:`balai_e_jkn.registries.types.Bpjs.deactivate`."""
        await self.switches.call()
        found = self.participants.get(nik)
        if found is None or found.segment is not Segment.PBPU_PEMDA or not found.active:
            raise RegistrationRefused(RefusalReason.NOT_REGISTERED)
        found.active = False


class DinsosSandbox:
    """The social-welfare registry (DTKS/DTSEN) as one city's Dinsos may query it.

    Answers only about people domiciled in the asking region (a city's Dinsos
    sees its own residents; belum diverifikasi / unverified): anyone else is
    refused with :attr:`WelfareRefusal.OUTSIDE_REGION`, even when listed.
    """

    def __init__(self, people: list[Resident]) -> None:
        self.people = {p.nik: p for p in people}
        self.switches = Switches()

    async def lookup(self, nik: str, region_code: str) -> WelfareRecord:
        """See :meth:`balai_e_jkn.registries.types.WelfareRegistry.lookup`."""
        await self.switches.call()
        person = self.people.get(nik)
        if person is None:
            return WelfareRecord(listed=False)
        if person.domicile != region_code:
            raise WelfareLookupRefused(WelfareRefusal.OUTSIDE_REGION)
        if person.decile is None:
            return WelfareRecord(listed=False)
        return WelfareRecord(listed=True, decile=person.decile, active=person.welfare_active)


@dataclass
class Sandboxes:
    """One city's sandboxes."""

    dukcapil: DukcapilSandbox
    bpjs: BpjsSandbox
    dinsos: DinsosSandbox


_BY_CITY: dict[str, Sandboxes] = {}


def sandboxes_for(city_slug: str) -> Sandboxes:
    """The city's sandboxes in this process (made on first use, seeded with :func:`population`)."""
    found = _BY_CITY.get(city_slug)
    if found is None:
        people = population()
        dukcapil = DukcapilSandbox(people)
        found = _BY_CITY[city_slug] = Sandboxes(
            dukcapil, BpjsSandbox(dukcapil), DinsosSandbox(people)
        )
    return found


def reset_sandboxes() -> None:
    """Forget every city's sandboxes (tests start each from the seeded state)."""
    _BY_CITY.clear()
