"""Checking an application against the rules and the registries, then writing it in one go.

Order: each person's NIK against their sex and birth date, the same NIK
twice in one form, a NIK already enrolled or pending in this city (blind
index), the quota, then Dukcapil (in this city, in this KK, alive) and BPJS
(not already paid for elsewhere). Only when all pass is anything written,
in one transaction; a second application for the same NIK that slips in
meanwhile is refused by the unique index as a duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from balai import toolkit as tk

from balai_e_jkn.enrolment.form import settings
from balai_e_jkn.identity import KK_PURPOSE, NIK_PURPOSE, kk_index, nik_index
from balai_e_jkn.registries.connect import bpjs_for, dukcapil_for
from balai_e_jkn.registries.types import PAID_ELSEWHERE, RegistryUnavailable
from balai_e_jkn.tables import Enrolment, Member, MemberState, Status
from balai_e_jkn.workflow import APPLICATION

NUMBERS = tk.ReferenceFormat("JKN")


class Refused(Exception):
    """The application cannot be taken; ``errors`` maps fields to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class Person:
    """One person of a checked form."""

    field: str  # the block's prefix, ``m1``
    name: str
    nik: str
    born: date
    female: bool
    relation: str
    jkn_known: str


def people_of(clean: dict[str, Any], count: int) -> list[Person]:
    """The people of a validated form, in order."""
    return [
        Person(
            f"m{n}",
            clean[f"m{n}_name"],
            clean[f"m{n}_nik"],
            clean[f"m{n}_born"],
            clean[f"m{n}_sex"] == "f",
            clean[f"m{n}_relation"],
            clean[f"m{n}_jkn"],
        )
        for n in range(1, count + 1)
    ]


def _structure_errors(people: list[Person]) -> dict[str, str]:
    errors: dict[str, str] = {}
    seen: set[str] = set()
    for person in people:
        try:
            tk.check_nik_person(person.nik, female=person.female, born=person.born)
        except tk.FieldError as exc:
            errors[f"{person.field}_nik"] = str(exc)
            continue
        if person.nik in seen:
            errors[f"{person.field}_nik"] = tk._("This NIK is already written above.")
        seen.add(person.nik)
    return errors


async def _duplicate_errors(people: list[Person]) -> dict[str, str]:
    indexes = {nik_index(p.nik): p for p in people}
    taken = await Member.select(Member.open_nik_index).where(
        Member.open_nik_index.is_in(list(indexes))
    )
    return {
        f"{indexes[row['open_nik_index']].field}_nik": tk._(
            "This NIK is already enrolled or waiting for a decision in this city."
        )
        for row in taken
    }


async def places_left(today: date) -> int:
    """Places still open this year under the rules in force ``today`` (never below zero)."""
    quota = settings().rules_on(today).annual_quota
    city = tk.current_city()
    start = datetime(today.year, 1, 1, tzinfo=city.tz).astimezone(UTC)
    counted = await Member.count().where(
        Member.open_nik_index.is_not_null(),
        Member.enrolment.is_in(Enrolment.select(Enrolment.id).where(Enrolment.created_at >= start)),
    )
    return max(quota - counted, 0)


async def _registry_errors(people: list[Person], kk: str, today: date) -> dict[str, str]:
    city = tk.current_city()
    rules = settings().rules_on(today)
    dukcapil, bpjs = dukcapil_for(city), bpjs_for(city)
    errors: dict[str, str] = {}
    for person in people:
        field = f"{person.field}_nik"
        found = await dukcapil.check_resident(person.nik, kk, city.region_code or "")
        if not found.found:
            errors[field] = tk._("Dukcapil does not know this NIK; check the digits.")
        elif not found.alive:
            errors[field] = tk._("Dukcapil records this person as deceased.")
        elif rules.resident_only and not found.in_city:
            errors[field] = tk._(
                "Dukcapil records this person as living outside %(city)s; the city pays"
                " only for its residents.",
                city=city.name,
            )
        elif not found.in_kk:
            errors[field] = tk._("Dukcapil does not list this person in the KK given above.")
    if errors or not rules.refuse_paid_elsewhere:
        return errors
    for person in people:
        status = await bpjs.status(person.nik)
        if status.active and status.segment in PAID_ELSEWHERE:
            errors[f"{person.field}_nik"] = tk._(
                "BPJS lists this person as already covered and paid for (by an employer or"
                " the state); the city cannot pay twice."
            )
    return errors


