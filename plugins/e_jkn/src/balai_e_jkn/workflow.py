"""The steps of an application: Dinkes verifies or rejects; the registration batch activates.

Rejecting frees the members' NIKs (``open_nik_index`` cleared) so that they
may apply again; every step is told to the applicant.
"""

from __future__ import annotations

from typing import Any

from balai import toolkit as tk

from balai_e_jkn.tables import Enrolment, Member, MemberState, Status

MANAGE = "e_jkn.manage"


async def _after_move(record: Any, step: Any) -> None:
    """Close a rejected application's members (their NIKs may apply again)."""
    if step.to_state == Status.REJECTED.value:
        await Member.update({Member.open_nik_index: None}).where(Member.enrolment == record["id"])
        await Member.update({Member.state: MemberState.CLOSED.value}).where(
            Member.enrolment == record["id"],
            Member.state.is_in([MemberState.WAITING.value, MemberState.SENDING.value]),
        )


APPLICATION = tk.Workflow(
    "e_jkn.enrolment",
    table=Enrolment,
    state_column=Enrolment.status,
    states={
        Status.SUBMITTED.value: tk.N_("Submitted"),
        Status.VERIFIED.value: tk.N_("Checked by Dinkes"),
        Status.APPROVED.value: tk.N_("Active at BPJS"),
        Status.REJECTED.value: tk.N_("Rejected"),
    },
    transitions=[
        tk.Transition(
            "verify",
            (Status.SUBMITTED.value,),
            Status.VERIFIED.value,
            tk.N_("Verify"),
            by=(MANAGE,),
        ),
        tk.Transition(
            "reject",
            (Status.SUBMITTED.value, Status.VERIFIED.value),
            Status.REJECTED.value,
            tk.N_("Reject"),
            by=(MANAGE,),
            comment="required",
        ),
        tk.Transition(
            "bpjs_refused",
            (Status.VERIFIED.value,),
            Status.REJECTED.value,
            tk.N_("Refused by BPJS"),
            by=("system",),
        ),
        tk.Transition(
            "activate",
            (Status.VERIFIED.value,),
            Status.APPROVED.value,
            tk.N_("Activate"),
            by=("system",),
        ),
    ],
    notify_column=Enrolment.applicant_id,
    notification="e_jkn.enrolment_moved",
    after_move=_after_move,
)
