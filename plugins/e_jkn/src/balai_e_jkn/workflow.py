"""The steps of an application: Dinsos's welfare check, Dinkes's decision, BPJS activation.

An application claiming a priority group the rules have Dinsos check starts
in ``welfare``: only Dinsos's officers (``e_jkn.welfare``) may confirm the
claim (on to Dinkes) or reject it; Dinkes's officers (``e_jkn.manage``) only
see it once confirmed, and Dinsos cannot take Dinkes's steps.

Rejecting frees the members' NIKs (``open_nik_index`` cleared) so that they
may apply again; every step is told to the applicant.
"""

from __future__ import annotations

from typing import Any

from balai import toolkit as tk

from balai_e_jkn.tables import Enrolment, Member, MemberState, Status

MANAGE = "e_jkn.manage"
WELFARE = "e_jkn.welfare"


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
        Status.WELFARE.value: tk.N_("Waiting for the Dinsos welfare check"),
        Status.SUBMITTED.value: tk.N_("Submitted"),
        Status.VERIFIED.value: tk.N_("Checked by Dinkes"),
        Status.APPROVED.value: tk.N_("Active at BPJS"),
        Status.REJECTED.value: tk.N_("Rejected"),
    },
    transitions=[
        tk.Transition(
            "welfare_confirm",
            (Status.WELFARE.value,),
            Status.SUBMITTED.value,
            tk.N_("Confirm the welfare listing"),
            by=(WELFARE,),
        ),
        tk.Transition(
            "welfare_reject",
            (Status.WELFARE.value,),
            Status.REJECTED.value,
            tk.N_("Reject: not confirmed by Dinsos"),
            by=(WELFARE,),
            comment="required",
        ),
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
