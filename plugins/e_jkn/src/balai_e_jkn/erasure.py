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

from balai_e_jkn.tables import Enrolment, Member, Status


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
            }
        ).where(Enrolment.id.is_in(kept))
