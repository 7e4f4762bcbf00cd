"""The audit log's table (Piccolo app ``audit``).

Rows are only ever inserted: the code has no update or delete path, and the
migration adds database triggers that refuse both. Each city has its own
chain: ``seq`` counts from 1 per city and ``(city, seq)`` is unique.
"""

from __future__ import annotations

from piccolo.columns import BigInt, Integer, Text, Timestamptz, Varchar

from balai.db.tables import CityTable


class AuditEntry(CityTable, tablename="balai_audit_entry"):
    """One audited event of one city, chained to the one before by hash."""

    seq = BigInt(default=0)
    created_at = Timestamptz()
    actor_id = Integer(null=True, default=None, index=True)
    actor_label = Varchar(length=160, default="")
    action = Varchar(length=80, default="", index=True)
    subject = Varchar(length=200, default="")
    detail = Text(default="{}")
    client_addr = Varchar(length=64, default="")
    user_agent = Varchar(length=200, default="")
    personal_data_of = Integer(null=True, default=None, index=True)
    prev_hash = Varchar(length=64, default="")
    entry_hash = Varchar(length=64, default="")


class ErasureRequest(CityTable, tablename="balai_erasure_request"):
    """A citizen's request to erase their data, reviewed by a data-protection officer (UU 27/2022).

    ``status``: ``pending``, then ``erased`` (the account erased as on
    ``/akun/hapus``: each service removed what it may and kept what the law
    requires, the ``user_deleted`` hook) or ``declined`` (``note`` says why).
    Times are UTC.
    """

    user_id = Integer(index=True)
    status = Varchar(length=20, default="pending")
    requested_at = Timestamptz()
    decided_at = Timestamptz(null=True, default=None)
    decided_by = Integer(null=True, default=None)
    note = Varchar(length=300, default="")