async def check(people: list[Person], kk: str, today: date) -> None:
    """Every check before writing.

    Raises:
        Refused: with the field messages; nothing was written.
    """
    errors = _structure_errors(people)
    if not errors:
        errors = await _duplicate_errors(people)
    if not errors and await places_left(today) < len(people):
        errors["__all__"] = tk._(
            "This year's places are taken; the application cannot be sent now."
        )
    if errors:
        raise Refused(errors)
    try:
        errors = await _registry_errors(people, kk, today)
    except RegistryUnavailable:
        raise Refused(
            {
                "__all__": tk._(
                    "Dukcapil or BPJS cannot be reached just now, so your family's data could not"
                    " be checked. Nothing was saved; please try again later."
                )
            }
        ) from None
    if errors:
        raise Refused(errors)


def first_state(group: str, today: date) -> Status:
    """Where a new application starts: with Dinsos when its claimed group needs a welfare check."""
    if group and group in settings().rules_on(today).welfare_checked:
        return Status.WELFARE
    return Status.SUBMITTED


def _is_duplicate(exc: Exception) -> bool:
    text = str(exc).lower()
    return "unique" in text or "duplicate" in text


async def write(
    user: tk.CurrentUser, clean: dict[str, Any], people: list[Person], request: Any = None
) -> str:
    """Store a checked application and its people in one transaction; its number.

    Raises:
        Refused: a NIK was enrolled meanwhile (nothing written).
    """
    number = await NUMBERS.new_unique(Enrolment.number)
    now = datetime.now(UTC)
    kk = clean["kk"]
    group = clean.get("priority_group") or ""
    state = first_state(group, now.astimezone(tk.current_city().tz).date())
    try:
        async with Enrolment._meta.db.transaction():
            [row] = await Enrolment.insert(
                Enrolment(
                    number=number,
                    applicant_id=user.id,
                    applicant_name=people[0].name,
                    status=state.value,
                    priority_group=group,
                    created_at=now,
                    kk_sealed=tk.seal(kk, KK_PURPOSE),
                    kk_index=kk_index(kk),
                    kecamatan=clean["kecamatan"],
                    kelurahan=clean["kelurahan"],
                    address=clean["address"],
                    phone=clean["phone"],
                    ktp_file=clean["ktp_photo"].id,
                    kk_file=clean["kk_photo"].id,
                    consent_at=now,
                )
            )
            await Member.insert(
                *(
                    Member(
                        enrolment=row["id"],
                        position=n,
                        name=p.name,
                        nik_sealed=tk.seal(p.nik, NIK_PURPOSE),
                        nik_index=nik_index(p.nik),
                        open_nik_index=nik_index(p.nik),
                        born=p.born,
                        female=p.female,
                        relation=p.relation,
                        jkn_known=p.jkn_known,
                        state=MemberState.WAITING.value,
                    )
                    for n, p in enumerate(people)
                )
            )
            await APPLICATION.record_step(row["id"], "submit", "", state.value)
            await tk.audit_record(
                "e_jkn.applied",
                actor_id=user.id,
                request=request,
                subject=f"enrolment:{number}",
                detail={"people": len(people)},
            )
            await tk.notify(user.id, "e_jkn.submitted", {"number": number, "people": len(people)})
    except Exception as exc:
        if _is_duplicate(exc):
            raise Refused(
                {
                    "__all__": tk._(
                        "Someone in this family was enrolled meanwhile; nothing was saved."
                    )
                }
            ) from exc
        raise
    return number
