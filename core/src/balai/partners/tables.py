"""The partners service's tables (Piccolo app ``partners``).

Amounts are whole rupiah, times UTC. What exactly-once relies on is in the
schema: one external id per partner per day, one payment per partner
reference, one inquiry per partner inquiry id.
"""

from __future__ import annotations

from piccolo.columns import BigInt, Boolean, Integer, Text, Timestamptz, Varchar

from balai.db.tables import CityTable


class Partner(CityTable, tablename="balai_partner"):
    """A partner the city signed (bank, e-wallet, minimarket, delivery app) and its credentials.

    The client secret is kept encrypted (the HMAC needs it back); the public
    key checks the partner's signature when it asks for an access token.
    """

    client_id = Varchar(length=32)
    name = Varchar(length=120)
    services = Varchar(length=200, default="")  # comma-separated PartnerService values
    ip_allow = Text(default="")  # one address or network per line; empty: any
    fee_flat = BigInt(default=0)  # rupiah per paid bill, settled outside the platform
    public_key = Text(default="")
    secret_sealed = Text(default="")
    secret_hint = Varchar(length=8, default="")
    active = Boolean(default=True)
    created_at = Timestamptz()
    updated_at = Timestamptz()

    city_unique = (("client_id",),)


class PartnerToken(CityTable, tablename="balai_partner_token"):
    """An access token issued to a partner (only its SHA-256 is kept)."""

    partner_id = Integer(index=True)
    token_hash = Varchar(length=64, unique=True)
    expires_at = Timestamptz()
    created_at = Timestamptz()


class PartnerMessage(CityTable, tablename="balai_partner_message"):
    """An ``X-EXTERNAL-ID`` (or token signature) a partner sent on a day: replays are refused."""

    partner_id = Integer()
    day = Varchar(length=10)
    external_id = Varchar(length=64)
    path = Varchar(length=200, default="")
    received_at = Timestamptz()

    city_unique = (("partner_id", "day", "external_id"),)


class PartnerInquiry(CityTable, tablename="balai_partner_inquiry"):
    """A bill inquiry answered to a partner: the amount it may then pay, on that day."""

    partner_id = Integer()
    inquiry_id = Varchar(length=64)
    customer_number = Varchar(length=40)
    source = Varchar(length=60, default="")
    amount = BigInt()
    name_masked = Varchar(length=120, default="")
    lines = Text(default="[]")
    day = Varchar(length=10)
    created_at = Timestamptz()

    city_unique = (("partner_id", "inquiry_id"),)


class PartnerPayment(CityTable, tablename="balai_partner_payment"):
    """A payment a partner collected, by its reference: settled once through the ledger.

    ``status``: ``pending`` (recorded, settlement under way), ``paid``,
    ``reversed`` (voided on its business day).
    """

    partner_id = Integer()
    reference = Varchar(length=64)
    inquiry_id = Varchar(length=64)
    customer_number = Varchar(length=40)
    amount = BigInt()
    fee = BigInt(default=0)
    invoice_number = Varchar(length=24, default="")
    payment_number = Varchar(length=24, default="")
    status = Varchar(length=12, default="pending", index=True)
    day = Varchar(length=10, index=True)
    created_at = Timestamptz()
    paid_at = Timestamptz(null=True, default=None)
    reversed_at = Timestamptz(null=True, default=None)

    city_unique = (("partner_id", "reference"),)
    city_indexes = (("partner_id", "day"),)


class PartnerReconRun(CityTable, tablename="balai_partner_recon_run"):
    """One comparison of a partner's day: our payments against the partner's file."""

    partner_id = Integer()
    day = Varchar(length=10)
    matched = Integer(default=0)
    differences = Integer(default=0)
    source = Varchar(length=12, default="")  # api, upload, cli
    ran_at = Timestamptz()

    city_indexes = (("partner_id", "day"),)


class PartnerReconDiff(CityTable, tablename="balai_partner_recon_diff"):
    """A difference a reconciliation run found (kept with its run)."""

    run_id = Integer(index=True)
    partner_id = Integer()
    day = Varchar(length=10)
    kind = Varchar(length=24)
    reference = Varchar(length=64)
    ours = Varchar(length=40, default="")
    theirs = Varchar(length=40, default="")


class PartnerTicketOrder(CityTable, tablename="balai_partner_ticket_order"):
    """Places a partner holds for its customer, by its reference: confirmed (paid) at most once.

    ``status``: ``held`` (a pending ledger invoice; the places lapse with it),
    ``paid`` (confirmed, its tickets issued), ``cancelled``. A held order whose
    invoice expired is reported as expired. ``payment_reference`` is the
    partner's reference of the confirmation, unique per partner.
    """

    partner_id = Integer()
    reference = Varchar(length=64)
    source = Varchar(length=60)
    slot_id = Integer()
    quantities = Text(default="{}")
    order_number = Varchar(length=24, default="")
    invoice_number = Varchar(length=24, default="")
    amount = BigInt(default=0)
    status = Varchar(length=12, default="held", index=True)
    payment_reference = Varchar(length=64, null=True, default=None)
    day = Varchar(length=10)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    paid_at = Timestamptz(null=True, default=None)
    cancelled_at = Timestamptz(null=True, default=None)

    city_unique = (("partner_id", "reference"), ("partner_id", "payment_reference"))
