"""What the plugin asks Dukcapil, BPJS Kesehatan and the welfare registry; what they answer.

Both are outside services: an adapter turns these calls into the service's
own API. Adapters raise :class:`RegistryUnavailable` when the service cannot
be reached or times out (nothing is known then: the caller writes nothing
and tries again later), and :class:`RegistrationRefused` when BPJS answers
but refuses a registration (with a reason code).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Protocol


class RegistryUnavailable(RuntimeError):
    """The registry did not answer (outage, timeout): try again later."""


class RefusalReason(enum.StrEnum):
    """Why BPJS refused to register someone into the city-paid segment."""

    NOT_IN_DUKCAPIL = "not_in_dukcapil"  # the NIK is not in the population registry
    DECEASED = "deceased"
    ACTIVE_ELSEWHERE = "active_elsewhere"  # active in a segment someone else pays
    DATA_MISMATCH = "data_mismatch"  # birth date or KK differ from Dukcapil's
    NOT_REGISTERED = "not_registered"  # (deactivation) not in the city-paid segment


class RegistrationRefused(RuntimeError):
    """BPJS answered and refused; ``reason`` says why (a :class:`RefusalReason`)."""

    def __init__(self, reason: RefusalReason) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class ResidentCheck:
    """Dukcapil's answer about one NIK.

    Attributes:
        found: The NIK is in the population registry.
        in_city: Domiciled in the asking city (its region code).
        in_kk: A member of the family card (KK) given.
        alive: Not recorded as deceased.
    """

    found: bool
    in_city: bool = False
    in_kk: bool = False
    alive: bool = False


class Segment(enum.StrEnum):
    """JKN participant segments (names as BPJS uses them; belum diverifikasi / unverified)."""

    PBI_APBN = "pbi_apbn"  # contribution assistance, paid by the state budget
    PBPU_PEMDA = "pbpu_pemda"  # registered and paid by the local government (this plugin)
    PPU = "ppu"  # wage workers: the employer pays
    PBPU_MANDIRI = "pbpu_mandiri"  # non-wage workers paying themselves


# Segments whose contribution is already paid by someone else: no city-paid place needed.
PAID_ELSEWHERE = frozenset({Segment.PBI_APBN, Segment.PPU})


@dataclass(frozen=True)
class ParticipantStatus:
    """BPJS's answer about one NIK: whether it is an active participant, in which segment."""

    participant: bool
    active: bool = False
    segment: Segment | None = None
    card_number: str | None = None


@dataclass(frozen=True)
class Registration:
    """A registration BPJS accepted: the card (KIS) number, the class and the start date."""

    card_number: str
    start_date: date
    care_class: int = 3


@dataclass(frozen=True)
class Applicant:
    """What is sent to BPJS to register one person."""

    nik: str
    kk: str
    name: str
    born: date
    female: bool


class WelfareRefusal(enum.StrEnum):
    """Why the social-welfare registry refused to answer about a NIK."""

    OUTSIDE_REGION = "outside_region"  # the person is not domiciled in the asking city


class WelfareLookupRefused(RuntimeError):
    """The welfare registry answered but will not tell (``reason``, a :class:`WelfareRefusal`)."""

    def __init__(self, reason: WelfareRefusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class WelfareRecord:
    """The social-welfare registry's answer about one NIK.

    The registry is Kemensos's DTKS, being replaced by DTSEN (Inpres 4/2025),
    which ranks households by welfare decile, 1 the poorest (belum
    diverifikasi / unverified: names, decile scale and statuses as
    understood, not from the service's documentation).

    Attributes:
        listed: The NIK is in the registry at all.
        decile: The household's welfare decile (1 to 10), when listed.
        active: Still listed in the current period (not graduated or removed).
    """

    listed: bool
    decile: int | None = None
    active: bool = False


class Dukcapil(Protocol):
    """The population registry, as the plugin uses it."""

    async def check_resident(self, nik: str, kk: str, region_code: str) -> ResidentCheck:
        """Whether ``nik`` is registered, lives in ``region_code`` (``35.73``), is in ``kk``, alive.

        Raises:
            RegistryUnavailable: no answer.
        """
        ...


class Bpjs(Protocol):
    """BPJS Kesehatan's participant service, as the plugin uses it."""

    async def status(self, nik: str) -> ParticipantStatus:
        """The participant status of ``nik``.

        Raises:
            RegistryUnavailable: no answer.
        """
        ...

    async def register(self, applicant: Applicant) -> Registration:
        """Register ``applicant`` in the local-government-paid segment (PBPU Pemda).

        Registering someone already registered in PBPU Pemda returns their
        existing registration (never a second card).

        Raises:
            RegistrationRefused: BPJS refused, with the reason.
            RegistryUnavailable: no answer (the registration may or may not
                have been made: ask again; the same answer comes back).
        """
        ...

    async def deactivate(self, nik: str) -> None:
        """End the city-paid registration of ``nik`` (moved away, died, covered elsewhere).

        Raises:
            RegistrationRefused: not registered in PBPU Pemda.
            RegistryUnavailable: no answer.
        """
        ...


class WelfareRegistry(Protocol):
    """The social-welfare registry (DTKS/DTSEN) as a city's Dinsos sees it."""

    async def lookup(self, nik: str, region_code: str) -> WelfareRecord:
        """Whether ``nik`` is listed, its household's decile and whether the listing is current.

        Raises:
            WelfareLookupRefused: the person is not domiciled in ``region_code``.
            RegistryUnavailable: no answer.
        """
        ...
