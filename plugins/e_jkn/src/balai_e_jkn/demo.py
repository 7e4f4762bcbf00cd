"""Demo applications for Kota Malang, from the sandboxes' seeded people (made-up names).

Only Malang runs e_jkn in the demo (Semarang and Yogyakarta do not enable
it). The Santoso family (Lowokwaru) is left free for a visitor to apply
with; the demo citizen ``warga@malang.test`` has the Aminah application
waiting for the BPJS batch, ``warga.jkn@malang.test`` the Hidayat family,
active with cards. Forty generated families fill the dashboard and the open
data across this year: active, verified, submitted and rejected.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from balai import toolkit as tk

from balai_e_jkn.identity import CARD_PURPOSE, KK_PURPOSE, NIK_PURPOSE, kk_index, nik_index
from balai_e_jkn.registries.people import AMINAH, HIDAYAT, KECAMATAN, SANTOSO, Resident, generated
from balai_e_jkn.routes import start_of_year
from balai_e_jkn.tables import Enrolment, Member, MemberState, Status
from balai_e_jkn.workflow import APPLICATION

CITIES = {"malang"}
REASONS = ["documents", "not_in_kk", "covered_elsewhere", "not_resident"]
KELURAHAN = {
    "Blimbing": "Purwodadi",
    "Kedungkandang": "Sawojajar",
    "Klojen": "Kauman",
    "Lowokwaru": "Tlogomas",
    "Sukun": "Bandungrejosari",
}


def _families(people: list[Resident]) -> list[list[Resident]]:
    by_kk: dict[str, list[Resident]] = {}
    for person in people:
        by_kk.setdefault(person.kk, []).append(person)
    return list(by_kk.values())


async def _application(
    family: list[Resident],
    status: Status,
    created: datetime,
    *,
    applicant_id: int | None,
    days_to_active: int,
    reason: str = "",
    serial: int,
) -> None:
    kecamatan = KECAMATAN[family[0].nik[4:6]]
    now = datetime.now(UTC)
    active = (
        min(created + timedelta(days=days_to_active), now) if status is Status.APPROVED else None
    )
    decided = created + timedelta(days=1) if status is not Status.SUBMITTED else None
    [row] = await Enrolment.insert(
        Enrolment(
            number=await _number(created),
            applicant_id=applicant_id,
            applicant_name=family[0].name,
            status=status.value,
            created_at=created,
            kk_sealed=tk.seal(family[0].kk, KK_PURPOSE),
            kk_index=kk_index(family[0].kk),
            kecamatan=kecamatan,
            kelurahan=KELURAHAN[kecamatan],
            address=f"Jl. Contoh {serial}, RT 01/RW 0{serial % 9 + 1}",
            phone="081200000000",
            consent_at=created,
            decided_at=decided,
            reason_code=reason,
            reason=tk._("Photo of the family card unreadable.") if reason == "documents" else "",
            active_at=active,
        )
    )
    registered = status is Status.APPROVED
    await Member.insert(
        *(
            Member(
                enrolment=row["id"],
                position=n,
                name=p.name,
                nik_sealed=tk.seal(p.nik, NIK_PURPOSE),
                nik_index=nik_index(p.nik),
                open_nik_index=None if status is Status.REJECTED else nik_index(p.nik),
                born=p.born,
                female=p.female,
                relation="head" if n == 0 else "child",
                jkn_known="none",
                state=(
                    MemberState.REGISTERED.value
                    if registered
                    else MemberState.CLOSED.value
                    if status is Status.REJECTED
                    else MemberState.WAITING.value
                ),
                card_sealed=tk.seal(f"0003{serial:05d}{n:04d}", CARD_PURPOSE) if registered else "",
                start_date=active.astimezone(tk.current_city().tz).date() if active else None,
            )
            for n, p in enumerate(family)
        )
    )
    steps = [
        {"record_id": row["id"], "to_state": "submitted", "transition": "submit", "at": created}
    ]
    if decided and status is not Status.REJECTED:
        steps.append(
            {"record_id": row["id"], "to_state": "verified", "transition": "verify", "at": decided}
        )
    if status is Status.REJECTED:
        steps.append(
            {"record_id": row["id"], "to_state": "rejected", "transition": "reject", "at": decided}
        )
    if active:
        steps.append(
            {"record_id": row["id"], "to_state": "approved", "transition": "activate", "at": active}
        )
    await APPLICATION.record_steps(steps)


async def _number(when: datetime) -> str:
    from balai_e_jkn.enrolment.service import NUMBERS

    return await NUMBERS.new_unique(Enrolment.number, when)


async def seed(city: tk.City) -> tk.DemoReport:
    """Create the demo applications of ``city`` (inside its scope), once."""
    report = tk.DemoReport()
    if city.slug not in CITIES or await Enrolment.count() > 0:
        return report
    rng = random.Random(city.slug)  # noqa: S311 (made-up demo data, the same every run)
    now = datetime.now(UTC).replace(microsecond=0)
    earliest = start_of_year(city)
    span = max((now - earliest).days, 1)
    warga = await tk.demo_user("warga@malang.test", "Warga Malang")
    hidayat = await tk.demo_user("warga.jkn@malang.test", "Agus Hidayat")
    await _application(
        HIDAYAT,
        Status.APPROVED,
        now - timedelta(days=min(20, span)),
        applicant_id=hidayat.id,
        days_to_active=3,
        serial=1,
    )
    await _application(
        AMINAH,
        Status.VERIFIED,
        now - timedelta(days=min(2, span)),
        applicant_id=warga.id,
        days_to_active=0,
        serial=2,
    )
    statuses = [Status.APPROVED] * 6 + [Status.VERIFIED, Status.SUBMITTED, Status.REJECTED]
    families = _families(generated())[:40]
    for n, family in enumerate(families, start=3):
        status = rng.choice(statuses)
        created = earliest + timedelta(days=rng.randint(0, span - 1), hours=rng.randint(1, 20))
        await _application(
            family,
            status,
            min(created, now - timedelta(days=1)),
            applicant_id=None,
            days_to_active=rng.randint(1, 14),
            reason=rng.choice(REASONS) if status is Status.REJECTED else "",
            serial=n,
        )
    report.accounts.append(hidayat.account)
    report.summary.append(
        f"e_jkn: {len(families) + 2} applications (Hidayat active with cards for"
        f" warga.jkn@malang.test; Aminah verified for warga@malang.test; Santoso family free"
        f" to apply: KK {SANTOSO[0].kk})"
    )
    return report
