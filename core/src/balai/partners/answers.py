"""SNAP-style answers: an HTTP status, a seven-digit response code and a message.

A response code is the HTTP status, the two-digit service code and a
two-digit case (``4042412``: 404, service 24 inquiry, case 12 unknown bill).
The service codes of the virtual-account family (24 inquiry, 25 payment)
and the token service (73) follow the published SNAP pattern; 31
(reversal), 88 (reconciliation) and 60-63 (tickets: list, hold, confirm,
cancel) are this platform's choice. Every code
here is **belum diverifikasi / unverified** against Bank Indonesia's SNAP
document: check before a certification run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ACCESS = "73"  # the B2B access-token service
INQUIRY = "24"
PAYMENT = "25"
REVERSAL = "31"
RECONCILIATION = "88"
TICKET_LIST = "60"
TICKET_HOLD = "61"
TICKET_CONFIRM = "62"
TICKET_CANCEL = "63"


@dataclass(frozen=True)
class Answer:
    """What to answer a partner."""

    status: int
    code: str
    message: str
    data: dict[str, Any] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        """The JSON body: ``responseCode``, ``responseMessage`` and the data."""
        return {"responseCode": self.code, "responseMessage": self.message, **self.data}


class Refused(Exception):
    """A request is refused with a SNAP-style answer; nothing was written for it."""

    def __init__(self, status: int, service: str, case: str, message: str) -> None:
        super().__init__(message)
        self.answer = Answer(status, f"{status}{service}{case}", message)


def success(service: str, data: dict[str, Any] | None = None) -> Answer:
    """``200<service>00 Successful``."""
    return Answer(200, f"200{service}00", "Successful", data or {})


def unauthorized(service: str, reason: str) -> Refused:
    """401, case 00: ``Unauthorized. <reason>`` (signature, client, address, timestamp)."""
    return Refused(401, service, "00", f"Unauthorized. {reason}")


def invalid_token(service: str) -> Refused:
    """401, case 01: the access token is unknown, another partner's or expired."""
    return Refused(401, service, "01", "Invalid Token (B2B)")


def invalid_field(service: str, name: str) -> Refused:
    """400, case 01: a field has the wrong format."""
    return Refused(400, service, "01", f"Invalid Field Format {name}")


def missing_field(service: str, name: str) -> Refused:
    """400, case 02: a mandatory field or header is missing."""
    return Refused(400, service, "02", f"Invalid Mandatory Field {name}")


def not_permitted(service: str, reason: str) -> Refused:
    """403, case 15: the partner may not use this service (or not now)."""
    return Refused(403, service, "15", f"Transaction Not Permitted. {reason}")


def unknown_bill(service: str) -> Refused:
    """404, case 12: no bill of this city answers to the customer number."""
    return not_found(service, "Bill/Virtual Account")


def invalid_amount(service: str, reason: str = "") -> Refused:
    """404, case 13: the amount differs from the inquiry's (or from today's)."""
    return Refused(404, service, "13", f"Invalid Amount{'. ' + reason if reason else ''}")


def paid_bill(service: str) -> Refused:
    """404, case 14: nothing is owed any more."""
    return Refused(404, service, "14", "Paid Bill")


def inconsistent(service: str, reason: str) -> Refused:
    """404, case 18: a reference reused with other content."""
    return Refused(404, service, "18", f"Inconsistent Request. {reason}")


def expired_inquiry(service: str) -> Refused:
    """404, case 19: the inquiry was of another business day."""
    return expired(service, "Bill/Virtual Account")


def not_found(service: str, what: str) -> Refused:
    """404, case 12: no such thing of this city (a ticket slot, a hold)."""
    return Refused(404, service, "12", f"Invalid {what} [Not Found]")


def expired(service: str, what: str) -> Refused:
    """404, case 19: a hold (or an inquiry) is no longer valid."""
    return Refused(404, service, "19", f"Invalid {what} [Expired]")


def sold_out(service: str) -> Refused:
    """409, case 01: too few places are left in the partners' quota."""
    return Refused(409, service, "01", "Conflict. Sold out: too few places are left")


def conflict(service: str, reason: str) -> Refused:
    """409, case 00: a replayed ``X-EXTERNAL-ID`` or a second reversal."""
    return Refused(409, service, "00", f"Conflict. {reason}")


def too_large(service: str) -> Refused:
    """413, case 00: the body is larger than any valid request."""
    return Refused(413, service, "00", "Request Entity Too Large")
