"""A registered person's card: number, class, start date and a QR; and a printable letter.

Only the applicant of the application sees it (404 for anyone else).
"""

from __future__ import annotations

from balai import toolkit as tk
from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from balai_e_jkn.enrolment.routes import own_application
from balai_e_jkn.identity import CARD_PURPOSE, masked_nik
from balai_e_jkn.tables import Member, MemberState


async def _card(request: Request, number: str, position: int) -> dict:
    application = await own_application(request, number)
    member = (
        await Member.select()
        .where(
            (Member.enrolment == application["id"])
            & (Member.position == position)
            & (Member.state == MemberState.REGISTERED.value)
        )
        .first()
    )
    if member is None:
        raise NotFoundException()
    card = tk.unseal(member["card_sealed"], CARD_PURPOSE)
    city = tk.current_city()
    payload = " | ".join(
        [
            f"JKN KIS {card}",
            member["name"],
            city.name,
            "PBPU Pemda",
            f"kelas {member['care_class']}",
            member["start_date"].isoformat(),
        ]
    )
    return {
        "application": application,
        "member": member,
        "card_number": card,
        "nik_masked": masked_nik(member["nik_sealed"]),
        "qr": tk.qr_svg(payload, title=tk._("Membership QR code")),
    }


@get("/kartu/{number:str}/{position:int}", guards=[tk.require_login], name="e_jkn:card")
async def card(request: Request, number: FromPath[str], position: FromPath[int]) -> Response:
    """The membership card of one registered person of the visitor's application."""
    return await tk.render(request, "e_jkn/card.html", await _card(request, number, position))


@get("/kartu/{number:str}/{position:int}/surat", guards=[tk.require_login], name="e_jkn:letter")
async def letter(request: Request, number: FromPath[str], position: FromPath[int]) -> Response:
    """A letter of membership to print (the browser's print, A4)."""
    return await tk.render(request, "e_jkn/letter.html", await _card(request, number, position))


PAGES = [card, letter]
