"""Re-encrypt sealed columns under the active data key and rebuild their blind indexes.

Run by ``balai keys rotate`` after a new key was put first in
``BALAI_DATA_KEYS`` (or ``BALAI_INDEX_KEY`` was changed). Rows are read in
batches by id and each batch is written in one transaction, so a stopped
run leaves every row either old (still readable with the old key, which
stays listed) or new; running it again finishes the work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from balai.crypto.fields import SealedField
from balai.crypto.keys import current_keyring
from balai.crypto.sealing import blind_index, key_id_of, seal, unseal
from balai.tenants import City, city_scope

BATCH = 500


@dataclass
class RotationCount:
    """What the rotation did to one column of one city."""

    city: str
    table: str
    column: str
    checked: int = 0
    resealed: int = 0
    reindexed: int = 0


async def _rotate_batch(field: SealedField, rows: list[dict], count: RotationCount) -> None:
    table = field.table
    active = current_keyring().active()[0]
    async with table._meta.db.transaction():
        for row in rows:
            token = row[field.column]
            value = unseal(token, field.purpose)
            changes = {}
            if key_id_of(token) != active:
                changes[field.column] = seal(value, field.purpose)
                count.resealed += 1
            index = blind_index(value, field.purpose)
            stale = [c for c in field.indexes if row[c] is not None and row[c] != index]
            for column in stale:
                changes[column] = index
            count.reindexed += bool(stale)
            if changes:
                await table.update({getattr(table, c): v for c, v in changes.items()}).where(
                    table.id == row["id"]
                )
    count.checked += len(rows)


async def rotate_field(city: City, field: SealedField, *, batch: int = BATCH) -> RotationCount:
    """Re-seal and re-index every value of ``field`` in ``city``."""
    table = field.table
    count = RotationCount(city.slug, table._meta.tablename, field.column)
    columns = [table.id, getattr(table, field.column), *(getattr(table, c) for c in field.indexes)]
    last = 0
    with city_scope(city):
        while True:
            rows = (
                await table.select(*columns)
                .where(
                    table.id > last,
                    getattr(table, field.column).is_not_null(),
                    getattr(table, field.column) != "",
                )
                .order_by(table.id)
                .limit(batch)
            )
            if not rows:
                return count
            await _rotate_batch(field, rows, count)
            last = rows[-1]["id"]


async def rotate(
    targets: Iterable[tuple[City, SealedField]], *, batch: int = BATCH
) -> list[RotationCount]:
    """Rotate each (city, field) pair in turn."""
    return [await rotate_field(city, field, batch=batch) for city, field in targets]
