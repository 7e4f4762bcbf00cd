"""A ticket's QR code: a payload signed with the city's key, readable offline at the gate.

The signed fields (:func:`balai.toolkit.sign_payload`, purpose
``heritage_ticket``): ``t`` the ticket code, ``s``/``e`` the slot's start and
end (UTC, ``YYYYMMDDTHHMMZ``) and ``k`` the category; the city is in every
payload. A gate without a connection checks the signature with the city's
public key and the slot against its clock.
"""

from __future__ import annotations

from datetime import UTC, datetime

from balai import toolkit as tk

from balai_wisata_heritage.tickets.rules import SIGNING_PURPOSE

STAMP = "%Y%m%dT%H%MZ"


def stamp(moment: datetime) -> str:
    """A UTC time as the payload writes it."""
    return moment.astimezone(UTC).strftime(STAMP)


def ticket_payload(code: str, category: str, starts_at: datetime, ends_at: datetime) -> str:
    """The signed payload of one ticket."""
    return tk.sign_payload(
        SIGNING_PURPOSE, {"t": code, "k": category, "s": stamp(starts_at), "e": stamp(ends_at)}
    )


def ticket_qr(code: str, category: str, starts_at: datetime, ends_at: datetime) -> str:
    """The ticket's QR code as inline SVG."""
    return tk.qr_svg(ticket_payload(code, category, starts_at, ends_at), title=code)
