"""Searching the audit log: checked filters and one page of entries.

Filters come from the officer's query string; :func:`parse_filters` turns
them into :class:`AuditFilters` or a mapping of clear error messages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from balai.audit.tables import AuditEntry
from balai.db.keywords import contains
from balai.i18n import gettext as _
from balai.tenants import current_city
from balai.web.lists import Page, read_page
from balai.web.numbers import plain_int

PAGE_SIZE = 50
MAX_TEXT = 100
MAX_PAGE = 100_000
_ACTION = re.compile(r"^[a-z0-9_]+\.[a-z0-9_.]+$")


@dataclass(frozen=True)
class AuditFilters:
    """What an officer searches the log for; empty values mean "any"."""

    action: str = ""
    actor: str = ""
    subject: str = ""
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1

    def query_args(self, page: int | None = None) -> dict[str, str]:
        """The filters as query-string values (for links to other pages)."""
        args = {
            "action": self.action,
            "actor": self.actor,
            "subject": self.subject,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
        }
        args = {k: v for k, v in args.items() if v}
        args["page"] = str(page or self.page)
        return args


def parse_page(raw: str | None) -> tuple[int, str | None]:
    """A page number from the query string, or 1 and an error message."""
    if raw in (None, ""):
        return 1, None
    page = plain_int(raw)
    if page is None or not 1 <= page <= MAX_PAGE:
        return 1, _("The page number must be a whole number from 1.")
    return page, None


def parse_filters(query: Mapping[str, str]) -> tuple[AuditFilters, dict[str, str]]:
    """Check the query string of the search page.

    Returns:
        The filters (defaults where a value was bad) and the errors by field.
    """
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    action = (query.get("action") or "").strip()
    if action and (len(action) > 80 or not _ACTION.match(action)):
        errors["action"] = _("Choose an action from the list.")
    else:
        values["action"] = action
    for name in ("actor", "subject"):
        text = (query.get(name) or "").strip()
        if len(text) > MAX_TEXT:
            errors[name] = _("Search text can be at most %(n)s characters.", n=MAX_TEXT)
        elif name == "actor" and text.isdigit() and plain_int(text) is None:
            errors[name] = _("An account number is at most 19 digits 0-9.")
        else:
            values[name] = text
    for key, name in (("from", "date_from"), ("to", "date_to")):
        raw = (query.get(key) or "").strip()
        if not raw:
            continue
        try:
            values[name] = date.fromisoformat(raw)
        except ValueError:
            errors[key] = _("Give the date as YYYY-MM-DD, e.g. 2026-08-17.")
    if (
        values.get("date_from")
        and values.get("date_to")
        and values["date_from"] > values["date_to"]
    ):
        errors["to"] = _("The end date must not be before the start date.")
    page, page_error = parse_page(query.get("page"))
    if page_error:
        errors["page"] = page_error
    values["page"] = page
    return AuditFilters(**values), errors


def _day_start_utc(day: date) -> datetime:
    """Midnight of ``day`` in the city's time zone, as UTC."""
    return datetime.combine(day, time.min, tzinfo=current_city().tz).astimezone(UTC)


def _where(filters: AuditFilters) -> list[Any]:
    clauses: list[Any] = []
    if filters.action:
        clauses.append(AuditEntry.action == filters.action)
    if filters.actor:
        actor_id = plain_int(filters.actor)
        if actor_id is not None:
            clauses.append(AuditEntry.actor_id == actor_id)
        else:
            clauses.append(contains(AuditEntry.actor_label, filters.actor))
    if filters.subject:
        clauses.append(contains(AuditEntry.subject, filters.subject))
    if filters.date_from:
        clauses.append(AuditEntry.created_at >= _day_start_utc(filters.date_from))
    if filters.date_to:
        clauses.append(AuditEntry.created_at < _day_start_utc(filters.date_to + timedelta(days=1)))
    return clauses


async def search(filters: AuditFilters, *, page_size: int = PAGE_SIZE) -> Page:
    """Entries of the current city matching ``filters``, newest first."""
    clauses = _where(filters)
    select = AuditEntry.select(
        AuditEntry.seq,
        AuditEntry.created_at,
        AuditEntry.actor_id,
        AuditEntry.actor_label,
        AuditEntry.action,
        AuditEntry.subject,
        AuditEntry.detail,
        AuditEntry.client_addr,
        AuditEntry.user_agent,
        AuditEntry.personal_data_of,
    )
    for clause in clauses:
        select = select.where(clause)
    return await read_page(_newest_first(select), filters.page, page_size)


async def viewed_data_of(user_id: int, page: int, *, page_size: int = 20) -> Page:
    """Entries recording a view of ``user_id``'s personal data, newest first."""
    where = AuditEntry.personal_data_of == user_id
    select = AuditEntry.select(
        AuditEntry.created_at, AuditEntry.actor_label, AuditEntry.action, AuditEntry.subject
    ).where(where)
    return await read_page(_newest_first(select), page, page_size)


def _newest_first(select: Any) -> Any:
    return select.order_by(AuditEntry.seq, ascending=False)


async def known_actions() -> list[str]:
    """The distinct actions recorded in the current city, for the filter list."""
    rows = await AuditEntry.select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    return [r["action"] for r in rows]
