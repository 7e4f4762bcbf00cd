"""Writing premises: the household's form, an officer's correction and the import share it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from balai import toolkit as tk

from balai_sipaldi.dated import city_today
from balai_sipaldi.premises.schedule import next_due
from balai_sipaldi.settings import settings_of
from balai_sipaldi.tables import Premises

FIELDS = (
    "address",
    "kelurahan",
    "nop",
    "tank_type",
    "tank_litres",
    "year_built",
    "hose_metres",
    "last_desludged",
)


def row_values(clean: dict[str, Any], registered: date) -> dict[str, Any]:
    """The columns of a premises from checked ``clean`` values, with its kecamatan and due day.

    Raises:
        ValueError: the kelurahan is not one of the city's (checked by the
            form and the import before; a guard against a changed setting).
    """
    settings = settings_of(tk.current_city())
    kecamatan = settings.kecamatan_of(clean["kelurahan"])
    if kecamatan is None:
        raise ValueError(clean["kelurahan"])
    values = {name: clean[name] for name in FIELDS}
    values["nop"] = values["nop"] or ""
    values["kecamatan"] = kecamatan
    values["next_due"] = next_due(settings, clean["last_desludged"], registered)
    return values


async def register(clean: dict[str, Any], owner_id: int | None) -> int:
    """Add a premises; its id."""
    values = row_values(clean, city_today())
    rows = await Premises.insert(
        Premises(owner_id=owner_id, created_at=datetime.now(UTC), **values)
    ).returning(Premises.id)
    return rows[0]["id"]


async def correct(premises: dict[str, Any], clean: dict[str, Any]) -> None:
    """Store the corrected details of ``premises`` (its due day counted again)."""
    registered = premises["created_at"].astimezone(tk.current_city().tz).date()
    values = row_values(clean, registered)
    await Premises.update({getattr(Premises, k): v for k, v in values.items()}).where(
        Premises.id == premises["id"]
    )


def initial_of(premises: dict[str, Any]) -> dict[str, Any]:
    """The stored values to fill the edit form with."""
    return {name: premises[name] for name in FIELDS if premises[name] not in (None, "")}


async def release_owner(user_id: int) -> None:
    """Unlink ``user_id`` from their premises (the account is being erased)."""
    await Premises.update({Premises.owner_id: None}).where(Premises.owner_id == user_id)
