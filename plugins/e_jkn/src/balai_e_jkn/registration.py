"""The registration job: verified people are registered at BPJS in batches, never twice.

Each run takes up to ``batch_size`` people of verified applications who are
waiting (or were being sent when an earlier run stopped), marks them
``sending``, then asks BPJS one by one. A card number or a refusal is stored
at once, person by person. When BPJS cannot be reached the rest of the batch
goes back to waiting and the run ends; the next run (every few minutes)
carries on. A person sent again after an interruption gets the same card:
BPJS's registration is idempotent per NIK (the contract suite checks it).
An application whose people all have an answer moves on: active when at
least one was registered, rejected when BPJS refused them all. Each person
registered gets their letter of membership (an official document, issued
once per person however often the batch runs).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from balai import toolkit as tk

from balai_e_jkn.identity import CARD_PURPOSE, KK_PURPOSE, NIK_PURPOSE
from balai_e_jkn.membership.document import issue_letter
from balai_e_jkn.registries.connect import bpjs_for
from balai_e_jkn.registries.types import Applicant, RegistrationRefused, RegistryUnavailable
from balai_e_jkn.settings import EnrolmentSettings
from balai_e_jkn.tables import Enrolment, Member, MemberState, Status
from balai_e_jkn.workflow import APPLICATION

SLUG = "e_jkn"
JOB = "e_jkn.register_batch"
PENDING = [MemberState.WAITING.value, MemberState.SENDING.value]
ANSWERED = [MemberState.REGISTERED.value, MemberState.REFUSED.value]


@dataclass
class BatchResult:
    """What one run did."""

    registered: int = 0
    refused: int = 0
    outage: bool = False


async def _claim(limit: int) -> list[dict]:
    verified = Enrolment.select(Enrolment.id).where(Enrolment.status == Status.VERIFIED.value)
    rows = await (
        Member.select()
        .where(Member.state.is_in(PENDING), Member.enrolment.is_in(verified))
        .order_by(Member.id)
        .limit(limit)
    )
    if rows:
        await Member.update(
            {Member.state: MemberState.SENDING.value, Member.attempts: Member.attempts + 1}
        ).where(Member.id.is_in([r["id"] for r in rows]))
    return rows


async def _applicant(member: dict) -> Applicant:
    enrolment = (
        await Enrolment.select(Enrolment.kk_sealed)
        .where(Enrolment.id == member["enrolment"])
        .first()
    )
    return Applicant(
        nik=tk.unseal(member["nik_sealed"], NIK_PURPOSE),
        kk=tk.unseal(enrolment["kk_sealed"], KK_PURPOSE),
        name=member["name"],
        born=member["born"],
        female=member["female"],
    )


async def _settle(enrolment_id: int) -> None:
    """Move an application on once every person has BPJS's answer."""
    states = [
        r["state"]
        for r in await Member.select(Member.state).where(Member.enrolment == enrolment_id)
    ]
    if not states or any(s not in ANSWERED for s in states):
        return
    record = await Enrolment.select().where(Enrolment.id == enrolment_id).first()
    if record["status"] != Status.VERIFIED.value:
        return
    if MemberState.REGISTERED.value in states:
        await APPLICATION.move(
            record, "activate", tk.Actor.system(), values={Enrolment.active_at: datetime.now(UTC)}
        )
        await tk.bump_metric("e_jkn.activated", states.count(MemberState.REGISTERED.value))
    else:
        await APPLICATION.move(
            record,
            "bpjs_refused",
            tk.Actor.system(),
            comment=tk._("BPJS Kesehatan refused to register the people of this application."),
            values={Enrolment.reason_code: "bpjs_refused", Enrolment.decided_at: datetime.now(UTC)},
        )


async def register_batch(city: tk.City, **_kwargs: object) -> BatchResult:
    """Register one batch of verified people at BPJS (the job's body)."""
    settings = city.settings_for(SLUG) or EnrolmentSettings()
    bpjs = bpjs_for(city)
    result = BatchResult()
    claimed = await _claim(settings.batch_size)
    touched: set[int] = set()
    for n, member in enumerate(claimed):
        try:
            registration = await bpjs.register(await _applicant(member))
        except RegistryUnavailable:
            rest = [m["id"] for m in claimed[n:]]
            await Member.update({Member.state: MemberState.WAITING.value}).where(
                Member.id.is_in(rest)
            )
            result.outage = True
            break
        except RegistrationRefused as refused:
            await Member.update(
                {
                    Member.state: MemberState.REFUSED.value,
                    Member.bpjs_reason: refused.reason.value,
                    Member.open_nik_index: None,  # may apply again once the cause is fixed
                }
            ).where(Member.id == member["id"])
            result.refused += 1
        else:
            await Member.update(
                {
                    Member.state: MemberState.REGISTERED.value,
                    Member.card_sealed: tk.seal(registration.card_number, CARD_PURPOSE),
                    Member.care_class: registration.care_class,
                    Member.start_date: registration.start_date,
                }
            ).where(Member.id == member["id"])
            application = (
                await Enrolment.select(Enrolment.number, Enrolment.applicant_id)
                .where(Enrolment.id == member["enrolment"])
                .first()
            )
            await issue_letter(
                application,
                {**member, "care_class": registration.care_class},
                registration.card_number,
                registration.start_date,
            )
            result.registered += 1
        touched.add(member["enrolment"])
    for enrolment_id in sorted(touched):
        await _settle(enrolment_id)
    return result


REGISTER_JOB = tk.Job(
    name=JOB,
    run=register_batch,
    every=timedelta(minutes=10),
    description="Register verified people at BPJS Kesehatan, one batch per run.",
)
