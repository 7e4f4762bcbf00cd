"""Full-text search that finds the same rows on SQLite and PostgreSQL.

A plugin declares a :class:`FullTextIndex` over some text columns of one of
its tables; its migration runs :meth:`FullTextIndex.forwards` (SQLite: an
FTS5 table kept current by triggers; PostgreSQL: a side table of
``tsvector`` documents with a GIN index, kept current by a trigger), and its
queries use :meth:`FullTextIndex.condition` (Piccolo) or
:meth:`FullTextIndex.match` (raw SQL). For the two databases to find the same
rows, stored text and the visitor's query are cut into words by one rule:

1. **Diacritics** are removed from Latin letters: ``é`` → ``e``, ``Ñ`` → ``N``
   (the table :data:`FOLDS`, the letters whose Unicode decomposition is an
   ASCII letter plus accents, which FTS5's ``unicode61 remove_diacritics 2``
   tokenizer folds too; PostgreSQL applies it with ``translate()``, so the
   ``unaccent`` extension is not needed). Other letters (``ø``, ``ł``, ``ß``)
   stay as they are.
2. **Lower case.**
3. **Words** are the runs of letters and digits; everything else
   (spaces, punctuation, ``-``, ``_``, ``.``, ``,``) separates words. So
   ``Keripik-Tempe 1,5kg`` is ``keripik tempe 1 5kg``.

A query matches a row when **every word** of the query is a word of one of
the indexed columns, the **last word as a prefix** (``kerip`` finds
``keripik``, so results follow the typing). At most
:data:`MAX_WORDS` words of at most :data:`MAX_WORD_LENGTH` characters are
used; a query with no word left (``"!!"``) is no search at all.
"""

# ruff: noqa: S608  -- statements are built from names that __post_init__ checks are plain

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from piccolo.columns.combination import WhereRaw

MAX_WORDS = 8
MAX_WORD_LENGTH = 40

#: The letters folded to each ASCII letter. PostgreSQL gets the same table in
#: ``translate()`` (the tests check that FTS5 folds every one of them alike).
FOLDS: dict[str, str] = {
    "a": "ÀÁÂÃÄÅàáâãäåĀāĂăĄąǍǎǞǟǺǻȀȁȂȃȦȧḀḁẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặ",
    "b": "ḂḃḄḅḆḇ",
    "c": "ÇçĆćĈĉĊċČčḈḉ",
    "d": "ĎďḊḋḌḍḎḏḐḑḒḓ",
    "e": "ÈÉÊËèéêëĒēĔĕĖėĘęĚěȄȅȆȇȨȩḔḕḖḗḘḙḚḛḜḝẸẹẺẻẼẽẾếỀềỂểỄễỆệ",
    "f": "Ḟḟ",
    "g": "ĜĝĞğĠġĢģǦǧǴǵḠḡ",
    "h": "ĤĥȞȟḢḣḤḥḦḧḨḩḪḫẖ",
    "i": "ÌÍÎÏìíîïĨĩĪīĬĭĮįİǏǐȈȉȊȋḬḭḮḯỈỉỊị",
    "j": "Ĵĵǰ",
    "k": "ĶķǨǩḰḱḲḳḴḵ",
    "l": "ĹĺĻļĽľḶḷḸḹḺḻḼḽ",
    "m": "ḾḿṀṁṂṃ",
    "n": "ÑñŃńŅņŇňǸǹṄṅṆṇṈṉṊṋ",
    "o": "ÒÓÔÕÖòóôõöŌōŎŏŐőƠơǑǒǪǫǬǭȌȍȎȏȪȫȬȭȮȯȰȱṌṍṎṏṐṑṒṓỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợ",
    "p": "ṔṕṖṗ",
    "r": "ŔŕŖŗŘřȐȑȒȓṘṙṚṛṜṝṞṟ",
    "s": "ŚśŜŝŞşŠšȘșṠṡṢṣṤṥṦṧṨṩ",
    "t": "ŢţŤťȚțṪṫṬṭṮṯṰṱẗ",
    "u": "ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲųƯưǓǔǕǖǗǘǙǚǛǜȔȕȖȗṲṳṴṵṶṷṸṹṺṻỤụỦủỨứỪừỬửỮữỰự",
    "v": "ṼṽṾṿ",
    "w": "ŴŵẀẁẂẃẄẅẆẇẈẉẘ",
    "x": "ẊẋẌẍ",
    "y": "ÝýÿŶŷŸȲȳẎẏẙỲỳỴỵỶỷỸỹ",
    "z": "ŹźŻżŽžẐẑẒẓẔẕ",
}

