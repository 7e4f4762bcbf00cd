"""City-scoped tables: the one place where tenant scoping is enforced.

Every table that holds a city's data derives from :class:`CityTable`. Its
query constructors add ``WHERE city = <current city>`` and fill the column on
insert from the current city (see :mod:`balai.tenants`). Outside a city they
raise :class:`~balai.tenants.NoCityError`, so forgetting the scope fails loudly
instead of reading every city's rows. Raw SQL is not scoped: name the city in
it yourself.
"""

from __future__ import annotations

from typing import Any

from piccolo.columns import Varchar
from piccolo.table import Table

from balai.db.fulltext import FullTextIndex, TextQuery
from balai.tenants import current_city, current_city_or_none


class CrossCityWriteError(RuntimeError):
    """A row of one city was written while working for another."""


class CityTable(Table):
    """Base class of every table that holds one city's rows.

    Uniqueness and composite indexes are per city; declare them on the table
    and ``balai makemigrations`` writes them, each on ``(city, *columns)``::

        class Stall(tk.CityTable, tablename="pasar_stall"):
            code = Varchar(length=20)
            market = Varchar(length=60)
            opened_at = Timestamptz()

            city_unique = (("code",),)  # one code per city
            city_indexes = (("market", "opened_at"),)  # a list's filter and order
            full_text = ("code", "market")  # searched with Stall.text_match(words)

    Attributes:
        city_unique: Column tuples unique within a city.
        city_indexes: Column tuples indexed after ``city`` (not unique).
        full_text: Text columns of a full-text index (most important first,
            at most four), the same on SQLite and PostgreSQL
            (:class:`balai.db.fulltext.FullTextIndex`).
    """

    city = Varchar(length=40, index=True, default="")
    city_unique: tuple[tuple[str, ...], ...] = ()
    city_indexes: tuple[tuple[str, ...], ...] = ()
    full_text: tuple[str, ...] = ()

    @classmethod
    def full_text_index(cls) -> FullTextIndex:
        """The full-text index the table declares in ``full_text``.

        Raises:
            ValueError: the table declares none.
        """
        if not cls.full_text:
            raise ValueError(f"{cls._meta.tablename} declares no full_text columns")
        return FullTextIndex(cls._meta.tablename, tuple(cls.full_text))

    @classmethod
    def text_match(cls, text: TextQuery, *, column: str | None = None) -> Any:
        """A condition: the row's ``full_text`` columns hold every word of ``text``.

        ``text`` comes from ``tk.parse_text_query`` and must hold words (an
        empty query is no search: test it first). ``column`` searches one
        column only.
        """
        return cls.full_text_index().condition(cls.id, text, column=column)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.city:
            city = current_city_or_none()
            if city is not None:
                self.city = city.slug

    @classmethod
    def _scope(cls) -> Any:
        return cls.city == current_city().slug

    @classmethod
    def select(cls, *columns: Any, exclude_secrets: bool = False) -> Any:
        """``SELECT`` limited to the current city."""
        scope = cls._scope()
        return super().select(*columns, exclude_secrets=exclude_secrets).where(scope)

    @classmethod
    def objects(cls, *prefetch: Any) -> Any:
        """Row objects limited to the current city."""
        scope = cls._scope()
        return super().objects(*prefetch).where(scope)

    @classmethod
    def count(cls, column: Any = None, distinct: Any = None) -> Any:
        """``COUNT`` limited to the current city."""
        scope = cls._scope()
        return super().count(column=column, distinct=distinct).where(scope)

    @classmethod
    def exists(cls) -> Any:
        """``EXISTS`` limited to the current city."""
        scope = cls._scope()
        return super().exists().where(scope)

    @classmethod
    def update(
        cls, values: Any = None, force: bool = False, use_auto_update: bool = True, **kwargs: Any
    ) -> Any:
        """``UPDATE`` limited to the current city; the city itself cannot change."""
        slug = current_city().slug
        scope = cls.city == slug
        changes = {
            getattr(k, "_meta", k).name if hasattr(k, "_meta") else k: v
            for k, v in (values or {}).items()
        }
        changes.update(kwargs)
        if changes.get("city", slug) != slug:
            raise CrossCityWriteError("A row cannot move to another city.")
        return (
            super()
            .update(values, force=force, use_auto_update=use_auto_update, **kwargs)
            .where(scope)
        )

    @classmethod
    def delete(cls, force: bool = False) -> Any:
        """``DELETE`` limited to the current city."""
        scope = cls._scope()
        return super().delete(force=force).where(scope)

    @classmethod
    def insert(cls, *rows: Any) -> Any:
        """``INSERT`` rows of the current city, refusing rows of another."""
        slug = current_city().slug
        for row in rows:
            if not row.city:
                row.city = slug
            elif row.city != slug:
                raise CrossCityWriteError(
                    f"Row for city {row.city!r} inserted while working for {slug!r}."
                )
        return super().insert(*rows)
