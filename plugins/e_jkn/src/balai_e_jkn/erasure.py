"""What happens to an applicant's data when they delete their account (the erasure hook).

Applications still pending or rejected are deleted with their people (NIKs,
names, birth dates): nothing was paid for them. Applications whose people
are active at BPJS are kept, because the city pays their contributions and
must account for them (and ending someone's cover is not the applicant's
account to decide), but the link to the account and the applicant's own
contact (address, phone) are removed. The photos are removed by the files
service, which answers the same hook for every upload of the account.
"""

from __future__ import annotations

from balai import toolkit as tk

from balai_e_jkn.identity import CARD_PURPOSE, KK_PURPOSE, NIK_PURPOSE
from balai_e_jkn.tables import Enrolment, Member, MemberState, Status

KEPT = tk.N_(
    "Kept while the cover is active: the city pays the contributions of these people and"
    " must account for them (APBD); the link to your account, address and phone are erased."
)


async def erase_applicant(user_id: int) -> None:
    """Delete or pseudonymise the applications of account ``user_id`` (current city)."""
    rows = await Enrolment.select(Enrolment.id, Enrolment.status).where(
        Enrolment.applicant_id == user_id
    )
    dropped = [r["id"] for r in rows if r["status"] != Status.APPROVED.value]
    kept = [r["id"] for r in rows if r["status"] == Status.APPROVED.value]
    if dropped:
        await Member.delete().where(Member.enrolment.is_in(dropped))
        await Enrolment.delete().where(Enrolment.id.is_in(dropped))
    if kept:
        await Enrolment.update(
            {
                Enrolment.applicant_id: None,
                Enrolment.applicant_name: f"#{user_id}",
                Enrolment.address: "",
                Enrolment.phone: "",
                Enrolment.ktp_file: "",
                Enrolment.kk_file: "",
                Enrolment.welfare_decile: None,
            }
        ).where(Enrolment.id.is_in(kept))


async def applicant_data(user_id: int) -> list[tk.PersonalData]:
    """The applications of account ``user_id``, in full, each with its people."""
    rows = await Enrolment.select().where(Enrolment.applicant_id == user_id).order_by(Enrolment.id)
    found = []
    for row in rows:
        members = (
            await Member.select().where(Member.enrolment == row["id"]).order_by(Member.position)
        )
        record = {
            tk.N_("Application"): row["number"] or "",
            tk.N_("Status"): row["status"],
            tk.N_("Family card (KK)"): tk.unseal(row["kk_sealed"], KK_PURPOSE),
            tk.N_("Address"): f"{row['address']}, {row['kelurahan']}, {row['kecamatan']}",
            tk.N_("Mobile number"): row["phone"],
            tk.N_("Submitted on"): row["created_at"].isoformat(),
            tk.N_("Priority group claimed"): row["priority_group"],
            tk.N_("Welfare decile found by Dinsos"): row["welfare_decile"] or "",
        }
        for n, m in enumerate(members, start=1):
            card = tk.unseal(m["card_sealed"], CARD_PURPOSE) if m["card_sealed"] else ""
            record[f"{n}. {m['name']}"] = " · ".join(
                filter(
                    None,
                    [
                        tk.unseal(m["nik_sealed"], NIK_PURPOSE),
                        m["born"].isoformat(),
                        m["state"],
                        card,
                    ],
                )
            )
        active = row["status"] == Status.APPROVED.value and any(
            m["state"] == MemberState.REGISTERED.value for m in members
        )
        found.append(
            tk.PersonalData(tk.N_("Health cover application"), (record,), KEPT if active else "")
        )
    return found