FOLD_FROM = "".join(FOLDS.values())
FOLD_TO = "".join(base * len(letters) for base, letters in FOLDS.items())
_FOLD_TABLE = str.maketrans(FOLD_FROM, FOLD_TO)
# Letters and digits: \w without the underscore.
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """``text`` without diacritics on Latin letters, in lower case."""
    return text.translate(_FOLD_TABLE).lower()


def words(text: str) -> list[str]:
    """The words of ``text`` by the full-text rule (folded, lower case, letters and digits)."""
    return _WORD.findall(fold(text))


@dataclass(frozen=True)
class TextQuery:
    """A visitor's search words, ready for either database.

    ``words`` is empty when the query had none: then nothing is searched.
    """

    words: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.words)

    def fts5(self, column: str | None = None) -> str:
        """The FTS5 ``MATCH`` expression: every word, the last as a prefix.

        With ``column``, every word must be in that column (``name : "beras"``).
        Words hold only letters and digits, so quoting them is enough.
        """
        filter_ = f"{column} : " if column else ""
        terms = [f'{filter_}"{w}"' for w in self.words]
        terms[-1] += "*"
        return " AND ".join(terms)

    def tsquery(self, weight: str = "") -> str:
        """The PostgreSQL ``to_tsquery('simple', …)`` text: every word, the last as a prefix.

        With ``weight`` (``A`` = the first indexed column), only words of that part count.
        """
        terms = [f"{w}:{weight}" if weight else w for w in self.words]
        terms[-1] = f"{self.words[-1]}:*{weight}"
        return " & ".join(terms)


def parse_text_query(query: str) -> TextQuery:
    """The search words of ``query``: at most eight, each cut to forty characters."""
    return TextQuery(tuple(w[:MAX_WORD_LENGTH] for w in words(query)[:MAX_WORDS]))


WEIGHTS = "ABCD"
TOKENIZER = "unicode61 remove_diacritics 2"
#: The PostgreSQL function that cuts text into words by the rule above; every
#: index's migration (re)creates it.
WORDS_FUNCTION = "balai_fulltext_words"


@dataclass(frozen=True)
class FullTextIndex:
    """A full-text index over text columns of one table, on either database.

    Example (a plugin's ``search.py``, used by its migration and its queries)::

        ITEMS = tk.FullTextIndex("bank_sampah_item", ("name", "description"))

        # the migration: manager.add_raw(...) running ITEMS.forwards(engine_type)
        # a query:
        found = Item.select().where(ITEMS.condition(Item.id, tk.parse_text_query(q)))

    Args:
        table: The table's name (``<slug>_<name>``); its primary key is ``id``.
        columns: The text columns searched, most important first (at most
            four; on PostgreSQL they are weighted A, B, C, D, which
            :meth:`match` uses to search one column).
    """

    table: str
    columns: tuple[str, ...]

    def __post_init__(self) -> None:
        if not 1 <= len(self.columns) <= len(WEIGHTS):
            raise ValueError("a full-text index covers one to four columns")
        for name in (self.table, *self.columns):
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                raise ValueError(f"not a plain SQL name: {name!r}")

    @property
    def name(self) -> str:
        """The index table's name: ``<table>_fts``."""
        return f"{self.table}_fts"

    def forwards(self, engine_type: str) -> list[str]:
        """The statements that create the index and fill it from the table's rows."""
        if engine_type == "sqlite":
            return self._sqlite_forwards()
        return self._postgres_forwards()

    def backwards(self, engine_type: str) -> list[str]:
        """The statements that drop the index (the shared words function stays)."""
        names = [f"{self.name}_{event}" for event in ("insert", "update", "delete")]
        if engine_type == "sqlite":
            return [
                *(f"DROP TRIGGER IF EXISTS {n}" for n in names),
                f"DROP TABLE IF EXISTS {self.name}",
            ]
        return [
            f"DROP TRIGGER IF EXISTS {self.name}_sync ON {self.table}",
            f"DROP FUNCTION IF EXISTS {self.name}_sync()",
            f"DROP TABLE IF EXISTS {self.name}",
        ]

    def _sqlite_forwards(self) -> list[str]:
        columns = ", ".join(self.columns)
        new_values = ", ".join(f"new.{c}" for c in self.columns)
        insert = f"INSERT INTO {self.name} (rowid, {columns}) VALUES (new.id, {new_values});"
        delete = f"DELETE FROM {self.name} WHERE rowid = old.id;"
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.name} USING fts5("
            f"{columns}, tokenize = '{TOKENIZER}')",
            f"CREATE TRIGGER IF NOT EXISTS {self.name}_insert AFTER INSERT ON {self.table} "
            f"BEGIN {insert} END",
            f"CREATE TRIGGER IF NOT EXISTS {self.name}_update AFTER UPDATE OF {columns} "
            f"ON {self.table} BEGIN {delete} {insert} END",
            f"CREATE TRIGGER IF NOT EXISTS {self.name}_delete AFTER DELETE ON {self.table} "
            f"BEGIN {delete} END",
            f"INSERT INTO {self.name} (rowid, {columns}) SELECT id, {columns} FROM {self.table} "
            f"WHERE id NOT IN (SELECT rowid FROM {self.name})",
        ]

    def _document(self, row: str) -> str:
        return " || ".join(
            f"setweight(to_tsvector('simple', {WORDS_FUNCTION}({row}{column})), '{weight}')"
            for column, weight in zip(self.columns, WEIGHTS, strict=False)
        )

    def _postgres_forwards(self) -> list[str]:
        columns = ", ".join(self.columns)
        return [
            words_function_sql(),
            f"CREATE TABLE IF NOT EXISTS {self.name} ("
            f"row_id integer PRIMARY KEY REFERENCES {self.table} (id) ON DELETE CASCADE, "
            "document tsvector NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS {self.name}_document ON {self.name} USING gin (document)",
            f"CREATE OR REPLACE FUNCTION {self.name}_sync() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN INSERT INTO {self.name} (row_id, document) VALUES (NEW.id, "
            f"{self._document('NEW.')}) ON CONFLICT (row_id) DO UPDATE SET document = "
            "EXCLUDED.document; RETURN NEW; END $$",
            f"DROP TRIGGER IF EXISTS {self.name}_sync ON {self.table}",
            f"CREATE TRIGGER {self.name}_sync AFTER INSERT OR UPDATE OF {columns} "
            f"ON {self.table} FOR EACH ROW EXECUTE FUNCTION {self.name}_sync()",
            f"INSERT INTO {self.name} (row_id, document) SELECT id, {self._document('')} "
            f"FROM {self.table} ON CONFLICT (row_id) DO NOTHING",
        ]

    def _weight(self, column: str | None) -> str:
        if column is None:
            return ""
        if column not in self.columns:
            raise ValueError(f"{column!r} is not a column of {self.name}")
        return WEIGHTS[self.columns.index(column)]

    def match(
        self, text: TextQuery, engine_type: str, *, alias: str = "t", column: str | None = None
    ) -> tuple[str, str, list[str]]:
        """For a raw statement: a ``JOIN`` of the index, the condition and its argument.

        The statement reads the table as ``alias``; the condition holds one
        Piccolo ``{}`` placeholder. ``column`` limits the match to that column.
        ``text`` must hold words (test it first: an empty query is no search).
        """
        weight = self._weight(column)
        if engine_type == "sqlite":
            join = f"JOIN {self.name} ON {self.name}.rowid = {alias}.id"
            return join, f"{self.name} MATCH {{}}", [text.fts5(column)]
        join = f"JOIN {self.name} ON {self.name}.row_id = {alias}.id"
        return (
            join,
            f"{self.name}.document @@ to_tsquery('simple', {{}})",
            [text.tsquery(weight)],
        )

    def condition(self, id_column: Any, text: TextQuery, *, column: str | None = None) -> Any:
        """A Piccolo condition: the row (its ``id`` column given) matches ``text``."""
        meta = id_column._meta
        if meta.table._meta.tablename != self.table:
            raise ValueError(f"{self.name} indexes {self.table}, not {meta.table._meta.tablename}")
        target = f'"{self.table}"."{meta.db_column_name}"'
        weight = self._weight(column)
        if meta.engine_type == "sqlite":
            sql = f"{target} IN (SELECT rowid FROM {self.name} WHERE {self.name} MATCH {{}})"
            return WhereRaw(sql, text.fts5(column))
        sql = (
            f"{target} IN (SELECT row_id FROM {self.name} "
            "WHERE document @@ to_tsquery('simple', {}))"
        )
        return WhereRaw(sql, text.tsquery(weight))


def words_function_sql() -> str:
    """PostgreSQL's copy of :func:`words`: fold, lower case, non-word runs to a space."""
    return (
        f"CREATE OR REPLACE FUNCTION {WORDS_FUNCTION}(t text) RETURNS text "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT regexp_replace("
        f"lower(translate(coalesce(t, ''), '{FOLD_FROM}', '{FOLD_TO}')), "
        "'[^[:alnum:]]+', ' ', 'g') $$"
    )
